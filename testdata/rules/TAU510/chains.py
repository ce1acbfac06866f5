import asyncio
import time


def read_config(path):
    with open(path) as f:
        return f.read()


def load_settings(path):
    return read_config(path)


def pure(x):
    return x * 2


def ping():
    return pong()


def pong():
    return ping()  # a cycle without a blocking call: the search ends


def backoff():
    time.sleep(1)


class Service:
    def _refresh(self):
        return load_settings("settings.toml")

    async def start(self):
        self._refresh()  # reported: _refresh -> load_settings -> read_config -> builtins.open()
        await asyncio.to_thread(self._refresh)  # handed to a thread: not a call here


async def main(path):
    load_settings(path)  # reported
    pure(1)
    ping()
    backoff()  # reported: backoff -> time.sleep()
    await asyncio.to_thread(load_settings, path)

    def nested():
        load_settings(path)  # its own context

    return nested
