import time


def fetch_rates():
    time.sleep(1)  # reported once: seven coroutines call it


def refresh():
    time.sleep(1)


async def local_caller():
    fetch_rates()
