import subprocess
import threading

_lock = threading.Lock()
_other = object()


class Runner:
    def __init__(self):
        self._lock = threading.RLock()
        self._state = {}

    async def run(self):
        with self._lock:
            subprocess.run(["make"])  # no fix: a threading lock is held
        with self._state:
            subprocess.run(["make"])  # not a lock: fixed
        subprocess.run(["make"])  # fixed


async def build():
    with _lock:
        subprocess.run(["make"])  # no fix
        if True:
            subprocess.run(["make"])  # no fix: still inside
    with _other:
        subprocess.run(["make"])  # not known to be a lock: fixed
    _lock.acquire()
    subprocess.run(["make"])  # no fix: acquired above
    _lock.release()
    subprocess.run(["make"])  # released: fixed
