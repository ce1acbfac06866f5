import threading
from contextlib import contextmanager


def lines(path):
    # A generator: calling it runs nothing until it is iterated.
    with open(path) as f:
        yield from f


def wrapper(path):
    return lines(path)  # passed on: the caller may iterate it


@contextmanager
def serving():
    worker = threading.Thread()
    worker.start()
    try:
        yield
    finally:
        worker.join()  # at the `with` exit


@contextmanager
def opened(path):
    f = open(path)  # at `__enter__`
    try:
        yield f
    finally:
        f.close()


async def main(path):
    created = lines(path)
    lines(path)
    for line in lines(path):  # TAU510
        print(line)
    list(lines(path))  # TAU510
    wrapper(path)  # TAU510
    server = serving()
    with serving():
        pass
    with opened(path) as f:  # TAU510
        print(f)
    return created, server
