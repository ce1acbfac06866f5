#!/usr/bin/env bash
# Split the largest module of a real PyPI package and check its own test suite still passes.
# Usage: scripts/split-real.sh [package==version] [module path inside the sdist]
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
"$py" -m pip install -q pytest railroad-diagrams jinja2
"$py" -m pip download -q --no-deps --no-binary :all: -d "$work/dl" "$spec"
archive=$(ls -t "$work"/dl/*.tar.gz | head -1)
mkdir -p "$work/src" && tar -xzf "$archive" -C "$work/src" --strip-components 1
cd "$work/src"
run_tests() {
    PYTHONPATH=. "$py" -m pytest tests -q -p no:cacheprovider -o addopts="" 2>&1 | tail -1
}
echo "== tests before: $(run_tests)"
limit=$(grep -o 'max-lines = [0-9]*' pyproject.toml 2>/dev/null | grep -o '[0-9]*' || echo 1000)
echo "== plan"
"$tauten" split "$module" --plan
start=$(date +%s.%N)
"$tauten" split "$module" --write
end=$(date +%s.%N)
echo "== split written in $(echo "$end - $start" | bc) s"
dir=$(dirname "$module"); stem=$(basename "$module" .py)
package=$(echo "$dir" | tr / .)
for f in "$dir/${stem}"_*.py "$module"; do
    lines=$(wc -l < "$f")
    name=$(basename "$f" .py)
    if PYTHONPATH=. "$py" -c "import $package.$name" 2>/tmp/split-real-import.err; then ok=imports; else ok="IMPORT FAILS: $(tail -1 /tmp/split-real-import.err)"; fi
    flag=""; [ "$lines" -gt 1000 ] && flag=" (over 1000)"
    echo "$f: $lines lines$flag, $ok"
done
echo "== tests after: $(run_tests)"
