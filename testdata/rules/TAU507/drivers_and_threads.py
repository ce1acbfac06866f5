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
