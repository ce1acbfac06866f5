"""Draw a TAU510 precision sample of findings never sampled before.

usage: sample_pool.py OUT_DIR SEED N [REPORTED]
  OUT_DIR   folder of per-package concise outputs (run_batches.sh), under /work/study-extra
  SEED, N   random.Random(SEED).sample(pool, N), the pool sorted first
  REPORTED  optional concise output of a newer binary on the sampled packages: the sample keeps,
            in drawn order, only the findings still reported there (a newer binary whose findings
            are a subset of the older one's gives a uniform sample of its own findings)
Findings judged in any sample_TAU510*.txt or TAU510*.tsv here (by file and line, whatever the
batch folder) are left out of the pool. Prints the drawn sample on standard output.
"""
import glob
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FINDING = re.compile(r"^(\S+?):(\d+):\d+: ")


def key(path, line):
    """A finding's file (without batch and package folders) and line."""
    for prefix in ("/work/study-extra/", "/work/main/"):
        if path.startswith(prefix):
            path = path[len(prefix):]
    path = re.sub(r"^(extra|src\d*|\.corpus|corpus)/", "", path)
    return (path.split("/", 1)[1], int(line))


def seen():
    keys = set()
    for name in glob.glob(os.path.join(HERE, "sample_TAU510*.txt")):
        for line in open(name):
            match = FINDING.match(line)
            if match:
                keys.add(key(*match.groups()))
    for name in glob.glob(os.path.join(HERE, "TAU510*.tsv")):
        for line in open(name):
            match = re.match(r"^(\S+?):(\d+)\t", line)
            if match:
                keys.add(key(*match.groups()))
    return keys


def main():
    out_dir, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    judged = seen()
    pool = {}
    for name in sorted(glob.glob(os.path.join(out_dir, "*.txt"))):
        for line in sorted(set(open(name))):
            match = FINDING.match(line)
            if " TAU510 " in line and match and key(*match.groups()) not in judged:
                pool.setdefault((match.group(1), int(match.group(2))), line.rstrip("\n"))
    lines = sorted(set(pool.values()))
    print(f"judged before {len(judged)}, pool {len(lines)}", file=sys.stderr)
    sample = random.Random(seed).sample(lines, min(n, len(lines)))
    if len(sys.argv) > 4:
        reported = set()
        for line in open(sys.argv[4]):
            match = FINDING.match(line)
            if match and " TAU510 " in line:
                reported.add(key(*match.groups()))
        kept = [l for l in sample if key(*FINDING.match(l).groups()) in reported]
        print(f"still reported {len(kept)} of {len(sample)}", file=sys.stderr)
        sample = kept
    print("\n".join(sample))


if __name__ == "__main__":
    main()
