#!/usr/bin/env python3
"""What `tauten startup --write` saves on a real CLI, checked by an independent measurement.

Two copies of the project are made (`before`, `after`); `tauten startup --write -- COMMAND` runs in
`after` and writes its kept fixes there. Then COMMAND runs in each copy, alternating (one warm-up
run each), with the copy's import folder first on PYTHONPATH, as a user would run it in the
project. The row printed compares the saving tauten reported with the one measured here. With
`--tests 'CMD'` (split as a shell would), the project's tests run in each copy too, and the row
gives each copy's exit status and the last line of their output (pytest's summary).

usage: bench/startup_real.py --tauten BIN --project DIR [--runs N] [--tauten-runs N]
                             [--tests 'CMD'] -- COMMAND...
"""

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def import_dir(root):
    src = os.path.join(root, "src")
    if os.path.isdir(src) and any(
        os.path.isfile(os.path.join(src, name, "__init__.py")) or name.endswith(".py")
        for name in os.listdir(src)
    ):
        return src
    return root


def run(command, root):
    env = dict(os.environ, PYTHONPATH=import_dir(root))
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, stdin=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000, done.returncode, done.stdout


def mad(values):
    middle = statistics.median(values)
    return statistics.median([abs(v - middle) for v in values])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tauten", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--tauten-runs", type=int, default=7)
    parser.add_argument("--tests", help="the project's test command, run in both copies")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    python = args.command[0] if os.path.basename(args.command[0]).startswith("python") else sys.executable
    work = tempfile.mkdtemp(prefix="startup-real-")
    copies = {}
    for name in ("before", "after"):
        copies[name] = os.path.join(work, name, os.path.basename(os.path.abspath(args.project)))
        shutil.copytree(args.project, copies[name], ignore=shutil.ignore_patterns("__pycache__", ".*"))
    report = subprocess.run(
        [args.tauten, "startup", "--runs", str(args.tauten_runs), "--write", "--output-format", "json", "--", *args.command],
        cwd=copies["after"],
        capture_output=True,
        text=True,
    )
    if report.returncode != 0:
        sys.exit(f"tauten startup failed ({report.returncode}):\n{report.stderr}")
    report = json.loads(report.stdout)
    for root in copies.values():
        # Files that do not compile (templates, test data) fail the runs that import them, not this.
        subprocess.run([python, "-m", "compileall", "-q", "-f", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = {"before": [], "after": []}
    outputs = {"before": set(), "after": set()}
    for name in copies:
        run(args.command, copies[name])
    for _ in range(args.runs):
        for name, root in copies.items():
            ms, status, stdout = run(args.command, root)
            times[name].append(ms)
            outputs[name].add((status, stdout))
    before, after = (statistics.median(times[n]) for n in ("before", "after"))
    spread = mad(times["before"]) + mad(times["after"])
    reported_before = report["before"]["wall_ms"]
    reported_after = (report["after"] or report["before"])["wall_ms"]
    reported_spread = report["before"]["spread_ms"] + (report["after"] or report["before"])["spread_ms"]
    reported_saving = reported_before - reported_after
    saving = before - after
    kept = sum(1 for f in report["fixes"] if f["kept"])
    row = {
        "command": " ".join(args.command),
        "tauten_before_ms": round(reported_before, 1),
        "tauten_after_ms": round(reported_after, 1),
        "tauten_spread_ms": round(reported_spread, 1),
        "before_ms": round(before, 1),
        "after_ms": round(after, 1),
        "spread_ms": round(spread, 1),
        "before_rss_mb": round(report["before"]["rss_mb"], 1),
        "after_rss_mb": round((report["after"] or report["before"])["rss_mb"], 1),
        "kept": kept,
        "kept_modules": sorted({f["module"] for f in report["fixes"] if f["kept"]}),
        "dropped": len(report["fixes"]) - kept,
        "files_written": report["files_written"],
        "tauten_output_equal": report["output_equal"],
        "output_equal_here": outputs["before"] == outputs["after"] and len(outputs["before"]) == 1,
        "saving_ms": round(saving, 1),
        "tauten_saving_ms": round(reported_saving, 1),
        "agree_within_spread": abs(saving - reported_saving) <= spread + reported_spread,
    }
    if args.tests:
        for name, root in copies.items():
            _, status, stdout = run(shlex.split(args.tests), root)
            lines = stdout.decode(errors="replace").strip().splitlines()
            row[f"tests_{name}"] = [status, lines[-1] if lines else ""]
    print(json.dumps(row))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
