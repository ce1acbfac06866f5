#!/usr/bin/env bash
# Fix safety on a real test suite: download NAME==VERSION's source distribution from PyPI, install it
# (with EXTRA test requirements) in a fresh venv, run its tests, apply
# `tauten check --fix --unsafe-fixes --select SELECT` to its package sources, and run the tests again.
# Fails when a test that passed before fails after.
# With PROFILE_IMPORT=module, heaviness comes from a measured import profile of that module
# (`tauten profile-imports`), as `tauten startup` measures it.
#   usage: [EXTRAS="[all]"] [PROFILE_IMPORT=mod] scripts/fix-safety.sh NAME==VERSION PACKAGE_DIR SELECT "EXTRA REQUIREMENTS" [PYTEST ARGS...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=$1 package_dir=$2 select=$3 extra=$4
shift 4
tauten="$root/target/release/tauten"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: "$spec" -d sdist
tar xzf sdist/*.tar.gz
src=$(find . -maxdepth 1 -mindepth 1 -type d ! -name sdist | head -n 1)
python3 -m venv venv
# shellcheck disable=SC2086
venv/bin/pip install --quiet --disable-pip-version-check "$src${EXTRAS:-}" "pytest<9" $extra
run_tests() {
  (cd "$src" && "$work/venv/bin/python" -m pytest -q -p no:cacheprovider -o addopts= "$@" -rA 2>&1 \
    | grep -E '^(PASSED|FAILED|ERROR) ' | sort -u) || true
}
reinstall() {
  venv/bin/pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$src"
}
run_tests "$@" > before.txt
if [ -n "${PROFILE_IMPORT:-}" ]; then
  "$tauten" profile-imports -- venv/bin/python -c "import $PROFILE_IMPORT" > profile.txt
  head -n 1 profile.txt | sed 's/^/  /'
fi
"$tauten" check --no-cache --exit-zero --select "$select" --statistics "$src/$package_dir" | sed 's/^/  found: /'
"$tauten" check --no-cache --exit-zero --select "$select" --fix --unsafe-fixes "$src/$package_dir" \
  --output-format concise | tail -n 3 | sed 's/^/  /'
reinstall
run_tests "$@" > after.txt
passed_before=$(grep -c '^PASSED' before.txt || true)
passed_after=$(grep -c '^PASSED' after.txt || true)
# Compare passes per test function (parameter ids may hold timestamps that differ between runs).
per_function() { grep '^PASSED' "$1" | sed -e 's/^PASSED //' -e 's/\[.*$//' | sort | uniq -c | awk '{print $2, $1}'; }
broken=$(join -a 1 -e 0 -o 0,1.2,2.2 <(per_function before.txt) <(per_function after.txt) | awk '$3 < $2' )
echo "fix-safety $spec: passed before $passed_before, after $passed_after"
if [ -n "$broken" ]; then
  echo "fix-safety: FAILED: tests that passed before fail after the fixes (function, passes before, after):"
  echo "$broken" | head -20
  exit 1
fi
echo "fix-safety: passed (no test broken by the fixes)"
