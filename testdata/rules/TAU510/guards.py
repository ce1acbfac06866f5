import functools
import os
import platform
import subprocess
import sys
import threading
import time
from functools import lru_cache


def windows_only():
    if sys.platform == "win32":
        time.sleep(1)


def windows_prefix():
    if sys.platform.startswith("win"):
        subprocess.run(["cmd"])


def nt_only():
    if os.name == "nt":
        time.sleep(1)


def system_only():
    if "Windows" == platform.system():
        time.sleep(1)


def not_windows():
    if sys.platform == "win32":
        return
    else:
        time.sleep(1)  # the else branch is the common path: TAU510


def early(path):
    if not path:
        return None
    with open(path) as f:
        return f.read()


class Server:
    def start(self):
        if self._started:
            return
        time.sleep(1)
        self._started = True

    async def serve(self):
        self.start()  # once-only


_client = None


def client():
    if _client is not None:
        return _client
    time.sleep(1)


@functools.cache
def settings():
    with open("settings.toml") as f:
        return f.read()


@lru_cache(maxsize=None)
def lookup(key):
    time.sleep(1)


def fresh_lock():
    lock = threading.Lock()
    lock.acquire()


def shared_lock(lock: threading.Lock):
    lock.acquire()  # TAU510


def reap(worker: threading.Thread):
    if not worker.is_alive():
        worker.join()


def wait_for(worker: threading.Thread):
    worker.join()  # TAU510


def through(path):
    return early(path)  # every chain passes a guard


def both(path):
    early(path)
    time.sleep(1)  # the common path wins: TAU510


def on_error(path):
    try:
        return path.upper()
    except ValueError:
        # Only while handling an error (an error report, a repair).
        return open(path).read()


async def main(path):
    windows_only()
    windows_prefix()
    nt_only()
    system_only()
    not_windows()  # TAU510
    early(path)
    client()
    settings()
    lookup("a")
    fresh_lock()
    shared_lock(threading.Lock())  # TAU510
    reap(threading.Thread())
    wait_for(threading.Thread())  # TAU510
    through(path)
    both(path)  # TAU510
    on_error(path)
    if sys.platform == "darwin":
        time.sleep  # not a call
        both(path)  # the call itself is under a platform guard
