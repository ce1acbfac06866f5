import time


def fetch_rates():
    return _read_cache()  # reported once, here, with the six call sites


def _read_cache():
    with open("rates.json") as f:
        return f.read()


def rarely():
    time.sleep(1)


async def one():
    fetch_rates()


async def two():
    fetch_rates()
    fetch_rates()  # the same coroutine: counted once


async def three():
    fetch_rates()


async def four():
    fetch_rates()


async def five():
    fetch_rates()


async def six():
    fetch_rates()
    rarely()  # few callers: reported here


async def seven():
    rarely()
