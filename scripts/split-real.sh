#!/usr/bin/env bash
# Split the largest module of a real PyPI package and check its own test suite still passes.
# Usage: scripts/split-real.sh [package==version] [module path inside the sdist]
# Environment (defaults are for pyparsing):
#   TEST_DEPS  packages the test suite needs (default "pytest railroad-diagrams jinja2")
#   TEST_DIR   the test directory inside the sdist (default "tests")
#   TEST_CMD   the test command, run in the sdist with PYTHONPATH set
#              (default "python -m pytest $TEST_DIR -q -p no:cacheprovider -o addopts=")
#   SRC_ROOT   the directory inside the sdist that holds the package (default ".", e.g. "src")
#   MAX_LINES  the module-size limit (default: the sdist's [tool.tauten] max-lines, else 1000)
#   SPLIT_FLAGS extra flags for `tauten split --write`, e.g. "--update-importers --package"
# Exits non-zero when a module is still over the limit, a module does not import, or the
# test summary changes.
# Needs: python3 with venv, network access to PyPI, a release build of tauten.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
spec=${1:-pyparsing==3.2.3}
module=${2:-pyparsing/core.py}
work=$here/.split-real
tauten=${TAUTEN:-${CARGO_TARGET_DIR:-$here/target}/release/tauten}
rm -rf "$work/src"
mkdir -p "$work"
[ -x "$work/venv/bin/python" ] || python3 -m venv "$work/venv"
py=$work/venv/bin/python
test_deps=${TEST_DEPS-pytest railroad-diagrams jinja2}
test_dir=${TEST_DIR:-tests}
src_root=${SRC_ROOT:-.}
# shellcheck disable=SC2086
[ -z "$test_deps" ] || "$py" -m pip install -q $test_deps
"$py" -m pip download -q --no-deps --no-binary :all: -d "$work/dl" "$spec"
# The sdist of this package (dl/ keeps the others' too): name-version.tar.gz, `-_.` alike.
name=${spec%%[=<>!~]*}
archive=$(ls -t "$work"/dl/*.tar.gz | grep -i "/${name//[-_.]/[-_.]}-[0-9]" | head -1)
mkdir -p "$work/src" && tar -xzf "$archive" -C "$work/src" --strip-components 1
cd "$work/src"
pypath=$(cd "$src_root" && pwd)
run_tests() {
    if [ -n "${TEST_CMD:-}" ]; then
        # shellcheck disable=SC2086
        PYTHONPATH=$pypath PATH=$work/venv/bin:$PATH bash -c "$TEST_CMD" 2>&1 | tail -1
    else
        PYTHONPATH=$pypath "$py" -m pytest "$test_dir" -q -p no:cacheprovider -o addopts="" 2>&1 | tail -1
    fi
}
strip_time() { sed -E 's/ in [0-9.]+s.*$//'; }
before=$(run_tests)
echo "== tests before: $before"
limit=${MAX_LINES:-$(grep -o 'max-lines = [0-9]*' pyproject.toml 2>/dev/null | grep -o '[0-9]*' || echo 1000)}
echo "== plan"
"$tauten" split "$module" --plan --max-lines "$limit"
start=$(date +%s.%N)
# shellcheck disable=SC2086
"$tauten" split "$module" --write --max-lines "$limit" ${SPLIT_FLAGS:-} | tee "$work/write.log"
end=$(date +%s.%N)
echo "== split written in $(echo "$end - $start" | bc) s"
status=0
echo "== outputs (limit $limit lines)"
written=$(sed -n 's/^wrote \([^ ]*\) .*/\1/p' "$work/write.log")
for f in $written "$module"; do
    [ -f "$f" ] || continue  # --package removes the module
    lines=$(wc -l < "$f")
    rel=${f#"$src_root"/}; rel=${rel%.py}; rel=${rel%/__init__}
    target=$(echo "$rel" | tr / .)
    if PYTHONPATH=$pypath "$py" -c "import $target" 2>/tmp/split-real-import.err; then ok=imports; else ok="IMPORT FAILS: $(tail -1 /tmp/split-real-import.err)"; status=1; fi
    flag="under $limit"; if [ "$lines" -gt "$limit" ]; then flag="OVER $limit"; status=1; fi
    echo "$f: $lines lines ($flag), $ok"
done
after=$(run_tests)
echo "== tests after: $after"
if [ "$(echo "$before" | strip_time)" != "$(echo "$after" | strip_time)" ]; then
    echo "== test summary changed"; status=1
fi
echo "== $([ $status = 0 ] && echo OK || echo FAILED)"
exit $status
