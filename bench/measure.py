#!/usr/bin/env python3
"""Time commands side by side: median wall time and peak RSS over N runs, as a Markdown table.

Each argument is `label=command`; a label starting with `!` gets one untimed warm-up run first
(to fill a cache). A label starting with `+` also gets the warm-up run, and is run in `--edit-cwd`
with a comment line appended to `--edit` (a file under it) before each timed run: one file edited
since the last run. Runs are interleaved (round-robin), so machine noise hits every command alike.
"""

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import sys
import time


def run_once(cmd, cwd):
    start = time.perf_counter()
    # Peak RSS of this child alone: run it under a fresh `python -c` wrapper that reports it.
    wrapper = [sys.executable, "-c",
               "import resource,subprocess,sys;"
               "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"] + cmd
    out = subprocess.run(wrapper, cwd=cwd, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, int(out.strip() or 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cwd", default=".")
    parser.add_argument("--files", default="?")
    parser.add_argument("--lines", default="?")
    parser.add_argument("--out")
    parser.add_argument("--edit-cwd", help="where the `+` commands run")
    parser.add_argument("--edit", help="the file the `+` commands see edited, under --edit-cwd")
    parser.add_argument("--edit-text", default="# edited before run {n}\n",
                        help="what is appended to --edit before each run ({n}: a number of its own)")
    parser.add_argument("--append", action="store_true", help="append the table to --out")
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    commands = []
    for spec in args.commands:
        label, _, cmd = spec.partition("=")
        kind = label[:1] if label[:1] in "!+" else ""
        commands.append((label.lstrip("!+"), shlex.split(cmd), kind))
    cwd_of = {"": args.cwd, "!": args.cwd, "+": args.edit_cwd}
    for label, cmd, kind in commands:
        if kind:
            subprocess.run(cmd, cwd=cwd_of[kind], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A file's size and time stand for its content only once it is older than the check (tauten
    # waits 2 s): let the warm-up runs' files settle.
    time.sleep(2.5)
    times = {label: [] for label, _, _ in commands}
    rss = {label: 0 for label, _, _ in commands}
    edits = 0
    for _ in range(args.runs):
        for label, cmd, kind in commands:
            if kind == "+":
                edits += 1
                with open(os.path.join(args.edit_cwd, args.edit), "a") as f:
                    f.write(args.edit_text.replace("\\n", "\n").format(n=edits))
            elapsed, peak = run_once(cmd, cwd_of[kind])
            times[label].append(elapsed)
            rss[label] = max(rss[label], peak)
    base = statistics.median(times[commands[0][0]])
    rows = [f"Corpus: {args.files} files, {args.lines} lines; {os.cpu_count()} cores; median of {args.runs} runs.", "",
            "| command | median wall time | vs first row | peak RSS |", "| --- | ---: | ---: | ---: |"]
    for label, _, _ in commands:
        median = statistics.median(times[label])
        rows.append(f"| {label} | {median:.2f} s | {median / base:.2f}x | {rss[label] / 1024:.0f} MB |")
    table = "\n".join(rows)
    print(table)
    if args.out:
        with open(args.out, "a" if args.append else "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
