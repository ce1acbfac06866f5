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
