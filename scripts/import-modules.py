"""Import every module that a distribution installed, each in a fresh interpreter.

Run it with the venv's interpreter:  venv/bin/python scripts/import-modules.py DIST [DIST...]
Prints one line per module, sorted: `OK module` or `FAIL module: <last line of the error>`.
`__main__` modules are skipped (importing one runs the program). The imports run from an empty
directory, so the installed copy is imported, never a source tree in the current directory.
"""

import concurrent.futures
import importlib.metadata
import os
import subprocess
import sys
import tempfile


def installed_modules(dist_name):
    dist = importlib.metadata.distribution(dist_name)
    modules = set()
    for file in dist.files or ():
        parts = file.parts
        if not parts or parts[0] == ".." or not file.name.endswith(".py"):
            continue
        if any(part.endswith((".dist-info", ".egg-info", ".data")) for part in parts):
            continue
        if not all(part.isidentifier() for part in parts[:-1]):
            continue
        stem = file.name[:-3]
        if not stem.isidentifier() or stem == "__main__":
            continue
        names = list(parts[:-1]) + ([] if stem == "__init__" else [stem])
        if names:
            modules.add(".".join(names))
    return sorted(modules)


def try_import(module, cwd):
    try:
        done = subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        )
    except subprocess.TimeoutExpired:
        return f"FAIL {module}: timeout after 60 s"
    if done.returncode == 0:
        return f"OK {module}"
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return f"FAIL {module}: {lines[-1] if lines else f'exit {done.returncode}'}"


def main():
    modules = sorted({m for dist in sys.argv[1:] for m in installed_modules(dist)})
    env_cwd = tempfile.mkdtemp(prefix="import-modules-")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            for line in pool.map(lambda m: try_import(m, env_cwd), modules):
                print(line, flush=True)
    finally:
        os.rmdir(env_cwd)


if __name__ == "__main__":
    main()
