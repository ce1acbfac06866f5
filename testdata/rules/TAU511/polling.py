import time


def wait_until(fn, timeout=5.0):
    # Polls `fn` first: when it already holds, the helper returns before it sleeps.
    start = time.monotonic()
    while True:
        try:
            result = fn()
        except AssertionError:
            if time.monotonic() - start > timeout:
                raise
        else:
            if result or result is None:
                return
        time.sleep(0.1)


def retry(fn, attempts=5):
    for _ in range(attempts):
        if fn():
            break
        time.sleep(1)


def spin():
    while True:
        time.sleep(1)  # TAU510: nothing is tested before the sleep


def sleep_first(fn):
    while True:
        time.sleep(1)  # TAU510: it sleeps before it tests
        if fn():
            return


def inner_break(fn, items):
    while True:
        for item in items:
            if item:
                break  # breaks the inner loop only
        time.sleep(1)  # TAU510


async def main():
    wait_until(lambda: True)
    retry(lambda: True)
    spin()  # TAU510
    sleep_first(lambda: True)  # TAU510
    inner_break(lambda: True, [])  # TAU510
