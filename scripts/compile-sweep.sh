#!/usr/bin/env bash
# Compile sweep: every fix tauten makes on real code must leave a file CPython still compiles.
# Copies each DIR to a temporary directory, runs
# `target/release/tauten check --no-cache --exit-zero --fix --unsafe-fixes` on the copies, then
# compiles with python3 (`compile(source, path, 'exec')`) every file the fixes changed, before and
# after. Reports the files that compiled before and not after, and exits 1 if there is any.
#   usage: scripts/compile-sweep.sh DIR...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tauten=${TAUTEN:-"$root/target/release/tauten"}
if [ "$#" -eq 0 ]; then
  echo "usage: scripts/compile-sweep.sh DIR..." >&2
  exit 2
fi
if [ ! -x "$tauten" ]; then
  echo "compile-sweep: no $tauten (cargo build --release)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pairs=()
i=0
for dir in "$@"; do
  dir=$(cd "$dir" && pwd)
  copy="$work/$i-$(basename "$dir")"
  cp -a "$dir" "$copy"
  pairs+=("$dir" "$copy")
  i=$((i + 1))
done
start=$(date +%s)
status=0
# Exit 2 is a run with per-file errors (syntax errors in the corpus, say): reported, not fatal.
(cd "$work" && "$tauten" check --no-cache --exit-zero --fix --unsafe-fixes \
  --output-format concise "$work"/*/ > "$work/.tauten.out" 2> "$work/.tauten.err") || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
  echo "compile-sweep: tauten exited $status" >&2
  tail -n 20 "$work/.tauten.err" >&2
  exit 1
fi
echo "compile-sweep: tauten took $(($(date +%s) - start)) s (exit $status; $(grep -c . "$work/.tauten.err" || true) lines on stderr)"
python3 - "${pairs[@]}" <<'PY'
import os
import re
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor

LAZY = re.compile(rb"^([ \t]*)lazy([ \t]+)(import|from)\b", re.M)


def compiles(path):
    """None when CPython compiles the file, else the error (PEP 810 `lazy` read as plain imports)."""
    with open(path, "rb") as f:
        source = f.read()
    source = LAZY.sub(lambda m: m.group(1) + b"    " + m.group(2) + m.group(3), source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as err:
            return f"{type(err).__name__}: {err}"
    return None


def check(pair):
    before, after = pair
    return before, after, compiles(before), compiles(after)


args = sys.argv[1:]
changed = []
files = 0
for original, copy in zip(args[::2], args[1::2]):
    for dirpath, _, names in os.walk(copy):
        for name in names:
            if not name.endswith((".py", ".pyi")):
                continue
            files += 1
            after = os.path.join(dirpath, name)
            before = os.path.join(original, os.path.relpath(after, copy))
            with open(before, "rb") as a, open(after, "rb") as b:
                if a.read() != b.read():
                    changed.append((before, after))
regressions = []
compiled = broken_before = 0
with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    for before, after, error_before, error_after in pool.map(check, changed, chunksize=8):
        compiled += 1
        if error_before is not None:
            broken_before += 1
        elif error_after is not None:
            regressions.append((before, error_after))
print(
    f"compile-sweep: {files} files, {len(changed)} changed by fixes, {compiled} compiled before "
    f"and after ({broken_before} did not compile before), {len(regressions)} regressions"
)
for path, error in regressions:
    print(f"  REGRESSION {path}: {error}")
sys.exit(1 if regressions else 0)
PY
