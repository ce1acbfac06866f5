import urllib.request

import httpx
import requests
from requests import get as fetch


async def handler(url):
    requests.get(url)
    requests.post(url, data={})
    fetch(url)
    httpx.get(url)
    urllib.request.urlopen(url)
    async with httpx.AsyncClient() as client:
        await client.get(url)
