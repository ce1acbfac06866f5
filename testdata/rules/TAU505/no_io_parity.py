import os.path
from pathlib import Path


async def paths(p: Path, name, a, b):
    os.path.normpath(name)  # no disk I/O: not reported (TAU508 reports it for ruff parity)
    os.path.abspath(name)  # the working directory at most: same
    os.path.relpath(name)
    os.path.expanduser(name)  # $HOME: same
    p.absolute()
    p.expanduser()
    os.path.samestat(a, b)  # compares two stat results: not reported
    os.path.realpath(name)  # resolves symbolic links: blocking, fixed
