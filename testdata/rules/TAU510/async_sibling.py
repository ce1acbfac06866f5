import time


def acquire_lock(name, timeout=10):
    time.sleep(timeout)


async def aacquire_lock(name, timeout=10):
    return name, timeout


def fetch(url):
    time.sleep(1)


async def async_fetch(url, retries):  # other parameters: not a sibling
    return url, retries


class Store:
    def load(self, key):
        time.sleep(1)

    async def aload(self, key):
        return self.load(key)  # the sibling itself: a thread, not a call to itself

    async def serve(self, key):
        return self.load(key)  # await self.aload(key)


async def main():
    acquire_lock("jobs")  # await aacquire_lock("jobs")
    acquire_lock("jobs", timeout=1).bit_length()  # parenthesized
    fetch("https://example.com")  # a thread: the sibling's parameters differ
