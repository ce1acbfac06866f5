import re,sys
G="FP-not-reached"
PREF="get_client starts the ephemeral SubprocessASGIServer (httpx.Client.get health poll) only when PREFECT_API_URL is unset AND PREFECT_SERVER_EPHEMERAL_ENABLED (default False); per-port singleton: not on the common path (same chain tail as the first study)"
V={
1:("TP","async handler _async_handle calls _get_endpoint_config on every request; _load_endpoints_config open()+json.load()s endpoints.json each call, no cache"),
2:(G,PREF+"; create_result_record reaches it only when result_storage is None and no default block is set"),
7:(G,PREF),
27:(G,PREF),
32:(G,PREF),
56:(G,PREF),
8:("debatable","as judged in the first study: interactive CLI prompt by design (input() + editor while the user edits a secret)"),
15:("TP","as judged in the first study: TestApplication's exception path pickles the exception to a file with open() on the loop thread"),
21:("TP","as judged in the first study: flow-run setup coroutine: _find_project_root resolves paths and walks ancestors for pyproject.toml on the loop thread"),
39:("debatable","as judged in the first study: import_tasks (Path.glob discovery) runs once at scheduler start-up, before scheduling"),
57:("TP","as judged in the first study: `prefect server services stop` coroutine unlinks the PID file (Path.unlink) on the loop thread"),
3:(G,"panel.tests.util.wait_until polls fn first and sleeps only if it is still false; chat_feed.stream() is synchronous, so the condition holds on the first call and time.sleep is never reached"),
16:(G,"wait_until(lambda: clear_button.disabled) right after `chat_interface.disabled = True`: the disabled link is a synchronous param link, true on the first poll, no time.sleep"),
48:(G,"same as the other wait_until in this test: undo_button.disabled is set synchronously by the param link, so wait_until returns before time.sleep"),
4:("TP","serve() catch-all route calls get_html_template per request: Path.resolve() (is_path_inside) + is_file/read_text of theme.json on the loop thread"),
5:("TP","grouped: _load_config is the first step of 8 CLI command coroutines; it open()s the --config-file (else reads pyproject.toml and imports the module) on the loop thread; one-shot CLI, counts per the rules"),
6:("TP","async test test_upgrade: new_session_factory -> check_db_revision writes a temp alembic.ini (open) and queries sqlite on the loop thread"),
37:("TP","async test test_named_server_migration: populate_db -> new_session_factory -> check_db_revision writes the temp alembic.ini with open() on the loop thread"),
9:("TP","WorkspaceHookRunner._run (async, on cancellation/crash hooks while the runner serves) reads the manifest JSON with Path.read_text on the loop thread"),
36:("TP","async ProcessStarter.start writes the supervisor config (mkstemp + os.fdopen write + replace) on the loop thread for every flow-run start"),
14:("TP","prepare_workspace coroutine (per flow run): _resolve_local_runtime_directory does Path.resolve() (lstat/readlink) on the loop; same function also mkdirs and copies"),
54:("TP","_execute_hook coroutine reads the manifest with Path.read_text on the loop (hook bootstrap process; the loop does run it)"),
26:("TP","LocalFileSystem.aread_path (async API) calls _resolve_path: Path.resolve() of basepath and path on the loop thread, every call"),
10:("FP-not-blocking","bind_unused_port binds to the literal '127.0.0.1' with port 0: getaddrinfo on a numeric host/port does no DNS or service lookup"),
11:("debatable","TortoiseContext.init reads the config file only when config_file= is passed (dict/db_url forms do no I/O), once at start-up before serving"),
24:("debatable","migrate() API reads a file only on the config_file= branch (config dict is the other), once before running migrations"),
12:("debatable","OpsDroid.reload: stops and unloads everything, then re-reads the config file before load()/start(): a restart, nothing is serving"),
13:("TP","adeploy builds the image on the loop: the reported chain is the non-default buildx branch (Path.exists), but the default docker-py branch (build_image, sync docker API) blocks for the whole build too"),
17:("debatable","get_callback_data loads the pickle only when not cached and single_file=False (non-default); PTB calls it once in Application.initialize() at start-up (as the first study judged get_conversations)"),
18:("debatable","kopf WebhookServer reads the CA file (only with cafile=) in _build_ssl when the webhook server (re)starts, i.e. at start and on cert rotation"),
19:(G,"arun_agent -> build_config: skills defaults to (); os.path.isfile runs once per given skill only, never on the default call"),
20:("debatable","gradio lifespan shutdown (finally after yield) deletes all cached files: lstat/remove after serving has stopped"),
22:("TP","faust _try_open_db_for_partition (partition assignment, while the worker runs) opens the RocksDB for the partition (isfile + rocksdb open, disk I/O) on the loop thread"),
23:(G,"static-folder check only `if config.get_option('server.enableStaticServing')` (default False); also only in the ASGI lifespan start-up"),
25:(G,"validate_restricted_url (getaddrinfo DNS) runs only `if not self.allow_private_urls`; the field defaults to True and no code sets it False"),
38:(G,"same guard as notifications: `if not self.allow_private_urls` (default True), so the DNS check is opt-in"),
28:("debatable","memory_restore (only with memory snapshots) reads the tiny spec-environ file once per container at restore, before inputs are served"),
49:("debatable","memory_snapshot (only with memory snapshots) reads the spec-environ file once per container at checkpoint, before inputs are served"),
29:("debatable","`prefect flow serve`: loads the flow from its entrypoint (read_text) once before the runner starts serving"),
30:("TP","FileSystemLockManager.await_for_lock polls is_locked(use_cache=False), which open()s and reads the lock file on the loop thread every 0.1 s"),
31:("debatable","twitch connect(): reads the saved auth file once when the connector connects at start-up"),
43:("debatable","request_oauth_token is only called from connect(): the token file is written once at start-up"),
33:("debatable","ConfigurableHTTPProxy.start writes the PID file at hub start-up (and again only if the proxy died and is restarted)"),
34:("TP","`prefect deploy` prompt coroutine runs `git config --get remote.origin.url` (subprocess.check_output) on the loop; CLI coroutine"),
40:("TP","POST /policy/templates/suggest reads and json-parses policy_templates_backup.json (exists + open) on the loop for every request, no cache"),
41:("TP","FileDownload._async_sync_data: the async callback's usual result is a path, then _sync_data exists()+open().read()s the whole file on the loop per download"),
42:("TP","subprocess_async_client enters run_app on the loop: Popen, then httpx.get polls with time.sleep(1) until the app is up"),
44:(G,"_run_healthcheck_server is a @contextmanager: the call only builds the context manager; Thread.join runs in its finally at the `with` exit (worker shutdown)"),
45:(G,"_repair_expiration_index writes only `if changed`, for index entries whose renewal was not recorded (race/crash repair); the normal renew/remove writes are other call sites"),
46:(G,"_rmtree_including_read_only only in `except subprocess.CalledProcessError` after a failed `git fetch` of a pinned commit: error path"),
58:(G,"_rmtree_including_read_only only in `except subprocess.CalledProcessError` after a failed `git fetch`/reset: error path"),
47:("TP","worker _submit_adhoc_run -> create_bundle_for_flow_run runs `uv pip freeze` (subprocess.check_output) on the loop with the default launcher"),
50:("TP","vibe_edit endpoint (exists only in vibe mode) calls load_system_prompt: a sync httpx.Client GET of gradio.app/llms.txt on the loop for every request"),
51:("TP","start_kernel (per kernel start while serving) calls cwd_for_path: os.path.isdir stat loop on the loop thread"),
52:("TP","async test's receive_event reads the payload fixture with open() on the loop thread (test code, as the first study judged the github test helper)"),
53:("TP","grouped: get_webhook_payload open()s a fixture file; all 25 callers are async tests, so it runs on the loop (same as the first study's :550)"),
55:("TP","`piccolo migrations new` CLI coroutine: os.path.exists + mkdir + open on the loop thread"),
59:(G,"async_upload first replaces a PathLike by (name, bytes) via `await run_sync(_snapshot_upload)`; _upload_content then gets bytes and skips the PathLike branch (lstat/open)"),
60:("TP","`prefect server services stop` CLI coroutine unlinks an unreadable PID file (same helper/command as :698, TP in the first study)"),
35:("TP","DirectoryTree._loader: the listing comes from a thread, but _populate_node then stats every entry (_safe_is_dir -> Path.is_dir) on the loop thread"),
}
lines=open('/work/study2/sample.txt').read().splitlines()
out=["# seed 20261202; sample: python3 -c \"import random; lines=open('/work/study2/tau510-new.txt').read().splitlines(); print('\\n'.join(random.Random(20261202).sample(sorted(set(lines)), 60)))\"; binary as in /work/study2/tau510-new.txt; paths extra/ = /work/study-extra/src/; all 60 judged, rows in sample order; verdict script /work/study2/judge510_round2.py",
     "file:line\tmessage\tverdict\treason"]
from collections import Counter
c=Counter()
for i,l in enumerate(lines,1):
    m=re.match(r'(.*?):(\d+):\d+: TAU510 (.*)',l)
    if i in V:
        v,r=V[i]; c[v]+=1
        out.append(f"extra/{m.group(1)}:{m.group(2)}\t{m.group(3)}\t{v}\t{r}")
open('/work/main/bench/precision/TAU510-round2.tsv','w').write('\n'.join(out)+'\n')
tp=c['TP'];fp=c['FP-not-reached']+c['FP-not-blocking']
print(dict(c),len(V),'precision',tp/(tp+fp) if tp+fp else None)
