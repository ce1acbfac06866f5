from pathlib import Path
from typing import Optional

import httpx


def read(p: Path):
    return p.read_text()  # blocks: `p` is a Path by its annotation


def describe(p: Optional[Path]):
    return p.absolute()  # no disk I/O: not a sink


def ping(client: "httpx.Client", url):
    return client.get(url)


async def main(path: Path, client: httpx.Client):
    read(path)  # reported: read -> pathlib.Path.read_text()
    describe(path)  # not reported
    ping(client, "https://example.com")  # reported: ping -> httpx.Client.get()
