#!/usr/bin/env python3
"""Where the TAU510 findings judged in rounds 5-10 sit in their coroutines, by verdict.

For each judged finding the binary still reports as TAU510, the call on that line is found with
Python's `ast`, and the statements between it and its enclosing function are read: the `if`
whose body it is in (and the kind of test), an `else`, a `for` body, an `except` handler, a
conditional expression. The table tells whether a guard at the coroutine's call site could
separate the true findings from the false ones.

usage: call_site_conditions.py OUT_DIR [POOL_ROOT]
  OUT_DIR    one concise output per package (`check --no-cache --exit-zero --select
             TAU505,TAU507,TAU510,TAU511 --output-format concise srcN/pkg`), paths relative to
  POOL_ROOT  the precision pool (default /work/study-extra)
"""
import ast
import collections
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def judged_rows():
    for path in sorted(glob.glob(os.path.join(HERE, "TAU510-round*.tsv"))):
        round_ = int(path.rsplit("round", 1)[1].split(".")[0])
        if round_ < 5:  # earlier rounds used other path prefixes
            continue
        for line in open(path, encoding="utf-8"):
            if line.startswith(("#", "file:line")):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                yield round_, parts[0], parts[2]


def reported(out_dir):
    codes = collections.defaultdict(set)
    for path in glob.glob(os.path.join(out_dir, "*.txt")):
        for line in open(path, encoding="utf-8"):
            parts = line.split(":", 3)
            if len(parts) == 4:
                codes[f"{parts[0]}:{parts[1]}"].add(parts[3].split()[0])
    return codes


def test_kind(test):
    if isinstance(test, ast.BoolOp):
        return "and/or of " + "+".join(sorted({test_kind(v) for v in test.values}))
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return f"not({test_kind(test.operand)})"
    if isinstance(test, ast.Name):
        return "if name"
    if isinstance(test, ast.Attribute):
        return "if attribute"
    if isinstance(test, ast.Call):
        return "if call"
    if isinstance(test, ast.Compare):
        values = [test.left, *test.comparators]
        if any(isinstance(v, ast.Constant) and v.value is None for v in values):
            return "if ... is (not) None"
        if any(isinstance(v, ast.Constant) for v in values):
            return "if comparison with a literal"
        return "if comparison"
    return "if " + type(test).__name__


def innermost_condition(tree, line):
    parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno == line]
    if not calls:
        return "no call on the line"
    node = calls[0]
    while node in parents:
        parent = parents[node]
        if isinstance(parent, (ast.AsyncFunctionDef, ast.FunctionDef, ast.Lambda)):
            return "unconditional"
        if isinstance(parent, ast.If) and node in parent.body:
            return test_kind(parent.test)
        if isinstance(parent, ast.If) and node in parent.orelse:
            return "else"
        if isinstance(parent, ast.IfExp) and node is not parent.test:
            return "conditional expression"
        if isinstance(parent, (ast.For, ast.AsyncFor)) and node in parent.body:
            return "for body"
        if isinstance(parent, ast.ExceptHandler):
            return "except"
        node = parent
    return "module level"


def main():
    out_dir = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else "/work/study-extra"
    codes = reported(out_dir)
    still = collections.Counter()
    table = collections.defaultdict(collections.Counter)
    for _, place, verdict in judged_rows():
        found = codes.get(place, set())
        state = "TAU510" if "TAU510" in found else "TAU511" if "TAU511" in found else "gone"
        still[(verdict, state)] += 1
        if state != "TAU510":
            continue
        path, line = place.rsplit(":", 1)
        try:
            source = open(os.path.join(root, path), encoding="utf-8", errors="replace").read()
            where = innermost_condition(ast.parse(source), int(line))
        except (OSError, SyntaxError, ValueError):
            where = "unreadable"
        table[where][verdict.split("-")[0]] += 1
    print("| verdict | still TAU510 | now TAU511 | gone |\n| --- | ---: | ---: | ---: |")
    for verdict in sorted({v for v, _ in still}):
        print(f"| {verdict} | {still[(verdict, 'TAU510')]} | {still[(verdict, 'TAU511')]} "
              f"| {still[(verdict, 'gone')]} |")
    print("\n| innermost condition at the call | TP | FP | debatable |\n| --- | ---: | ---: | ---: |")
    for where, counts in sorted(table.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"| {where} | {counts['TP']} | {counts['FP']} | {counts['debatable']} |")


if __name__ == "__main__":
    main()
