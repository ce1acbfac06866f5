import threading

import httpx
import requests


session = requests.Session()


async def fetch(url):
    client = httpx.Client()
    client.get(url)  # reported: client is an httpx.Client
    with httpx.Client() as scoped:
        scoped.post(url)  # reported
    session.get(url)  # reported: a module-level requests session
    async with httpx.AsyncClient() as good:
        await good.get(url)  # not blocking


async def guarded(lock=threading.Lock()):
    other = threading.Lock()
    other.acquire()  # TAU507 (not selected here)


async def rebinding(url, client):
    client.get(url)  # a parameter: unknown type, not reported
