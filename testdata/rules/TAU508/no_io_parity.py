import os.path
from pathlib import Path


async def paths(p: Path, name, a, b):
    os.path.normpath(name)  # no I/O: reported for ruff parity, without a fix
    os.path.abspath(name)  # the working directory at most: same
    os.path.relpath(name)
    os.path.expanduser(name)  # $HOME: same
    p.absolute()
    p.expanduser()
    os.path.samestat(a, b)  # compares two stat results: not reported
    os.path.realpath(name)  # resolves symbolic links: TAU505's, not reported here
    os.path.abspath(name)  # noqa: ASYNC240


def sync(name):
    os.path.abspath(name)  # not in `async def`: not reported
