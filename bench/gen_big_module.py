#!/usr/bin/env python3
"""Write a generated Python module of about SIZE bytes (default 5 MB) for the split benchmark.

Its shape is that of a large hand-written module: imports, constants, classes with decorated and
plain methods, and functions that call earlier functions (at definition time through defaults and
decorators now and then, mostly inside their bodies). Seeded: the same arguments give the same
file.

usage: gen_big_module.py OUT [SIZE_BYTES]
"""
import random
import sys


def generate(size):
    rng = random.Random(5)
    lines = [
        '"""A generated module for the split benchmark."""',
        "import functools",
        "import os",
        "import re",
        "from typing import Any",
        "",
        "LIMIT = 10",
        "",
        "",
        "def _register(f):",
        "    return f",
        "",
    ]
    written = sum(len(line) + 1 for line in lines)
    i = 0
    while written < size:
        block = []
        if i % 10 == 0:
            base = f"C{i - 10}" if i >= 10 and rng.random() < 0.3 else "object"
            block += [f"class C{i}({base}):", f'    """Class {i}."""', f"    x: int = {i}", ""]
            for m in range(8):
                if m % 3 == 0:
                    block.append("    @functools.cached_property" if m == 3 else "    @staticmethod")
                    args = "self" if m == 3 else "a=None"
                else:
                    args = "self, a, b=None"
                block.append(f"    def m{m}({args}):")
                for k in range(4):
                    j = rng.randrange(max(1, i))
                    block.append(f"        v{k} = f{j}(LIMIT) + len(re.findall('a', str({k})))")
                block += ["        return v0 + v1", ""]
            block.append("")
        decorator = "@_register" if i % 7 == 0 else None
        if decorator:
            block.append(decorator)
        default = f"f{rng.randrange(i)}" if i and rng.random() < 0.05 else "None"
        block.append(f"def f{i}(a, hook={default}):")
        for k in range(5):
            j = rng.randrange(max(1, i))
            block.append(f"    t{k} = f{j}(a - 1) if a > 0 else {k}")
        block += ["    return t0 + t1 + os.sep.count('x')", "", ""]
        written += sum(len(line) + 1 for line in block)
        lines += block
        i += 1
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(generate(size))
