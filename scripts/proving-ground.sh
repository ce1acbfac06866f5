#!/usr/bin/env bash
# The proving ground: scripts/fix-safety.sh with FULL=1 (tests per function, every installed module
# imported, every changed file compiled, a second fix run that must change nothing) on each package
# of a pinned list, with every rule (TAU) and unsafe fixes, then one table row per package.
#   usage: scripts/proving-ground.sh [--tauten BIN] [--list FILE] [--out DIR] [--runs N] [NAME...]
#          scripts/proving-ground.sh --table DIR...   (the table again from earlier --out directories)
# --list: default bench/proving-ground.txt (its header says the format). NAMEs pick lines by
# package name (default: all). --out: where each package's work directory and log stay (default
# .proving-ground; a package's directory is replaced). --runs: baseline runs of each suite before
# the fixes (default 2; tests whose passes differ between them are flaky). Exits 1 when a package
# fails a check, 0 when none does. The projects' pytest addopts are kept; FAST=1 is set (cattrs'
# hypothesis profile of 10 examples). IGNORE=CODES in the environment is passed on (--ignore).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tauten=$root/target/release/tauten list=$root/bench/proving-ground.txt out=$root/.proving-ground runs=2
while [ $# -gt 0 ]; do
  case $1 in
    --tauten) tauten=$(realpath "$2"); shift 2 ;;
    --list) list=$(realpath "$2"); shift 2 ;;
    --out) mkdir -p "$2"; out=$(realpath "$2"); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) break ;;
  esac
done
# row RESULT STATUS: the table row of one package from its result.txt.
row() {
  python3 - "$1" "$2" <<'PY'
import sys
r = dict(kv.split("=", 1) for kv in open(sys.argv[1]).read().split())
print(f"| {r['spec']} | {r['files_changed']} | {r['TAU1']} | {r['TAU2']} | {r['TAU3']} | {r['TAU4']} | {r['TAU5']} "
      f"| {r['passed_before']} -> {r['passed_after']} ({r['broken_tests']} broken, {r['flaky']} flaky) "
      f"| {r['modules_before']} -> {r['modules_after']} of {r['modules']} | {r['nocompile']} "
      f"| {r['second_run_files']} | {r['wall']} | {sys.argv[2]}"
      + ("" if r.get("timeouts", "none") in ("none", "no") else f", timed out: {r['timeouts']}") + " |")
PY
}
header() {
  echo "| package | files changed | TAU1 | TAU2 | TAU3 | TAU4 | TAU5 | tests passed before -> after | modules importing before -> after | not compiling | 2nd run: files changed | wall s | |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |"
}
if [ "${1:-}" = "--table" ]; then
  # --table DIR...: the table again from the result.txt files of earlier runs' --out directories.
  shift
  header
  for d in "$@"; do
    for r in "$d"/*/result.txt; do
      [ -f "$r" ] || continue
      row "$r" "$( [ -f "$(dirname "$r")/broken.txt" ] || [ -s "$(dirname "$r")/imports-broken.txt" ] && echo FAILED || echo passed)"
    done
  done
  exit 0
fi
mkdir -p "$out"
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; [ "$s" = "-" ] && s=""; printf '%s' "$s"; }
rows=() failed=0
while IFS='|' read -r spec dirs extras reqs pytest_req args budget profile; do
  spec=$(trim "$spec")
  case $spec in ''|'#'*) continue ;; esac
  name=${spec%%==*}
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qxF "$name"; then continue; fi
  dirs=$(trim "$dirs") extras=$(trim "$extras") reqs=$(trim "$reqs") pytest_req=$(trim "$pytest_req")
  args=$(trim "$args") budget=$(trim "$budget") profile=$(trim "$profile")
  work=$out/$name
  rm -rf "$work"
  echo "== $spec ($(date -u +%H:%M:%S))"
  status=passed
  eval "argv=($args)"
  KEEP_ADDOPTS=1 FAST=1 WORK=$work FULL=1 BASELINE_RUNS=$runs TAUTEN=$tauten EXTRAS=$extras PYTEST_REQ=${pytest_req:-pytest<9} \
    TEST_TIMEOUT=${budget:-600} PROFILE_IMPORT=$profile \
    "$root/scripts/fix-safety.sh" "$spec" "$dirs" TAU "$reqs" "${argv[@]}" < /dev/null > "$out/$name.log" 2>&1 \
    || { status=FAILED; failed=1; }
  grep -E '^(fix-safety|  Fixed|  Found)' "$out/$name.log" | sed 's/^/  /' || true
  if [ -f "$work/result.txt" ]; then
    rows+=("$(row "$work/result.txt" "$status")")
  else
    rows+=("| $spec | did not finish: see $out/$name.log |")
  fi
done < "$list"
echo
header
printf '%s\n' "${rows[@]}"
exit "$failed"
