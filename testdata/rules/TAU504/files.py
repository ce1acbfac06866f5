import io
import os
from pathlib import Path


async def load(path, fd):
    with open(path) as f:
        f.read()
    io.open(path)
    os.fdopen(fd)
    Path(path).open()


async def not_the_builtin(open):
    open("x")  # a parameter named open is not the builtin
