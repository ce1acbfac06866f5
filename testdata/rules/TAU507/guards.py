import asyncio
import queue
import sys
import threading

import redis


async def fresh_lock(locks, key, other: threading.Lock):
    lock = threading.Lock()
    lock.acquire()  # not reported: nobody else can hold a lock made on the line before
    locks[key] = lock
    other.acquire()  # reported


async def drain(channel: queue.Queue):
    items = []
    while not channel.empty():
        items.append(channel.get())  # not reported: an item is waiting
    if channel.qsize() > 0:
        items.append(channel.get())  # not reported
    channel.get()  # reported: the queue may be empty
    return items


async def polled(work):
    thread = threading.Thread(target=work)
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.01)
    thread.join()  # not reported: the loop ended because the thread finished


async def polled_with_break(work):
    thread = threading.Thread(target=work)
    thread.start()
    while thread.is_alive():
        if work.cancelled:
            break
        await asyncio.sleep(0.01)
    thread.join()  # reported: the loop may have left early


def _run(future):
    future.get_loop().call_soon_threadsafe(future.set_result, None)


async def signalled(loop):
    future = loop.create_future()
    thread = threading.Thread(target=_run, args=(future,))
    thread.start()
    try:
        await future
    finally:
        thread.join()  # not reported: the thread set the future as its last step


async def unsignalled(loop):
    future = loop.create_future()
    thread = threading.Thread(target=_run, args=(future,))
    thread.start()
    thread.join()  # reported: nothing was awaited


async def error_paths(process, accept_thread: threading.Thread):
    try:
        await process.wait()
    except OSError:
        accept_thread.join()  # TAU511 (error path), not TAU507
    if not process.alive:
        accept_thread.join(timeout=1.0)  # TAU511: the block ends in a raise
        raise RuntimeError("the process died")
    if sys.platform == "win32":
        threading.Event().wait()  # TAU511 (one platform)
    accept_thread.join()  # reported by TAU507


async def search(conn: redis.Redis, name):
    return await conn.ft(name).info()  # not reported: `ft()` only builds a helper


async def polled_queue(channel: queue.Queue):
    while channel.empty():
        await asyncio.sleep(0)
    return channel.get()  # not reported: the loop ended because an item arrived


async def closing(url):
    client = redis.Redis.from_url(url)
    value = client.get("k")  # reported, as `redis.Redis.get()`: `from_url` builds a client
    client.close()  # not reported: releases connections, no round trip
    return value
