#!/usr/bin/env bash
# Split at scale (issue 15, item 5), side by side in one run: on a generated 5 MB module
# (bench/gen_big_module.py) and on the pinned corpus's three largest sympy modules,
#   TAU101        tauten check --no-cache --select TAU101 FILE (the reference: one cheap rule)
#   TAU401        tauten check --no-cache --select TAU401 FILE (plans the split to report it)
#   split --plan  tauten split --plan FILE
# Median wall time of $RUNS runs (default 3) and peak RSS. Writes bench/split-scale.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${RUNS:-3}
cargo build --release --locked -q -p tauten
scripts/fetch-corpus.sh .corpus >/dev/null
tauten="$root/target/release/tauten"
work="$root/bench/.work-split"
rm -rf "$work" && mkdir -p "$work"
python3 bench/gen_big_module.py "$work/generated_5mb.py"
for file in polys/polytools.py combinatorics/perm_groups.py tensor/tensor.py; do
  cp ".corpus/sympy/sympy/$file" "$work/sympy_$(basename "$file")"
done
out="$root/bench/split-scale.md"
: > "$out"
for path in "$work"/generated_5mb.py "$work"/sympy_*.py; do
  name=$(basename "$path")
  { echo; echo "### $name: $(wc -c < "$path") bytes, $(wc -l < "$path") lines"; echo; } >> "$out"
  python3 bench/measure.py --runs "$runs" --cwd "$work" --files 1 --lines "$(wc -l < "$path")" \
    --out "$out" --append \
    "TAU101=$tauten check --no-cache --select TAU101 --exit-zero --output-format concise $name" \
    "TAU401=$tauten check --no-cache --select TAU401 --exit-zero --output-format concise $name" \
    "split --plan=$tauten split --plan $name"
done
cat "$out"
