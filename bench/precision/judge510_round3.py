#!/usr/bin/env python3
"""Round 3 verdicts for /work/study3/sample.txt (60 of /work/study3/tau510.txt, seed 20261203);
writes bench/precision/TAU510-round3.tsv."""
import collections

V = [
 ("TP", "async test test_upgrade: tokenapp.start() -> init_db -> new_session_factory -> check_db_revision writes a temp alembic.ini (open) and queries sqlite on the loop thread"),
 ("TP", "GET /public/{filename} handler: is_path_inside Path.resolve()s both paths (lstat/readlink) on the loop for every request"),
 ("TP", "POST enrich-template endpoint: _validate_enrichment_request exists()+open()+json.load()s policy_templates_backup.json on the loop per request, no cache"),
 ("TP", "`piccolo migrations new` CLI coroutine: os.path.exists + mkdir + open on the loop thread (as round 2)"),
 ("debatable", "twitch request_oauth_token, only from connect(): the token file is written once at start-up (as round 2)"),
 ("debatable", "TortoiseContext.init reads the config file only with config_file=, once at start-up before serving (as round 2)"),
 ("FP-not-reached", "`raise processing_utils.ffmpeg_failed(...)` only after ffmpeg exited non-zero, and ffmpeg_version_line runs `ffmpeg -version` only when returncode < 0 (killed by a signal): error message path"),
 ("TP", "`prefect flow-run retry --entrypoint` CLI coroutine: load_flow_from_entrypoint resolves and executes the script (file I/O) on the loop; CLI coroutines count"),
 ("TP", "async test test_upgrade: new_session_factory -> check_db_revision writes the temp alembic.ini (open) on the loop (as round 2)"),
 ("TP", "vibe_edit endpoint calls load_system_prompt: sync httpx.Client GET of gradio.app/llms.txt on the loop per request (as round 2)"),
 ("TP", "WorkspaceHookRunner._run reads the manifest (Path.read_text) on the loop when hooks run (as round 2)"),
 ("TP", "flow-run setup coroutine: _find_project_root resolves paths and walks ancestors for pyproject.toml on the loop (as round 2)"),
 ("FP-not-reached", "arun_agent -> build_config: skills defaults to (), _normalize_skill's os.path.isfile runs once per given skill only (as round 2)"),
 ("TP", "DirectoryTree reload: _populate_node stats every entry (_safe_is_dir -> Path.is_dir) on the loop thread after the threaded listing"),
 ("TP", "FileDownload._async_sync_data: exists()+open().read() of the file on the loop per download (as round 2)"),
 ("debatable", "migrate() API reads a file only on the config_file= branch, once before running migrations (as round 2)"),
 ("debatable", "twitch refresh_token is awaited only from connect() after a ConnectionError (token expired at (re)connect); writes the token file once then"),
 ("TP", "async test test_named_server_migration: populate_db -> new_session_factory writes the temp alembic.ini on the loop (as round 2)"),
 ("debatable", "run_grpc coroutine reads the SSL cert/key/CA files (only when their paths are given) once at server start-up, before serving"),
 ("TP", "`modal curl` CLI coroutine: _run_curl runs curl with subprocess.call on the loop (then exits); CLI coroutines count"),
 ("TP", "grouped: gitlab test helper get_webhook_payload open()s a fixture file; all 15 callers are async tests on the loop (as round 2's github one)"),
 ("TP", "daphne TestApplication.__call__: load_setup open()+pickle.load()s the setup file on the loop for every received message"),
 ("TP", "`prefect deploy` prompt coroutine runs `git config --get remote.origin.url` (subprocess.check_output) on the loop (as round 2)"),
 ("TP", "CogniswitchQueryEngine._aquery calls query_knowledge: requests.post on the loop for every async query"),
 ("TP", "HA landisgyr config-flow step get_usb_ports: usb.get_serial_by_id isdir+scandir+realpath on the loop per port (only comports is moved to the executor)"),
 ("FP-not-reached", "_repair_expiration_index writes only `if changed`, for stale index entries (crash/race repair) (as round 2)"),
 ("debatable", "`prefect task serve` CLI: import_object loads the task scripts (resolve, exec) once before serving, like round 2's `prefect flow serve`"),
 ("TP", "grouped: github test helper get_webhook_payload open()s a fixture; all 25 callers are async tests (as round 2)"),
 ("TP", "stream _refresh (create_task on the loop, on token renewal while the stream is used) reads MODAL_IDENTITY_TOKEN_FILE with open() on the loop; the docstring says the file is the renewing source in containers"),
 ("TP", "_remove_from_expiration_index (normal lease release) loads and atomically rewrites the index JSON (mkstemp/fdopen/replace) on the loop per release"),
 ("TP", "`modal setup` CLI coroutine: check_path runs `modal --help` with subprocess.run on the loop; CLI coroutines count"),
 ("TP", "django file SessionStore.aload = self.load(): open()+read of the session file on the loop per request"),
 ("TP", "async test test_save_authentication_data calls save_authentication_data: open()+json.dump on the loop (test code counts)"),
 ("FP-not-reached", "grouped: _dump_file is called only under `if not self.single_file` (default single_file=True) or in flush's non-single-file else branch; the default path is _dump_singlefile; the grouped finding ignores its callers' guards"),
 ("TP", "StaticFileHandler.get per request: validate_absolute_path -> realpath + isdir (+ stat) on the loop"),
 ("debatable", "import_tasks (Path.glob discovery) runs once at scheduler start-up (as round 2)"),
 ("TP", "async test test_disable_user_config: assert_not_in_home Path.resolve()s each settings path on the loop thread"),
 ("TP", "LocalFileSystem.aput_directory (async API): _resolve_path Path.resolve()s on the loop, then copies"),
 ("TP", "WorkspaceHookRunner._run writes the flow-run JSON with write_private_model (mkstemp/fdopen/replace) on the loop when hooks run"),
 ("debatable", "sqlmigrate() reads a file only on the config_file= branch, once before collecting SQL (same as round 2's migrate)"),
 ("TP", "async test test_named_server_migration: new_session_factory -> check_db_revision writes the temp alembic.ini on the loop"),
 ("TP", "POST /policy/templates/suggest reads and parses the backup JSON on the loop per request (as round 2)"),
 ("TP", "DirectoryTree._loader: _populate_node stats every entry on the loop (as round 2)"),
 ("debatable", "_initialize_clustered_function: getaddrinfo('i6pn.modal.local') once at container start-up for clustered functions, before inputs"),
 ("TP", "HA ps4 async_update (every poll): _parse_status -> load_games reads the games JSON file and isfile()s it on the loop"),
 ("TP", "daphne TestApplication.__call__: save_result open()+pickle.dump on the loop for every received message"),
 ("debatable", "memory_restore (only with memory snapshots) reads the spec-environ file once per container at restore (as round 2)"),
 ("FP-not-reached", "_load_directory is decorated @work(thread=True): calling it starts a thread worker and returns a Worker (its .wait() is awaited); iterdir runs in that thread"),
 ("TP", "project settings endpoint (each UI load): get_markdown_str resolves, is_file()s and read_text()s chainlit.md on the loop"),
 ("TP", "runner bundle start (per flow run): execute_bundle_in_subprocess runs `uv pip install` with subprocess.check_call on the loop when the bundle has dependencies (bundles carry the frozen deps)"),
 ("debatable", "plan() reads a file only on the config_file= branch, once before planning (same as round 2's migrate)"),
 ("TP", "async_file_watcher (autoreload) calls watched_modules: os.path.realpath of every watched module file on the loop at start and after each reload"),
 ("TP", "_async_handle per request: _get_endpoint_config -> _load_endpoints_config open()+json.load of endpoints.json, no cache (as round 2)"),
 ("TP", "`faust clean_versions` command coroutine: shutil.rmtree of old version dirs on the loop; CLI coroutines count"),
 ("TP", "await_for_lock polls is_locked(use_cache=False): open()s the lock file on the loop every 0.1 s (as round 2)"),
 ("TP", "async test test_disable_user_config: assert_not_in_home Path.resolve()s each config_file_paths entry on the loop"),
 ("TP", "`prefect dev ui` CLI coroutine: tmpchdir's isfile/exists/chdir (and a threading lock) on the loop at `with` entry; CLI coroutines count"),
 ("TP", "ProcessStarter.start writes the supervisor config (mkstemp + fdopen + replace) on the loop per flow-run start (as round 2)"),
 ("TP", "async ClusterPipeline.unlink -> TransactionStrategy.execute_command starts a thread running asyncio.run(...) and joins it: the loop thread waits for the network command"),
 ("TP", "matrix handle_startup (EVENT_HOMEASSISTANT_STARTED, the loop already serves every other integration): _get_auth_tokens open()+reads the session file on the loop (round 1 corpus: TP)"),
]

lines = open("/work/study3/sample.txt").read().splitlines()
assert len(lines) == len(V) == 60
out = ["# seed 20261203; sample: python3 -c \"import random; lines=open('/work/study3/tau510.txt').read().splitlines(); "
       "print('\\n'.join(random.Random(20261203).sample(sorted(set(lines)), 60)))\"; binary /work/bin/tauten-async3 "
       "(branch async-precision-3 at 755fdbb); pool: 134 TAU510 on the 70 extra packages (one run per package, "
       "`check --no-cache --exit-zero --select TAU510 --extend-select TAU511 --output-format concise src/<pkg>`) + 9 on the "
       "pinned corpus; paths extra/ = /work/study-extra/src/, corpus/ = /work/main/.corpus/; all 60 judged in the code, rows in "
       "sample order; verdict script /work/study3/judge510_round3.py",
       "file:line\tmessage\tverdict\treason"]
counts = collections.Counter()
for line, (verdict, reason) in zip(lines, V):
    loc, rest = line.split(" ", 1)
    path, row, _col = loc.rstrip(":").rsplit(":", 2)
    path = "corpus/" + path[len(".corpus/"):] if path.startswith(".corpus/") else "extra/" + path
    message = rest.split(" ", 1)[1]
    out.append(f"{path}:{row}\t{message}\t{verdict}\t{reason}")
    counts[verdict] += 1
open("/work/wt-async/bench/precision/TAU510-round3.tsv", "w").write("\n".join(out) + "\n")
tp = counts["TP"]; fp = counts["FP-not-reached"] + counts["FP-not-blocking"]
print(dict(counts), f"precision {tp}/{tp+fp} = {100*tp/(tp+fp):.1f} %")
