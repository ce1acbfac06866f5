import asyncio
import functools
import subprocess
import sys
import time


def windows_console():
    if sys.platform == "win32":
        subprocess.run(["chcp", "65001"])


@functools.lru_cache(maxsize=None)
def cached_settings(path):
    with open(path) as f:
        return f.read()


def loop_time():
    return asyncio.get_event_loop().time()


def stamped_sleep(n):
    started = loop_time()
    time.sleep(n)
    return started


def load_config(filename, persist=False):
    # Written back only when the caller asks for it.
    if persist and filename:
        save_config(filename)
    return filename


def save_config(filename):
    with open(filename, "w") as f:
        f.write("")


def list_contexts(filename):
    # Never passes `persist`: never writes.
    return load_config(filename)
