#!/usr/bin/env bash
# Speed and memory, side by side in one run on the pinned corpus:
#   bare parse   tauten debug-parse (discovery + reading + tree-sitter parsing, nothing else)
#   tauten cold  tauten check --no-cache --select TAU
#   tauten warm  tauten check --select TAU, cache already filled
#   ruff cold    ruff check --isolated --no-cache --select F401,TC001-TC005,ASYNC2xx (the same rule families)
#   ruff warm    the same with ruff's cache filled
#   ... edited   the warm runs again, one file edited since the last run (a copy of the corpus)
# Median wall time of $RUNS runs (default 5) and peak RSS. Writes bench/results.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${RUNS:-5}
cargo build --release --locked -q
scripts/setup-reference-tools.sh >/dev/null
scripts/fetch-corpus.sh .corpus >/dev/null
work="$root/bench/.work"
rm -rf "$work" && mkdir -p "$work"
cp -r .corpus/. "$work/corpus"
rm -rf "$work/corpus/.wheels"
edited=corpus/httpx/httpx/_client.py  # it imports get_environment_proxies
tauten="$root/target/release/tauten"
ruff="$root/.venv-ref/bin/ruff"
files=$(find "$work/corpus" -name '*.py' | wc -l)
lines=$(find "$work/corpus" -name '*.py' -print0 | xargs -0 cat | wc -l)
ruff_select=F401,TC001,TC002,TC003,TC004,TC005,ASYNC210,ASYNC212,ASYNC220,ASYNC221,ASYNC222,ASYNC230,ASYNC240,ASYNC250,ASYNC251
python3 "$root/bench/measure.py" --runs "$runs" --cwd "$work" --files "$files" --lines "$lines" \
  --out "$root/bench/results.md" \
  "bare parse (tauten debug-parse)=$tauten debug-parse corpus" \
  "tauten cold=$tauten check --no-cache --select TAU --exit-zero --output-format concise corpus" \
  "!tauten warm=$tauten check --select TAU --exit-zero --output-format concise corpus" \
  "ruff cold=$ruff check --isolated --no-cache --select $ruff_select --exit-zero --output-format concise corpus" \
  "!ruff warm=$ruff check --isolated --select $ruff_select --exit-zero --output-format concise corpus"
# One file edited since the last run, two kinds of edit: a comment (no module's summary changes,
# tauten skips its project pass) and a coroutine calling a function of the project (it does not).
for edit in comment coroutine; do
  if [ "$edit" = comment ]; then text='# edited before run {n}\n'; else
    text='\n\nasync def _edited_{n}():\n    return get_environment_proxies()\n'; fi
  rm -rf "$work/edit" && mkdir -p "$work/edit" && cp -r "$work/corpus" "$work/edit/corpus"
  echo
  python3 "$root/bench/measure.py" --runs "$runs" --cwd "$work" --files "$files" --lines "$lines" \
    --edit-cwd "$work/edit" --edit "$edited" --edit-text "$text" --out "$root/bench/results.md" --append \
    "+tauten, one file edited ($edit)=$tauten check --select TAU --exit-zero --output-format concise corpus" \
    "+ruff, one file edited ($edit)=$ruff check --isolated --select $ruff_select --exit-zero --output-format concise corpus"
done
