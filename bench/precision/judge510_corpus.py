import re
from collections import Counter
J = {
 "file.py:108": ("TP", "FileSession.aload() calls sync load(): open()+read of the session file on the loop thread"),
 "file.py:121": ("TP", "acreate() -> create() -> save(): writes a temp file and shutil.move on the loop thread"),
 "file.py:187": ("TP", "asave() -> save(): os.open/write/shutil.move on the loop thread"),
 "file.py:193": ("TP", "aexists() -> exists(): os.path.exists on the loop thread"),
 "file.py:226": ("TP", "aclear_expired() -> clear_expired(): isdir + listdir + per-file loads on the loop thread"),
 "fastapi/routing.py:2166": ("FP-not-reached", "realpath only builds the message of a RuntimeError raised when the fallback file is missing (misconfiguration); lookup_path itself is already in run_in_threadpool"),
 "bootstrap.py:189": ("debatable", "async_enable_logging in async_setup_hass: start-up, before serving"),
 "landisgyr_heat_meter/config_flow.py:128": ("TP", "get_usb_ports: comports() is sent to the executor but get_serial_by_id (os.path.isdir/listdir of /dev/serial/by-id) runs per port on the loop"),
 "matrix/__init__.py:340": ("TP", "_get_auth_tokens calls load_json_object (open+read) directly on the loop"),
 "mysensors/config_flow.py:308": ("TP", "config-flow validation calls os.path.realpath (lstat/readlink) on the loop; small"),
 "mysensors/config_flow.py:312": ("TP", "same helper, second call: os.path.realpath on the loop"),
 "ps4/media_player.py:161": ("TP", "async_update -> _parse_status -> load_games: os.path.isfile + JSON file read on every status update"),
 "homeassistant/config.py:899": ("debatable", "is_docker_env is @functools.cache'd; first call is here, in core-config processing at start-up"),
 "system_info.py:57": ("FP-not-reached", "is_docker_env is @cache'd and already warmed at start-up (config.py): returns the cached bool, no I/O"),
 "system_info.py:61": ("debatable", "is_official_image is @cache'd: one os.path.isfile per process, lazily on the first system-info call"),
 "requirements.py:310": ("FP-not-reached", "pip_kwargs -> is_docker_env: @cache'd and warmed at start-up, no I/O here"),
}
rows=[]
for line in open("raw/corpus.txt"):
    m = re.match(r"(.*?):(\d+):(\d+): TAU510 (.*)", line.rstrip("\n"))
    if not m: continue
    loc = f"{m.group(1)}:{m.group(2)}".replace("/work/main/.corpus/", "corpus/")
    v=[vv for k,vv in J.items() if loc.endswith(k)]; assert len(v)==1, loc
    rows.append((loc, m.group(4), *v[0]))
with open("TAU510_corpus_all.tsv","w") as o:
    o.write("file:line\tmessage\tverdict\treason\n")
    for r in rows: o.write("\t".join(r)+"\n")
print(len(rows), Counter(r[2] for r in rows))
