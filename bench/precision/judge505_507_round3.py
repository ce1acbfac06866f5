#!/usr/bin/env python3
"""Round 3 verdicts for TAU507 (all findings, old+batch 3) and TAU505 (15 new, seed 20261205)."""
import random, re
P = '/work/main/bench/precision/'
RAW = [('/work/study-extra/p3/s20_src.txt', 'src/', 'extra/'), ('/work/study-extra/p3/s20_src2.txt', 'src2/', 'extra2/'),
       (P + 'raw/extra3.txt', 'src3/', 'extra3/')]

def parse(line):
    m = re.match(r'(\S+?):(\d+):\d+: (TAU50\d) (.*)$', line.rstrip('\n'))
    return m.group(1), int(m.group(2)), m.group(3), m.group(4)

lines = {}
for f, pre, new in RAW:
    for l in open(f):
        if ' TAU50' not in l: continue
        path, ln, rule, msg = parse(l)
        lines.setdefault(rule, {})[f'{new}{path[len(pre):]}:{ln}'] = (msg, l.rstrip('\n'))

V507 = {
 # round 1 (TAU507.tsv), re-checked: still reported by tauten-s20, verdicts kept
 'extra/Pyrogram-2.0.106/pyrogram/storage/file_storage.py:58': ('TP', 'FileStorage.open: sqlite3.connect of an on-disk session file (timeout=1) on the loop thread [round 1]'),
 'extra/Pyrogram-2.0.106/pyrogram/storage/memory_storage.py:36': ('FP-not-blocking', "sqlite3.connect(':memory:'): in-memory database, no disk or network I/O [round 1]"),
 'extra/distributed-2026.8.0/distributed/comm/tcp.py:485': ('FP-not-blocking', 'getaddrinfo with flags=_NUMERIC_ONLY (AI_NUMERICHOST|AI_NUMERICSERV): no DNS; falls back to loop.getaddrinfo on EAI_NONAME [round 1]'),
 'extra/jupyterhub-6.1.1/jupyterhub/tests/test_proxy.py:363': ('TP', 'socket.gethostbyname(socket.gethostname()) resolves synchronously in an async test [round 1]'),
 'extra/prefect-3.9.1/prefect/locking/memory.py:136': ('FP-not-blocking', 'lock.acquire() on a threading.Lock created on the line before: nobody else can hold it [round 1]'),
 'extra2/sglang-0.5.23/sglang/srt/entrypoints/http_server.py:468': ('debatable', 'lifespan shutdown (after serving) joins the warm-up thread [round 1]'),
 # batch 3
 'extra3/aiosqlite-0.22.1/aiosqlite/tests/smoke.py:498': ('FP-not-blocking', "sqlite3.connect(':memory:') (backup target in a test): in-memory database, no disk I/O"),
 'extra3/anyio-4.16.0/anyio/_backends/_asyncio.py:299': ('FP-not-blocking', "thread.join() after `await future`: the future is set by the thread's last statement (call_soon_threadsafe), so the thread has finished its work and join returns at once (copy of asyncio's shutdown_default_executor)"),
 'extra3/botbuilder_core-4.17.1/botbuilder/core/transcript_logger.py:138': ('FP-not-blocking', '`while not transcript.empty(): transcript.get()` on a local queue.Queue with a single consumer: an item is always there, get never waits'),
 'extra3/curio-1.6/curio-1.6/tests/test_queue.py:460': ('TP', 'curio test: t1.join() on the kernel thread waits for a consumer thread (own kernel) to receive the None sentinel and exit (short wait, test code)'),
 'extra3/curio-1.6/curio-1.6/tests/test_queue.py:461': ('TP', 'same test: t2.join() waits for the second consumer thread to drain and exit (short wait, test code)'),
 'extra3/curio-1.6/curio-1.6/tests/test_queue.py:462': ('TP', 'same test: t3.join() waits for the third consumer thread (short wait, test code)'),
 'extra3/curio-1.6/curio-1.6/tests/test_queue.py:516': ('TP', 'curio test: t.join() waits for the asyncio producer thread to wake from queue.join() and tear down its loop (short wait, test code)'),
 'extra3/dash-4.4.1/dash/backends/ws.py:232': ('FP-not-reached', '_get_prop_blocking runs only when self._loop is None, the threadpool path, where the coroutine is run by asyncio.run in an executor worker thread (async path uses an asyncio.Future)'),
 'extra3/gel-3.1.0/gel/blocking_client.py:55': ('FP-not-reached', 'BlockingIOConnection of the *blocking* client: its async defs are driven by hand (Client._iter_coroutine does coro.send(None)), no event loop exists'),
 'extra3/kurigram-2.2.26/pyrogram/storage/sqlite_storage.py:252': ('FP-not-blocking', "in_memory branch: sqlite3.connect(':memory:'), no disk I/O"),
 'extra3/kurigram-2.2.26/pyrogram/storage/sqlite_storage.py:312': ('TP', 'SQLiteStorage.open: sqlite3.connect of the on-disk session file (timeout=1) on the loop (same as Pyrogram FileStorage)'),
 'extra3/marimo-0.25.2/marimo/_session/managers/kernel.py:178': ('TP', "edit-mode session start: `while True: accept_thread.join(timeout=0.5)` polls until the spawned kernel process connects (seconds) on the server's loop, per notebook session"),
 'extra3/marimo-0.25.2/marimo/_session/managers/kernel.py:185': ('FP-not-reached', 'error path only: the kernel process died before connecting (then RuntimeError is raised)'),
 'extra3/prompt_toolkit-3.0.53/prompt_toolkit/application/application.py:1107': ('debatable', "blocking by design: breakpoint hook deliberately stops the app's event loop with done.wait() while the debugger runs (comment says so)"),
 'extra3/psycopg-3.3.9/psycopg/_conninfo_attempts_async.py:106': ('FP-not-reached', '`if True:  # ASYNC:` awaits loop.getaddrinfo; socket.getaddrinfo is in the dead else branch (sync-generator leftover)'),
 'extra3/pymongo-4.20.1/pymongo/asynchronous/helpers.py:93': ('FP-not-reached', '`if not _IS_SYNC:` (module constant _IS_SYNC = False) awaits loop.getaddrinfo; socket.getaddrinfo is in the dead else branch'),
 'extra3/redis_om-1.2.0/aredis_om/model/migrations/schema/legacy_migrator.py:78': ('FP-not-blocking', '`await conn.ft(index_name).info()`: Redis.ft() only builds a Search command helper (no I/O); the I/O is .info(), awaited (conn is redis.asyncio at run time)'),
 'extra3/semantic_kernel-1.45.0/semantic_kernel/connectors/ai/hugging_face/services/hf_text_completion.py:261': ('TP', 'streaming completion: after the sync TextIteratorStreamer loop, thread.join() waits for the generation thread to finish the pipeline (the whole async generator blocks the loop)'),
 'extra3/semantic_kernel-1.45.0/semantic_kernel/connectors/memory_stores/azure_cosmosdb/azure_cosmos_db_memory_store.py:107': ('TP', 'sync pymongo.MongoClient(conn_str) in async create(): Cosmos vCore strings are mongodb+srv://, and with connect=True the constructor resolves SRV/TXT via DNS synchronously (+ starts monitor threads)'),
 'extra3/semantic_kernel-1.45.0/semantic_kernel/processes/local_runtime/local_process.py:205': ('FP-not-blocking', '`while not message_channel.empty(): message_channel.get()` on a local queue.Queue, single consumer: get never waits'),
 'extra3/trio-0.35.0/trio/_socket.py:267': ('FP-not-blocking', 'stdlib getaddrinfo with flags | _NUMERIC_ONLY: no DNS (fails fast with EAI_NONAME, then a thread is used)'),
 'extra3/trio-0.35.0/trio/_tests/test_ssl.py:512': ('TP', 'async test: t.join() waits for the client thread to finish its SSL unwrap (needs the close_notify from aclose) and exit'),
 'extra3/trio-0.35.0/trio/_tests/test_threads.py:166': ('FP-not-blocking', 'thread.join() right after `while thread.is_alive(): await sleep(0.01)`: the thread is already dead, join returns at once'),
 'extra3/trio-0.35.0/trio/_tests/test_threads.py:1057': ('TP', 'async test: q.get(timeout=1) on the loop waits for the worker thread (to_thread) to put its result; wait_all_tasks_blocked does not guarantee the put happened'),
 'extra3/trio-0.35.0/trio/_tests/test_threads.py:1116': ('TP', 'async test: q.get(timeout=1) waits on the loop for the abandoned worker thread to put after ev.set()'),
}
V505 = {
 'extra/Pyrogram-2.0.106/pyrogram/methods/messages/send_animation.py:180': ('TP', 'os.path.isfile(animation) stat on every send_animation with a str argument (path or file_id), on the loop'),
 'extra3/google_adk-2.13.0/google/adk/cli/dev_server.py:1068': ('TP', 'GET /dev/apps/{app}/tests endpoint: os.path.exists(tests_dir) then glob.glob on each request'),
 'extra3/nodriver-0.50.99/nodriver/core/util.py:169': ('TP', 'deconstruct(): shutil.rmtree of the temp Chrome profile dir (many files) in a task on the loop when a browser context closes (default: no custom data dir)'),
 'extra/Pyrogram-2.0.106/pyrogram/methods/messages/send_media_group.py:98': ('TP', 'os.path.isfile(i.media) per InputMediaPhoto with a str media, on every send_media_group'),
 'extra/Pyrogram-2.0.106/pyrogram/methods/messages/send_media_group.py:159': ('TP', 'os.path.isfile(i.media) per InputMediaVideo with a str media'),
 'extra3/pipecat_ai-1.14.0/pipecat/evals/suite.py:1024': ('TP', 'EvalSuite.run (async eval harness): logs_dir.mkdir(parents=True) on the loop at each run (CLI-style coroutine counts)'),
 'extra3/google_adk-2.13.0/google/adk/cli/api_server.py:1092': ('debatable', 'get_runner_async: os.path.exists(plugins.yaml) only when the runner for app_name is not cached yet (once per app, lazily on its first request)'),
 'extra3/hydrogram-0.2.0/hydrogram/methods/messages/send_animation.py:188': ('TP', 'Path(animation).is_file() stat on every send_animation with a str argument'),
 'extra3/kurigram-2.2.26/pyrogram/types/input_content/input_media_sticker.py:78': ('TP', 'InputMediaSticker.write: Path(self.media).is_file() stat for every non-BytesIO media'),
 'extra/prefect-3.9.1/prefect/runner/storage.py:977': ('TP', 'BlockStorageAdapter.pull_code (run on each pull by the runner): rmtree of every child dir of the destination, then mkdir'),
 'extra/litellm-1.110.2/litellm/harness/sandbox/local.py:242': ('TP', 'LocalSandbox.tempdir: os.path.realpath (lstat per component) of tempfile.mkdtemp() (itself disk I/O) on the loop'),
 'extra3/kurigram-2.2.26/pyrogram/methods/messages/send_media_group.py:263': ('TP', 'os.path.isfile(i.media) per InputMediaVideo with str/PathLike media'),
 'extra3/kurigram-2.2.26/pyrogram/types/input_content/input_media_animation.py:122': ('TP', 'InputMediaAnimation.write: Path(self.media).is_file() stat for every non-BytesIO media'),
 'extra3/qdrant_client-1.20.0/qdrant_client/local/async_qdrant_local.py:870': ('TP', 'AsyncQdrantLocal.delete_collection, persistent (path=) mode: shutil.rmtree of the collection dir, then _save() writes; (in-memory mode skips it)'),
 'extra3/twitchio-3.3.2/twitchio/assets.py:340': ('TP', 'Asset.save(fp=path): pathlib.Path(fp).is_dir() stat, then a sync open()/write of the file'),
}
# sample check for TAU505
judged1 = set(l.split('\t')[0] for l in open(P + 'TAU505.tsv') if l.startswith(('extra/', 'corpus/')))
raw505 = [l.rstrip('\n') for f in ('/work/study-extra/p3/s20_src.txt', P + 'raw/extra3.txt') for l in open(f) if ' TAU505 ' in l]
def key(l):
    path, ln, _, _ = parse(l)
    pre, new = ('src3/', 'extra3/') if path.startswith('src3/') else ('src/', 'extra/')
    return f'{new}{path[len(pre):]}:{ln}'
pool = sorted(set(l for l in raw505 if key(l) not in judged1))
sample = random.Random(20261205).sample(pool, 15)
keys = []
for l in sample:
    path, ln, rule, msg = parse(l)
    pre, new = ('src3/', 'extra3/') if path.startswith('src3/') else ('src/', 'extra/')
    keys.append(f'{new}{path[len(pre):]}:{ln}')
assert set(keys) == set(V505), set(keys) ^ set(V505)
assert set(lines['TAU507']) == set(V507), set(lines['TAU507']) ^ set(V507)

BIN = '/work/bin/tauten-s20'
CMD = f'cd /work/study-extra && {BIN} check --no-cache --exit-zero --select TAU505,TAU507 --output-format concise src{{,2,3}}/<pkg> (one run per package, xargs -P2)'
with open(P + 'TAU507-round2.tsv', 'w') as o:
    o.write(f'# TAU507 round 2: ALL TAU507 findings of {BIN} on src/ (70 pkgs, packages.txt), src2/ (20, packages2.txt), src3/ (294, packages3.txt), no sampling (31 < 60; seed 20261204 unused); {CMD}; extra/=src/, extra2/=src2/, extra3/=src3/; the 2 ray queue.Queue.put findings of round 1 are no longer reported\n')
    o.write('file:line\tmessage\tverdict\treason\n')
    for k in sorted(V507):
        o.write(f"{k}\t{lines['TAU507'][k][0]}\t{V507[k][0]}\t{V507[k][1]}\n")
with open(P + 'TAU505-round2.tsv', 'w') as o:
    o.write(f'# TAU505 round 2: random.Random(20261205).sample(sorted(set(TAU505 lines of {BIN} on src/ (70 pkgs) + src3/ (batch 3, 294 pkgs), excluding file:line in TAU505.tsv)), 15) over {len(pool)} lines; {CMD}; extra/=src/, extra3/=src3/\n')
    o.write('file:line\tmessage\tverdict\treason\n')
    for k in keys:
        o.write(f"{k}\t{lines['TAU505'][k][0]}\t{V505[k][0]}\t{V505[k][1]}\n")
from collections import Counter
print('507', Counter(v[0] for v in V507.values()))
print('505', Counter(v[0] for v in V505.values()))
