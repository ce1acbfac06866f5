import re
from collections import Counter
NOIO = ("FP-not-blocking", "the message itself says the call does no disk I/O (string work / os.getcwd()); reported only for ASYNC240 parity")
J505 = {
 "datasette/utils/asgi.py:306": ("TP", "static-file handler calls root_path.resolve() (realpath syscalls) on every request"),
 "fileio.py:512": ("TP", "AsyncFileManager._read_notebook stats the atomic-write temp file with os.path.exists on the loop (the module offloads only replace/copy via run_sync)"),
 "filecheckpoints.py:182": ("TP", "AsyncFileCheckpoints.delete_checkpoint: os.path.isfile on the loop thread"),
 "screen_recording_utils.py:193": ("TP", "zoom_in coroutine: os.path.exists(input_path) on the loop thread"),
 "route_utils.py:1637": ("TP", "upload_fn request handler: Path.mkdir(parents=True) on every upload"),
 "edit_message_media.py:239": ("TP", "os.path.isfile on a user-supplied media string inside the coroutine"),
 "send_document.py:161": ("TP", "send_document: os.path.isfile(document) on the loop thread for every str input"),
 "filecheckpoints.py:169": ("TP", "AsyncFileCheckpoints.rename_checkpoint: os.path.isfile on the loop thread"),
 "chainlit/session.py:427": ("TP", "session delete: shutil.rmtree(files_dir) on the loop thread (unbounded tree)"),
 "cli_handler.py:142": ("TP", "os.path.realpath resolves symlinks (lstat/readlink) inside copy_skills coroutine"),
 "modal/network_file_system.py:332": ("TP", "assert _local_path.is_dir() stat in add_local_dir coroutine (runs on modal's synchronicity loop)"),
 "route_utils.py:962": ("TP", "multipart parse error path unlinks temp files with Path.unlink on the loop thread"),
 "send_media_group.py:317": ("TP", "os.path.isfile on each media string in send_media_group"),
 "jupyterhub/app.py:3648": ("debatable", "JupyterHub.cleanup() at shutdown: os.path.exists(pid_file) after serving has stopped"),
 "sanic/mixins/static.py:400": ("TP", "_get_file_path (static handler) calls Path.resolve() per request"),
 "prefect/filesystems.py:140": ("TP", "LocalFileSystem.aget_directory: Path('.').resolve() (getcwd + realpath) on the loop; the copy after it is the real cost"),
 "litellm/harness/sandbox/local.py:258": ("TP", "sandbox close(): shutil.rmtree of temp dirs on the loop thread"),
 "prefect/filesystems.py:254": ("TP", "LocalFileSystem.aput_directory: shutil.copytree on the loop thread"),
 "fileio.py:563": ("TP", "AsyncFileManager._read_file: os.path.isfile on the loop thread"),
 "twitch/__init__.py:477": ("debatable", "connector connect() at bot start-up checks the auth file before serving"),
 "send_sticker.py:125": ("TP", "send_sticker: os.path.isfile(sticker) on the loop thread"),
 "prefect/cli/_prompts.py:485": ("TP", "CLI prompt coroutine stats ./Dockerfile on the loop thread (CLI)"),
 "modal/cli/network_file_system.py:195": ("TP", "`modal nfs put` CLI coroutine: Path.is_dir() on the loop thread"),
 "velbus/__init__.py:211": ("TP", "HA async_migrate_entry runs on HA's loop: os.path.isdir then rmtree of the cache (HA requires executor jobs for this)"),
 "filemanager.py:1119": ("TP", "AsyncFileContentsManager.rename_file: os.path.exists on the loop before the run_sync move"),
}
J507 = {
 "file_storage.py:58": ("TP", "FileStorage.open: sqlite3.connect of an on-disk session file (timeout=1) on the loop thread"),
 "memory_storage.py:36": ("FP-not-blocking", "sqlite3.connect(':memory:') opens an in-memory database: no disk or network I/O"),
 "distributed/comm/tcp.py:485": ("FP-not-blocking", "getaddrinfo called with flags=_NUMERIC_ONLY (AI_NUMERICHOST|AI_NUMERICSERV): no DNS lookup; the code falls back to loop.getaddrinfo on EAI_NONAME"),
 "test_proxy.py:363": ("TP", "socket.gethostbyname(socket.gethostname()) resolves the host name synchronously in an async test"),
 "plan_udf_map_op.py:866": ("debatable", "blocking by design: bounded queue.Queue.put as back-pressure, the code's own comment says 'This will block the whole event-loop'"),
 "plan_udf_map_op.py:878": ("debatable", "same queue, sentinel put in finally: same deliberate back-pressure design"),
 "sglang/srt/entrypoints/http_server.py:468": ("debatable", "lifespan shutdown (after serving) joins the warm-up thread"),
 "prefect/locking/memory.py:136": ("FP-not-blocking", "lock.acquire() on a threading.Lock created on the line before: nobody else can hold it, returns at once (the enclosing `with self._locks_dict_lock` is a short critical section and is not what is reported)"),
}
for rule, J in (("TAU505", J505), ("TAU507", J507)):
    rows = []
    for line in open(f"sample_{rule}.txt"):
        line = line.rstrip("\n")
        m = re.match(rf"(.*?):(\d+):(\d+): {rule} (.*)", line)
        loc = f"{m.group(1)}:{m.group(2)}".replace("/work/study-extra/src/", "extra/").replace("/work/study-extra/src2/", "extra2/").replace("/work/main/.corpus/", "corpus/")
        msg = m.group(4)
        if "does no disk I/O" in msg: v = NOIO
        else:
            v = [vv for k, vv in J.items() if k in loc]; assert len(v) == 1, loc; v = v[0]
        rows.append((loc, msg, *v))
    with open(f"{rule}.tsv", "w") as o:
        o.write("file:line\tmessage\tverdict\treason\n")
        for r in rows: o.write("\t".join(r) + "\n")
    print(rule, Counter(r[2] for r in rows))
