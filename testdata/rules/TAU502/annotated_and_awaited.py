from typing import Optional

import httpx
import requests


async def fetch(
    url,
    client: httpx.Client,
    maybe: Optional[httpx.Client] = None,
    quoted: "httpx.Client" = None,
    other: httpx.AsyncClient = None,
):
    client.get(url)  # reported: an annotated client
    maybe.post(url)  # reported
    quoted.send(client.build_request("GET", url))  # `send` reported; `build_request` does no I/O
    await other.get(url)  # an async client
    await client.get(url)  # awaited: returns an awaitable, not a blocking call
    session = requests.Session()  # building a session does no I/O
    session.get(url).raise_for_status()  # reported, parenthesized in the fix
    raise requests.exceptions.HTTPError(url)  # not a request
