#!/usr/bin/env bash
# Download the pinned corpus wheels (../shared/bench-corpus.txt, or $TAUTEN_CORPUS_LIST) from PyPI
# and unpack their .py files into DEST/<name>/ (default .corpus/). Optional further arguments pick
# packages by name. Idempotent: packages already unpacked are skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-"$root/.corpus"}
shift || true
list=${TAUTEN_CORPUS_LIST:-"$root/../shared/bench-corpus.txt"}
if [ ! -f "$list" ]; then
  echo "fetch-corpus: no corpus list at $list (set TAUTEN_CORPUS_LIST)" >&2
  exit 2
fi
mkdir -p "$dest/.wheels"
grep -v '^#' "$list" | awk 'NF >= 2 { print $1, $2 }' | while read -r name version; do
  if [ "$#" -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
    continue
  fi
  if [ -f "$dest/$name/.complete" ]; then
    continue
  fi
  echo "fetch-corpus: $name==$version"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: \
    "$name==$version" -d "$dest/.wheels"
  wheel=$(ls "$dest/.wheels/"* | grep -i "/$(echo "$name" | tr - _)-$version-" | head -n 1)
  rm -rf "$dest/$name"
  mkdir -p "$dest/$name"
  python3 - "$wheel" "$dest/$name" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for member in wheel.namelist():
        if member.endswith(".py"):
            wheel.extract(member, sys.argv[2])
PY
  touch "$dest/$name/.complete"
done
