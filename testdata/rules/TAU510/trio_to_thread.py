import trio


def read_config(path):
    with open(path) as f:
        return f.read()


async def load(path):
    text = read_config(path)  # fix: await trio.to_thread.run_sync(read_config, path)
    more = read_config(path=path)  # keyword arguments: through functools.partial
    return text, more
