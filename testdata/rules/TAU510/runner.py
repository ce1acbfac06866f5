import time


def read_config(path, *, retries=1):
    time.sleep(retries)
    return path


async def load(path):
    first = read_config(path)  # the configured runner: await run_in_threadpool(read_config, path)
    second = read_config(path, retries=2)  # keywords: through functools.partial
    return first, second
