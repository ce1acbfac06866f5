import os
import sqlite3


def normalize(path):
    return os.path.normpath(os.path.abspath(os.path.expanduser(path)))


def locate(path):
    full = os.path.abspath(path)  # no I/O: not the chain's sink
    return os.path.exists(full)  # the first call that blocks


def display(path):
    return normalize(path).replace(os.sep, "/")


def cmdline(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as f:  # answered from kernel memory: not a sink
        return f.read()


def memory_db():
    return sqlite3.connect(":memory:")  # an in-memory database: not a sink


def wrap(fd):
    return os.fdopen(fd, "wb", closefd=False)  # wraps an open descriptor: no I/O


def write_through(fd, data):
    f = wrap(fd)
    f.write(data)


async def main(path):
    normalize(path)  # not reported: nothing it calls blocks
    display(path)  # not reported
    locate(path)  # reported: locate -> os.path.exists()
    write_through(3, b"x")  # not reported: os.fdopen opens nothing
    cmdline(1)  # not reported
    memory_db()  # not reported
