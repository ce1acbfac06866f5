import os
import tempfile


async def save(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)  # TAU507: opens on disk
    with os.fdopen(fd, "wb") as f:  # TAU504 (as ruff's ASYNC230), not TAU507
        f.write(data)


async def scratch():
    handle, name = tempfile.mkstemp()  # TAU507
    folder = tempfile.mkdtemp()  # TAU507
    return handle, name, folder
