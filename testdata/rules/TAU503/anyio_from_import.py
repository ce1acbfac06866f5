import subprocess

from anyio import create_task_group


async def build():
    subprocess.run(["make"])  # anyio by a from-import: `import anyio` is added
    async with create_task_group():
        pass
