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
