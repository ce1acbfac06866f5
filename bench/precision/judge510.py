import re
V = {}  # substring of the finding line -> (verdict, reason)
P = [
 ("handle_exception_on_proxy", "FP-not-reached", "sink Path.read_text in bug_report_config._litellm_settings_keys is @functools.cache'd and only reached on the unexpected-exception path when bug_report_enabled(): at most one read per process, never on the normal path"),
 ("orchestration.get_client -> prefect.server.api.server.SubprocessASGIServer.start", "FP-not-reached", "get_client returns the context client if any, and starts the ephemeral server (httpx.Client.get health poll) only when PREFECT_API_URL is unset AND ephemeral mode is on; SubprocessASGIServer is a per-port singleton with a `running` flag, so it blocks at most once per process"),
 ("get_events_subscriber -> prefect.server.api.server.SubprocessASGIServer.start", "FP-not-reached", "same as get_client: ephemeral server started only when no api_url is configured (elif branch), singleton, once per process"),
 ("streamlit.config.get_config_options -> os.path.exists()", "FP-not-reached", "get_config_options returns the module-global _config_options when set (`if config_options and not force_reparse: return`); config is parsed at bootstrap before the server serves, so os.path.exists never runs from this coroutine"),
 ("get_webhook_payload -> builtins.open()", "TP", "async test reads a JSON fixture with open() on the loop thread (test code, real disk read)"),
]
S = {
 "unified_guardrail.py:1217": ("debatable", "load_guardrail_translation_mappings caches in a module global; discover_* (os.path.exists/dir scan) runs on the first request only: once-per-process lazy init"),
 "modal/token_flow.py:183": ("TP", "`modal token set` coroutine reads+writes ~/.modal.toml (os.path.exists, open, toml dump) on the loop thread; CLI, but real file I/O each run"),
 "hikari/impl/rest.py:3640": ("FP-not-blocking", "chain ends in urllib.request.urlopen(data_uri) in Bytes.from_data_uri, only for strings starting with 'data:': urlopen of a data: URL decodes in memory, no network/disk"),
 "jupyterhub/app.py:3546": ("debatable", "init_tornado_settings is called from JupyterHub.initialize() at start-up, before serving"),
 "modal/cli/secret.py:109": ("debatable", "interactive CLI prompt by design: input() + subprocess editor while the user edits a secret; nothing else runs on the loop"),
 "prefect/cli/api.py:236": ("TP", "`prefect api --data @file` reads the file (Path.exists, read_text) inside the CLI coroutine on the loop thread"),
 "faust/cli/clean_versions.py:21": ("TP", "CLI command's async run() calls remove_old_versiondirs -> shutil.rmtree on the loop thread"),
 "policy_endpoints/endpoints.py:683": ("TP", "request handler get_policy_templates falls back to reading the local JSON backup (os.path.exists + open) when the GitHub fetch fails; offline deployments take this path every request"),
 "taskiq/cli/scheduler/run.py:467": ("debatable", "import_tasks (Path.glob discovery) runs once at scheduler start-up, before scheduling"),
 "test_singleuser.py:216": ("TP", "nested sync helper in an async test calls Path.resolve() (realpath: lstat/readlink syscalls) on the loop thread; tiny I/O, test code"),
 "prefect/_sdk/generator.py:125": ("TP", "generate_sdk coroutine calls render_sdk which writes the generated files with Path.write_text on the loop thread"),
 "streamlit/runtime/backend_operation_handler.py:319": ("debatable", "_detect_installed_agents_cached is @lru_cache(maxsize=1): os.path.isdir scan runs once per process, on the first such operation"),
 "telegram/_bot.py:1943": ("TP", "send_* with a local path: parse_file_input opens and reads the file (path.open('rb')) on the loop thread unless local_mode"),
 "telegram/_bot.py:12040": ("TP", "same as above: parse_file_input reads a local file passed by path on the loop thread"),
 "_picklepersistence.py:382": ("debatable", "get_conversations loads the pickle file only when self.conversations is empty; PTB calls it from Application.initialize() at start-up, then it is cached"),
 "_picklepersistence.py:518": ("TP", "PicklePersistence.flush/update writes the pickle file via _dump_file on the loop thread"),
 "anthropic/messages/native/transformation.py:393": ("debatable", "chain is right (sync httpx.get of the remote beta-headers config, 5 s timeout) but _load_beta_headers_config caches in a global: one network fetch on the first request per process"),
 "prefect/runner/_workspace_resolver.py:392": ("TP", "flow-run setup coroutine: _find_project_root resolves paths and walks ancestors for pyproject.toml (stat) on the loop thread"),
 "daphne/testing.py:240": ("TP", "TestApplication's exception path pickles the exception to a file with open() on the loop thread (error path of a test helper)"),
 "distributed/utils_test.py:1316": ("TP", "has_ipv6 binds/listens/connects a loopback socket synchronously (socket.create_connection) inside an async test helper; short but blocking"),
 "prefect/cli/server.py:698": ("TP", "`prefect server services stop` coroutine unlinks the PID file (Path.unlink) on the loop thread"),
 "vertex_ai/files/transformation.py:1594": ("FP-not-reached", "caller passes bytes (await _aread_all(...)); _iter_numbered_openai_jsonl_lines returns in the bytes branch, open() is only in the `isinstance(content, PathLike)` branch"),
 "telethon/client/uploads.py:837": ("FP-not-reached", "_get_metadata returns at once `if not hachoir` (optional dependency, not installed by default); open() runs only with hachoir installed and a str path"),
 "cyberark_secret_manager.py:307": ("TP", "_get_request_headers -> _authenticate does a sync httpx.Client.post to Conjur on every token-cache miss (token TTL), inside async_write_secret on the loop thread"),
}
rows = []
for line in open("sample_TAU510.txt"):
    line = line.rstrip("\n")
    m = re.match(r"(.*?):(\d+):(\d+): TAU510 (.*)", line)
    loc = f"{m.group(1)}:{m.group(2)}".replace("/work/study-extra/src/", "extra/").replace("/work/main/.corpus/", "corpus/")
    msg = m.group(4)
    v = None
    for k, (vv, r) in S.items():
        if k in loc: v = (vv, r)
    if v is None:
        for k, vv, r in P:
            if k in msg: v = (vv, r)
    assert v, loc
    rows.append((loc, msg.replace("\t", " "), *v))
with open("TAU510.tsv", "w") as o:
    o.write("file:line\tmessage\tverdict\treason\n")
    for r in rows: o.write("\t".join(r) + "\n")
from collections import Counter
print(Counter(r[2] for r in rows))
