"""The project depends on aiofiles (setting `aiofiles`): the rewrite imports it."""

import json


async def load(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(f.read())
