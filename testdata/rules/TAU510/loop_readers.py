import asyncio
import inspect
import time
import traceback


def schedule(delay):
    loop = asyncio.get_running_loop()  # raises in a worker thread
    time.sleep(delay)
    return loop


def where():
    frame = inspect.currentframe()
    time.sleep(0)
    return frame


def report():
    time.sleep(0)
    return traceback.extract_stack()


def outer():
    return schedule(1)  # reads the loop through `schedule`


def plain():
    time.sleep(1)


async def main():
    schedule(1)  # no fix
    where()  # no fix
    report()  # no fix
    outer()  # no fix
    plain()  # fixed
