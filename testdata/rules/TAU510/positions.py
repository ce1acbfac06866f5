import contextlib
import time


class Job:
    async def wait(self):
        return 0


def get_code(path):
    time.sleep(1)
    return Job()


@contextlib.contextmanager
def connect(path):
    time.sleep(1)
    yield path


def make_job(path):
    return get_code(path)


async def main(paths):
    await get_code(paths[0]).wait()  # `get_code(...)` is not awaited: reported, parenthesized
    await make_job(paths[0])  # awaited itself: not reported
    codes = [get_code(p) for p in paths]  # list comprehension: fixed
    lazy = (get_code(p) for p in paths)  # generator expression: no fix
    with connect(paths[0]) as conn:  # a `with` item: no fix (the work happens at `__enter__`)
        print(conn)
    return codes, lazy
