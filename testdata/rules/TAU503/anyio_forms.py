import subprocess

import anyio


async def build():
    subprocess.run(["make"])  # fix: await anyio.to_thread.run_sync(subprocess.run, ["make"])
    subprocess.run(["make", "test"], check=True)  # through functools.partial
    await anyio.sleep(0)
