import time


def pause():
    time.sleep(1)  # reported once: three coroutines call it, above the limit of 2


async def a():
    pause()


async def b():
    pause()


async def c():
    pause()
