import time

from anyio import Event


async def pause(names):
    time.sleep(1)  # anyio is imported: anyio.sleep
    [time.sleep(0) for _ in names]  # list comprehension: fixed
    lazy = (time.sleep(0) for _ in names)  # generator expression: no fix
    await Event().wait()
    return lazy
