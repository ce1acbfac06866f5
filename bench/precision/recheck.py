#!/usr/bin/env python3
"""Re-measure a judged sample with another tauten binary: which sampled findings the binary still
reports under the rule (same file and line), and the precision of those, with the verdicts as
judged. A finding the binary no longer reports (dropped, or moved to TAU511) leaves the count.

    bench/precision/recheck.py BINARY [RULE]     (default rule TAU510; packages under $EXTRA)
"""
import collections
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
binary = sys.argv[1]
rule = sys.argv[2] if len(sys.argv) > 2 else "TAU510"
extra = os.environ.get("EXTRA", "/work/study-extra")
corpus = os.environ.get("CORPUS", os.path.join(here, "../../.corpus"))

table = sys.argv[3] if len(sys.argv) > 3 else f"{rule}.tsv"
rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(here, table))
        if not line.startswith("#")][1:]
packages = sorted({row[0].split("/")[1] for row in rows if row[0].startswith("extra/")})
reported = collections.defaultdict(set)  # file:line -> codes
for package in packages:
    out = subprocess.run(
        [binary, "check", "--no-cache", "--exit-zero", "--select", "TAU5", "--extend-select",
         "TAU511", "--output-format", "concise", package],
        cwd=os.path.join(extra, "src"), capture_output=True, text=True)
    if out.returncode != 0 and "TAU511" in out.stderr:  # a binary without TAU511
        out = subprocess.run(
            [binary, "check", "--no-cache", "--exit-zero", "--select", "TAU5",
             "--output-format", "concise", package],
            cwd=os.path.join(extra, "src"), capture_output=True, text=True)
    for line in out.stdout.splitlines():
        parts = line.split(" ", 2)
        if len(parts) < 2 or parts[0].count(":") < 3:
            continue
        path, row, _column, _ = parts[0].rsplit(":", 3)
        reported[f"extra/{path}:{row}"].add(parts[1])
counts = collections.Counter()
for location, _message, verdict, *_ in rows:
    codes = reported.get(location, set())
    kept = rule in codes
    counts[(verdict, "kept" if kept else ("TAU511" if "TAU511" in codes else "gone"))] += 1
tp = counts[("TP", "kept")]
fp = sum(n for (v, k), n in counts.items() if v.startswith("FP") and k == "kept")
for key in sorted(counts):
    print(f"{key[0]:16} {key[1]:7} {counts[key]}")
print(f"{rule} precision on the judged sample, still reported: {tp}/{tp + fp} = "
      f"{100 * tp / max(tp + fp, 1):.1f} %")
