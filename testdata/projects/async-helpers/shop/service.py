import asyncio

from shop import config
from shop.config import load_settings, pure
from shop.db.store import Store, quick_sum
from .config import ping_forever


async def start(path):
    settings = load_settings(path)  # TAU510: load_settings -> read_config -> open()
    again = config.read_config(path)  # TAU510: by module attribute
    doubled = pure(2)  # fine: never blocks
    ping_forever()  # fine: a cycle without blocking calls
    total = quick_sum([1, 2])  # fine
    return settings, again, doubled, total


async def count_items(path):
    store = Store.retrying(path)  # TAU510: a classmethod of an imported class
    return Store(path).count()  # TAU510: a method of an object built in the expression


async def in_thread(path):
    # Handed to a thread: not blocking the loop.
    return await asyncio.to_thread(load_settings, path)


def summarize(path):
    return load_settings(path)


async def through_local_helper(path):
    return summarize(path)  # TAU510: summarize -> shop.config.load_settings -> ...
