import asyncio
import queue
import socket
import sqlite3
import threading

import psycopg2


async def handler(path):
    sqlite3.connect(path)
    psycopg2.connect("dbname=test")
    socket.create_connection(("example.org", 80))
    threading.Lock().acquire()
    queue.Queue().get()
    queue.Queue().put(None)  # not reported: blocks only when a bounded queue is full


async def shutdown(loop):
    await loop.shutdown_default_executor()
    thread = threading.Thread(target=print)
    thread.start()
    thread.join()  # reported without a fix: `to_thread` would need the executor just shut down


async def no_io(host):
    sqlite3.connect(":memory:")  # not reported: an in-memory database
    sqlite3.connect("file::memory:?cache=shared", uri=True)  # not reported
    sqlite3.connect(database=":memory:")  # not reported
    socket.getaddrinfo(host, 80, flags=socket.AI_NUMERICHOST)  # not reported: no name lookup
    socket.getaddrinfo(host, 80, 0, 0, 0, socket.AI_NUMERICHOST | socket.AI_NUMERICSERV)  # same
    socket.getaddrinfo(host, 80, flags=socket.AI_NUMERICSERV)  # reported: the host is looked up
    sqlite3.connect("app.db")  # reported


_IS_SYNC = False


async def generated(host):
    if True:  # ASYNC:
        pass
    else:
        socket.getaddrinfo(host, 80)  # not reported: never runs
    if not _IS_SYNC:
        pass
    else:
        sqlite3.connect("app.db")  # not reported: never runs
    if _IS_SYNC:
        sqlite3.connect("app.db")  # not reported: never runs
    else:
        sqlite3.connect("other.db")  # reported


async def no_wait(lock: threading.Lock, jobs: queue.Queue, done: threading.Event, worker: threading.Thread):
    while not lock.acquire(blocking=False):  # not reported: asked not to wait
        await asyncio.sleep(0.01)
    lock.acquire(False)  # not reported
    lock.acquire(timeout=0)  # not reported
    jobs.get(block=False)  # not reported
    jobs.get(False)  # not reported
    done.wait(0)  # not reported
    worker.join(timeout=0)  # not reported
    lock.acquire(timeout=1)  # reported: waits up to a second
    jobs.get(block=True)  # reported
