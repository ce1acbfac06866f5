#!/usr/bin/env python3
"""Round 4 verdicts for /work/study4/sample.txt (60 of /work/study4/tau510.txt, seed 20261204, binary at
56a5ab0); findings judged in round 3 or round 2 (same file:line and message) keep that verdict and reason
(re-read); writes bench/precision/TAU510-round4.tsv."""
import collections

def table(path):
    rows = {}
    for line in open(path):
        if line.startswith("#") or line.startswith("file:line"):
            continue
        loc, msg, verdict, reason = line.rstrip("\n").split("\t")
        rows[(loc, msg)] = (verdict, reason)
    return rows

known = table("/work/wt-async/bench/precision/TAU510-round3.tsv")
known2 = table("/work/wt-async/bench/precision/TAU510-round2.tsv")

NEW = {
 2: ("debatable", "HA async_setup_hass: async_enable_logging (isfile of the log file, handlers) once at bootstrap, before anything is served"),
 3: ("debatable", "`prefect flow serve`: from_entrypoint loads the flow script (resolve, exec) once before the runner serves (round 2 judged this line the same through another chain)"),
 6: ("TP", "POST prompt-file convert endpoint: write_bytes of the upload and prompt_file_to_json's Path.read_text on the loop per request"),
 7: ("debatable", "ConfigurableHTTPProxy.start: _check_previous_process reads the pid file at hub start-up (as round 2's _write_pid_file)"),
 10: ("debatable", "read_config_file is only called from proxy_cli via asyncio.run before the proxy starts: start-up config read"),
 11: ("FP-not-reached", "`prefect deploy`: _gather_deployment_trigger_definitions opens a file only for a --trigger given as a .yaml/.json path; default none (like round 2's skills=())"),
 12: ("TP", "HA mysensors config-flow validate_common: realpath of the persistence file on the loop per submission while HA serves"),
 16: ("debatable", "workspace supervisor process main: reads its config file once before it starts supervising"),
 17: ("TP", "async test: serve_and_request starts a threaded server, then requests.get on the test's loop thread"),
 19: ("TP", "LocalProvisioner.launch_kernel (each kernel start while serving): launch_kernel Popen()s the kernel on the loop (the chain shown is open(os.devnull) under redirect_out; Popen runs anyway)"),
 20: ("FP-not-reached", "move_slot -> get_node: gethostbyname only when the redirect host is the literal 'localhost'; MOVED/ASK errors carry the node address, and 'localhost' resolves from /etc/hosts"),
 21: ("debatable", "interactive `prefect deploy`: _save_deployment_to_prefect_file writes prefect.yaml only after is_interactive() and a confirm() prompt: interactive by design"),
 24: ("TP", "django file SessionStore.aexists = self.exists(): os.path.exists of the session file on the loop per call (new-key creation)"),
 25: ("TP", "`modal token set` flow coroutine _set_token: _read_user_config exists()+open()+toml.load of ~/.modal.toml on the loop; CLI coroutines count"),
 31: ("TP", "async test test_get_authorization_data: open()+json.load on the loop (test code counts)"),
 32: ("TP", "LocalSandbox.read (async, per read): resolve_path os.path.realpath()s on the loop before the read goes to a thread"),
 37: ("FP-not-reached", "_load_directory is decorated @work(thread=True): the call starts a thread worker and returns a Worker; iterdir runs in that thread (as round 3)"),
 44: ("TP", "aacquire_lock: is_locked(key) (use_cache=False) open()s and parses the lock file on the loop per acquire"),
 47: ("debatable", "FileStore.flush is awaited by the state/crypto stores' close(): the pickle/JSON dump happens at shutdown"),
 51: ("TP", "async test test_upgrade: tokenapp.start() -> init_db -> new_session_factory writes the temp alembic.ini on the loop (as round 3's :97)"),
 52: ("debatable", "app_css_hash reads app.css only `if not hasattr(self, '_app_css_hash')`: once per process, lazily on the first page render"),
 54: ("TP", "avatar endpoint per request: Path.glob of the avatars dir and is_path_inside Path.resolve() on the loop"),
 55: ("TP", "HA mysensors config flow: realpath of each other entry's persistence file on the loop per submission"),
 58: ("TP", "async test test_upgrade: UpgradeDB.start -> upgrade_if_needed -> backup_db_file exists()+copy on the loop"),
 59: ("FP-not-reached", "_cleanup_path unlinks the temp file only `if not success` in the finally: an upload that failed or was cancelled"),
}

lines = open("/work/study4/sample.txt").read().splitlines()
assert len(lines) == 60
out = ["# seed 20261204; sample: python3 -c \"import random; lines=open('/work/study4/tau510.txt').read().splitlines(); "
       "print('\\n'.join(random.Random(20261204).sample(sorted(set(lines)), 60)))\"; binary /work/bin/tauten-async3b "
       "(branch async-precision-3 at 56a5ab0); pool: 132 TAU510 on the 70 extra packages + 8 on the pinned corpus; "
       "35 rows are findings judged in round 3 (or round 2) with the same file:line and message and keep that verdict "
       "(re-read), 25 judged afresh in the code; rows in sample order; verdict script /work/study4/judge510_round4.py",
       "file:line\tmessage\tverdict\treason"]
counts = collections.Counter()
reused = 0
for i, line in enumerate(lines, 1):
    loc, rest = line.split(" ", 1)
    path, row, _col = loc.rstrip(":").rsplit(":", 2)
    path = "corpus/" + path[len(".corpus/"):] if path.startswith(".corpus/") else "extra/" + path
    message = rest.split(" ", 1)[1]
    key = (f"{path}:{row}", message)
    if i in NEW:
        verdict, reason = NEW[i]
    elif key in known:
        verdict, reason = known[key]; reused += 1
    elif key in known2:
        verdict, reason = known2[key]; reused += 1
    else:
        raise SystemExit(f"row {i} not judged: {line}")
    out.append(f"{path}:{row}\t{message}\t{verdict}\t{reason}")
    counts[verdict] += 1
open("/work/wt-async/bench/precision/TAU510-round4.tsv", "w").write("\n".join(out) + "\n")
tp = counts["TP"]; fp = counts["FP-not-reached"] + counts["FP-not-blocking"]
print(dict(counts), "reused", reused, f"precision {tp}/{tp+fp} = {100*tp/(tp+fp):.1f} %")
