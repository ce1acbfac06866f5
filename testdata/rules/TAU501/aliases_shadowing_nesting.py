import time
import time as t
from time import sleep
from time import sleep as nap


async def handler():
    time.sleep(1)
    t.sleep(1)
    sleep(1)
    nap(1)

    def in_a_thread():
        time.sleep(1)  # a nested sync def is its own context

    callback = lambda: time.sleep(1)  # so is a lambda
    return in_a_thread, callback


async def shadowed():
    def sleep(seconds):  # a local `sleep` is not `time.sleep`
        return seconds

    sleep(1)


def sync():
    time.sleep(1)
