import asyncio
import subprocess

import anyio.to_thread


async def build():
    subprocess.run(["make"])  # the module imports anyio: anyio.to_thread.run_sync
    await asyncio.sleep(0)
