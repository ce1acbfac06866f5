#!/usr/bin/env bash
# Fix safety on a real test suite: download NAME==VERSION's source distribution from PyPI, install it
# (with EXTRA test requirements) in a fresh venv, run its tests, apply
# `tauten check --fix --unsafe-fixes --select SELECT` to its package sources, and run the tests again.
# Fails when a test that passed before fails after.
# With PROFILE_IMPORT=module, heaviness comes from a measured import profile of that module
# (`tauten profile-imports`), as `tauten startup` measures it.
#   usage: [EXTRAS="[all]"] [PROFILE_IMPORT=mod] scripts/fix-safety.sh NAME==VERSION PACKAGE_DIR SELECT "EXTRA REQUIREMENTS" [PYTEST ARGS...]
# PACKAGE_DIR may name several directories of the source tree, separated by spaces.
# More options, all from the environment (scripts/proving-ground.sh sets them):
#   TAUTEN=BIN        the tauten binary (default: target/release/tauten of this checkout)
#   WORK=DIR          work in DIR and keep it (logs, the original and the fixed tree); default: a
#                     temporary directory, removed at the end
#   PYTEST_REQ=SPEC   the pytest requirement (default "pytest<9")
#   BASELINE_RUNS=N   run the suite N times before the fixes (default 1); a test function whose passes
#                     differ between these runs is flaky: it counts as broken only when it passes
#                     fewer times after than in the worst run before
#   KEEP_ADDOPTS=1    keep the project's pytest addopts (by default `-o addopts=` drops them)
#   TEST_TIMEOUT=S    end a test run after S seconds (default 1800)
#   IGNORE=CODES      rule code prefixes left out (`--ignore`), to look past a known breakage
#   FULL=1            the proving ground's checks besides the tests: every module the distribution
#                     installs is imported in a fresh interpreter before and after (each that
#                     imported before must import after), every changed file must compile with
#                     CPython, and a second `--fix --unsafe-fixes` run must change nothing. Writes
#                     one key=value line to $WORK/result.txt and fails when any check fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=$1 package_dirs=$2 select=$3 extra=$4
shift 4
tauten=${TAUTEN:-$root/target/release/tauten}
ignore=()
if [ -n "${IGNORE:-}" ]; then ignore=(--ignore "$IGNORE"); fi
dist=${spec%%[=<>~!]*}
if [ -n "${WORK:-}" ]; then
  if [ -e "$WORK" ] && [ -n "$(ls -A "$WORK")" ]; then echo "fix-safety: WORK=$WORK is not empty" >&2; exit 2; fi
  mkdir -p "$WORK"
  work=$(cd "$WORK" && pwd)
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
cd "$work"
start=$(date +%s)
phase() { echo "$(( $(date +%s) - start ))s $*" >> times.txt; }
phase start
python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: "$spec" -d sdist
tar xzf sdist/*.tar.gz
src=$(find . -maxdepth 1 -mindepth 1 -type d ! -name sdist | head -n 1)
"${PYTHON:-python3}" -m venv venv
# shellcheck disable=SC2086
venv/bin/pip install --quiet --disable-pip-version-check "$src${EXTRAS:-}" "${PYTEST_REQ:-pytest<9}" $extra
phase installed
# The package directories, as paths from $work.
dirs=()
for d in $package_dirs; do dirs+=("$src/$d"); done
# The project's own addopts are dropped unless KEEP_ADDOPTS is set (they may need plugins).
addopts=(-o addopts=)
if [ -n "${KEEP_ADDOPTS:-}" ]; then addopts=(); fi
# checked ARGS...: tauten check ARGS; its exit status 2 is accepted when every error it printed is
# a file the parser cannot read (reported and left untouched: tree-sitter rejects some valid
# Python, e.g. `x: A if c else B = v` in pydantic-settings' tests).
checked() {
  local status=0
  "$tauten" check "$@" 2> tauten-stderr.txt || status=$?
  cat tauten-stderr.txt >&2
  if [ "$status" = 2 ] && grep -q ': error: ' tauten-stderr.txt \
    && ! grep ': error: ' tauten-stderr.txt | grep -qv ': error: syntax error'; then
    status=0
  fi
  return "$status"
}
# run_tests NAME ARGS...: NAME.txt gets the PASSED/FAILED/ERROR lines, NAME.log pytest's output; a run
# that the time budget ended is named in timeouts.txt.
run_tests() {
  local name=$1 rc=0
  shift
  (cd "$src" && timeout --signal=KILL "${TEST_TIMEOUT:-1800}" "$work/venv/bin/python" -m pytest -q \
    -p no:cacheprovider "${addopts[@]}" "$@" -rA < /dev/null > "$work/$name.log" 2>&1) || rc=$?
  if [ "$rc" -eq 137 ]; then echo "$name" >> timeouts.txt; fi
  { grep -E '^(PASSED|FAILED|ERROR) ' "$name.log" || true; } | sort -u > "$name.txt"
}
reinstall() {
  venv/bin/pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$src"
}
# Passes per test function (parameter ids may hold timestamps that differ between runs).
per_function() { { grep '^PASSED' "$1" || true; } | sed -e 's/^PASSED //' -e 's/\[.*$//' | sort | uniq -c | awk '{print $2, $1}'; }
runs=${BASELINE_RUNS:-1}
for i in $(seq 1 "$runs"); do
  run_tests "before-$i" "$@"
  phase "tests before, run $i"
done
cp before-1.txt before.txt
# The worst run before, per function.
per_function before-1.txt > worst.txt
flaky=""
for i in $(seq 2 "$runs"); do
  per_function "before-$i.txt" > run.txt
  flaky+=$(join -a 1 -a 2 -e 0 -o 0,1.2,2.2 worst.txt run.txt | awk '$2 != $3 {print $1}')$'\n'
  join -a 1 -a 2 -e 0 -o 0,1.2,2.2 worst.txt run.txt | awk '{print $1, ($2 < $3 ? $2 : $3)}' > worst.new
  mv worst.new worst.txt
done
flaky=$(echo "$flaky" | sed '/^$/d' | sort -u)
if [ -n "${FULL:-}" ]; then
  venv/bin/python "$root/scripts/import-modules.py" "$dist" > imports-before.txt
  phase "imports before"
fi
if [ -n "${PROFILE_IMPORT:-}" ]; then
  "$tauten" profile-imports -- venv/bin/python -c "import $PROFILE_IMPORT" > profile.txt
  head -n 1 profile.txt | sed 's/^/  /'
fi
cp -a "$src" orig
checked --no-cache --exit-zero --select "$select" "${ignore[@]}" --statistics "${dirs[@]}" | sed 's/^/  found: /'
if [ -n "${FULL:-}" ]; then
  checked --no-cache --exit-zero --select "$select" "${ignore[@]}" --output-format json "${dirs[@]}" > findings-before.json
fi
checked --no-cache --exit-zero --select "$select" "${ignore[@]}" --fix --unsafe-fixes "${dirs[@]}" \
  --output-format concise > fix-1.txt 2>&1 || { cat fix-1.txt; exit 2; }
tail -n 3 fix-1.txt | sed 's/^/  /'
phase "fixed"
reinstall
run_tests after "$@"
phase "tests after"
passed_before=$(grep -c '^PASSED' before.txt || true)
passed_after=$(grep -c '^PASSED' after.txt || true)
broken=$(join -a 1 -e 0 -o 0,1.2,2.2 worst.txt <(per_function after.txt) | awk '$3 < $2' )
echo "fix-safety $spec: passed before $passed_before, after $passed_after"
failed=0
if [ -n "$flaky" ]; then
  echo "fix-safety: flaky before the fixes (passes differ between the $runs runs): $(echo "$flaky" | wc -l) functions"
  echo "$flaky" > flaky.txt
fi
if [ -n "$broken" ]; then
  echo "fix-safety: FAILED: tests that passed before fail after the fixes (function, passes before, after):"
  echo "$broken" > broken.txt
  head -n 20 broken.txt
  failed=1
fi
if [ -n "${FULL:-}" ]; then
  venv/bin/python "$root/scripts/import-modules.py" "$dist" > imports-after.txt
  phase "imports after"
  checked --no-cache --exit-zero --select "$select" "${ignore[@]}" --output-format json "${dirs[@]}" > findings-after.json
  families=$(python3 "$root/scripts/fix-report.py" fixed findings-before.json findings-after.json)
  venv/bin/python "$root/scripts/fix-report.py" compile orig "$src" > compile.txt
  files_changed=$(sed -n 's/^changed //p' compile.txt)
  nocompile=$(grep -c '^NOCOMPILE' compile.txt || true)
  modules_before=$(grep -c '^OK' imports-before.txt || true)
  modules_after=$(grep -c '^OK' imports-after.txt || true)
  total_modules=$(wc -l < imports-before.txt)
  join <(sed -n 's/^OK //p' imports-before.txt | sort) <(grep '^FAIL' imports-after.txt | sed 's/^FAIL //; s/:/ /' | sort) \
    > imports-broken.txt || true
  modules_broken=$(wc -l < imports-broken.txt)
  # Idempotence: the fixes applied once more to a copy of the fixed tree change nothing.
  cp -a "$src" fix2
  dirs2=()
  for d in $package_dirs; do dirs2+=("fix2/$d"); done
  "$tauten" check --no-cache --exit-zero --select "$select" "${ignore[@]}" --fix --unsafe-fixes "${dirs2[@]}" \
    --output-format concise > fix-2.txt 2>&1 || true
  second=$(python3 "$root/scripts/fix-report.py" changed "$src" fix2)
  (cd "$work" && diff -ru "${src#./}" fix2 > second-run.diff) || true
  (cd "$work" && diff -ru orig "${src#./}" > fixes.diff) || true
  phase "checks"
  flaky_count=$( [ -n "$flaky" ] && echo "$flaky" | wc -l || echo 0)
  broken_count=$( [ -n "$broken" ] && echo "$broken" | wc -l || echo 0)
  timed_out=$( [ -f timeouts.txt ] && paste -sd, timeouts.txt || echo none)
  echo "spec=$spec${IGNORE:+(--ignore=$IGNORE)} files_changed=$files_changed $families passed_before=$passed_before" \
    "passed_after=$passed_after broken_tests=$broken_count flaky=$flaky_count modules=$total_modules" \
    "modules_before=$modules_before modules_after=$modules_after modules_broken=$modules_broken" \
    "nocompile=$nocompile second_run_files=$second timeouts=$timed_out" \
    "wall=$(( $(date +%s) - start ))" > result.txt
  cat result.txt
  if [ "$modules_broken" -gt 0 ]; then
    echo "fix-safety: FAILED: modules that imported before fail after:"; head -20 imports-broken.txt; failed=1
  fi
  if [ "$nocompile" -gt 0 ]; then
    echo "fix-safety: FAILED: changed files that do not compile:"; grep '^NOCOMPILE' compile.txt | head -20; failed=1
  fi
  if [ "$second" -gt 0 ]; then
    echo "fix-safety: FAILED: a second fix run changed $second files (second-run.diff)"; failed=1
  fi
fi
if [ -f timeouts.txt ]; then echo "fix-safety: test runs ended by the time budget (${TEST_TIMEOUT:-1800} s): $(paste -sd' ' timeouts.txt)"; fi
if [ "$failed" -ne 0 ]; then exit 1; fi
echo "fix-safety: passed (no test broken by the fixes)"
