#!/usr/bin/env python3
"""Differential test: tauten against ruff on real code, matched on (file, line).

For each rule pair (TAU101~F401, TAU201~TC001-TC003, TAU202~TC004, TAU203~TC005, TAU50x~ASYNC2xx)
it runs both tools
with JSON output on the same trees and reports, per tree and in total: ruff's findings, ours, the
matched ones, recall (share of ruff's that are ours) and precision (share of ours that are ruff's).

  --strip-noqa         also check a copy with every `# noqa` comment removed (many more findings)
  --mutations N        seeded mutations: in N files, delete the one use of an imported name; tauten
                       must report exactly that import, and its fix must leave the file compiling
                       and pyflakes-clean
  --min-recall/--min-precision R   fail (exit 1) below these, per rule pair, over all trees

Needs ruff and pyflakes (scripts/setup-reference-tools.sh puts them in .venv-ref/).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = {
    "TAU101": ("F401",),
    "TAU201": ("TC001", "TC002", "TC003"),
    "TAU202": ("TC004",),
    "TAU203": ("TC005",),
    "TAU501": ("ASYNC251",),
    "TAU502": ("ASYNC210", "ASYNC212"),
    "TAU503": ("ASYNC220", "ASYNC221", "ASYNC222"),
    "TAU504": ("ASYNC230",),
    # ASYNC240 also reports path calls that do no disk I/O: TAU505 leaves those to the opt-in
    # TAU508, so the two together are what ASYNC240 is.
    "TAU505+TAU508": ("ASYNC240",),
    "TAU506": ("ASYNC250",),
}
NOQA = re.compile(r"#\s*(noqa|ruff:\s*noqa|flake8:\s*noqa)\b[^\"'\n]*$", re.IGNORECASE)


def run_json(cmd: list[str]) -> list[dict]:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout or "[]")


def findings(tool: str, tree: Path, codes: list[str]) -> dict[str, set[tuple[str, int]]]:
    """Findings by code, as (path relative to the tree, row)."""
    if tool == "ruff":
        cmd = [RUFF, "check", "--isolated", "--no-cache", "--exit-zero", "--output-format", "json",
               "--select", ",".join(codes), str(tree)]
    else:
        cmd = [TAUTEN, "check", "--no-cache", "--exit-zero", "--output-format", "json",
               "--select", ",".join(codes), str(tree)]
    out: dict[str, set[tuple[str, int]]] = {}
    for row in run_json(cmd):
        if row.get("code") is None:
            continue
        rel = os.path.relpath(row["filename"], tree)
        out.setdefault(row["code"], set()).add((rel, row["location"]["row"]))
    return out


def compare(trees: list[Path], show: int) -> dict[str, dict[str, int]]:
    totals = {ours: {"ruff": 0, "tauten": 0, "matched": 0} for ours in PAIRS}
    ruff_codes = [c for codes in PAIRS.values() for c in codes]
    for tree in trees:
        theirs_by_code = findings("ruff", tree, ruff_codes)
        ours_by_code = findings("tauten", tree, [c for ours in PAIRS for c in ours.split("+")])
        for ours_code, their_codes in PAIRS.items():
            theirs = set().union(*(theirs_by_code.get(c, set()) for c in their_codes))
            ours = set().union(*(ours_by_code.get(c, set()) for c in ours_code.split("+")))
            matched = theirs & ours
            t = totals[ours_code]
            t["ruff"] += len(theirs)
            t["tauten"] += len(ours)
            t["matched"] += len(matched)
            if theirs or ours:
                print(f"  {tree.name:<24} {ours_code} ~ {'/'.join(their_codes):<17} "
                      f"ruff {len(theirs):>6}  tauten {len(ours):>6}  matched {len(matched):>6}")
            for label, diff in (("only ruff", theirs - ours), ("only tauten", ours - theirs)):
                for rel, row in sorted(diff)[:show]:
                    line = read_line(tree / rel, row)
                    print(f"      {label}: {rel}:{row}: {line.strip()[:100]}")
    return totals


def read_line(path: Path, row: int) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()[row - 1]
    except (OSError, IndexError):
        return ""


def strip_noqa(trees: list[Path], into: Path) -> list[Path]:
    copies = []
    for tree in trees:
        copy = into / tree.name
        shutil.copytree(tree, copy)
        for path in copy.rglob("*.py"):
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            stripped = "\n".join(NOQA.sub("", line) for line in text.split("\n"))
            if stripped != text:
                path.write_text(stripped, encoding="utf-8", errors="surrogateescape")
        copies.append(copy)
    return copies


def pyflakes_unused(path: Path) -> set[int]:
    proc = subprocess.run([PYFLAKES, str(path)], capture_output=True, text=True)
    rows = set()
    for line in proc.stdout.splitlines():
        m = re.match(r".*?:(\d+):\d+:? .*imported but unused", line)
        if m:
            rows.add(int(m.group(1)))
    return rows


def tauten_rows(path: Path) -> set[int]:
    rows = run_json([TAUTEN, "check", "--no-cache", "--exit-zero", "--output-format", "json",
                     "--select", "TAU101", str(path)])
    return {r["location"]["row"] for r in rows}


def mutation_candidates(path: Path):
    """((statement row, name row), name, use node) where a module-level imported name is read once."""
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return []
    imported = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not (
                isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            for alias in node.names:
                if alias.name == "*" or alias.asname == alias.name:
                    continue
                name = alias.asname or alias.name.split(".")[0]
                if "." in alias.name and not alias.asname:
                    continue
                # pyflakes reports the statement's line, ruff and tauten the name's.
                imported[name] = (node.lineno, getattr(alias, "lineno", node.lineno))
    uses: dict[str, list[ast.Name]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in imported:
            uses.setdefault(node.id, []).append(node)
    if "__all__" in source:
        return []
    out = []
    for name, nodes in uses.items():
        if len(nodes) == 1 and not re.search(r"['\"][^'\"\n]*\b%s\b" % re.escape(name), source):
            out.append((imported[name], name, nodes[0]))
    return out


def mutate(trees: list[Path], count: int, seed: int, into: Path) -> tuple[int, list[str]]:
    rng = random.Random(seed)
    files = sorted(p for tree in trees for p in tree.rglob("*.py"))
    rng.shuffle(files)
    done, failures = 0, []
    for path in files:
        if done >= count:
            break
        candidates = mutation_candidates(path)
        if not candidates:
            continue
        (row, name_row), name, node = rng.choice(sorted(candidates, key=lambda c: (c[0], c[1])))
        lines = path.read_text(encoding="utf-8").split("\n")
        line = lines[node.lineno - 1]
        start = len(line.encode("utf-8")[: node.col_offset].decode("utf-8"))
        end = len(line.encode("utf-8")[: node.end_col_offset].decode("utf-8"))
        lines[node.lineno - 1] = line[:start] + "_tauten_mutant_" + line[end:]
        target = into / f"m{done}_{path.name}"
        before = pyflakes_unused(path)
        target.write_text("\n".join(lines), encoding="utf-8")
        after = pyflakes_unused(target)
        if after - before != {row}:
            target.unlink()
            continue  # pyflakes does not see the import as newly unused: not a clean mutation
        done += 1
        ours_before, ours_after = tauten_rows(path), tauten_rows(target)
        if ours_after - ours_before != {name_row}:
            failures.append(f"{path}: expected TAU101 at line {name_row} ({name}), got new {sorted(ours_after - ours_before)}")
            continue
        subprocess.run([TAUTEN, "check", "--no-cache", "--exit-zero", "--select", "TAU101", "--fix",
                        str(target)], capture_output=True)
        fixed = target.read_text(encoding="utf-8")
        try:
            compile(fixed, str(target), "exec")
        except SyntaxError as err:
            failures.append(f"{path}: fixed mutant does not compile: {err}")
            continue
        left = pyflakes_unused(target) - before
        if left:
            failures.append(f"{path}: unused imports left after the fix at {sorted(left)}")
    return done, failures


def main() -> int:
    global RUFF, PYFLAKES, TAUTEN
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--tauten", default=str(ROOT / "target/release/tauten"))
    parser.add_argument("--venv", default=str(ROOT / ".venv-ref"))
    parser.add_argument("--strip-noqa", action="store_true")
    parser.add_argument("--mutations", type=int, default=0)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--show", type=int, default=5, help="differences listed per tree and rule")
    parser.add_argument("--min-recall", type=float, default=0.0)
    parser.add_argument("--min-precision", type=float, default=0.0)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    RUFF = os.path.join(args.venv, "bin", "ruff")
    PYFLAKES = os.path.join(args.venv, "bin", "pyflakes")
    TAUTEN = args.tauten
    trees = [t.resolve() for t in args.trees]

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        print("== as published")
        results["as published"] = compare(trees, args.show)
        if args.strip_noqa:
            print("== noqa comments removed")
            results["noqa removed"] = compare(strip_noqa(trees, Path(tmp) / "stripped"), args.show)
        mutation_failures = []
        if args.mutations:
            into = Path(tmp) / "mutants"
            into.mkdir()
            done, mutation_failures = mutate(trees, args.mutations, args.seed, into)
            print(f"== seeded mutations: {done} mutants, {len(mutation_failures)} failed")
            for failure in mutation_failures:
                print(f"   {failure}")
            results["mutations"] = {"mutants": done, "failed": len(mutation_failures)}

    failed = bool(mutation_failures)
    print("== totals")
    for label, totals in results.items():
        if label == "mutations":
            continue
        for code, t in totals.items():
            recall = t["matched"] / t["ruff"] if t["ruff"] else 1.0
            precision = t["matched"] / t["tauten"] if t["tauten"] else 1.0
            ok = recall >= args.min_recall and precision >= args.min_precision
            failed |= not ok
            print(f"  {label:<13} {code}: ruff {t['ruff']:>6}  tauten {t['tauten']:>6}  matched {t['matched']:>6}"
                  f"  recall {recall:.4f}  precision {precision:.4f}  {'ok' if ok else 'BELOW THRESHOLD'}")
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))
    print("differential: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
