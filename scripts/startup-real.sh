#!/usr/bin/env bash
# Start-up gain of the lazy-import fixes on a real CLI from PyPI: install NAME==VERSION in a fresh
# venv, then `tauten startup MODULE` (import tree, fixes applied to a temporary copy, medians before
# and after). The test suite before/after the same fixes is scripts/fix-safety.sh's job.
#   usage: scripts/startup-real.sh [NAME==VERSION] [MODULE] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=${1:-csvkit==2.2.0}
module=${2:-csvkit.utilities.sql2csv}
runs=${3:-9}
tauten=${TAUTEN:-${CARGO_TARGET_DIR:-$root/target}/release/tauten}
work="$root/.startup-real"
[ -x "$work/venv/bin/python" ] || python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-binary csvkit "$spec"
"$tauten" startup "$module" --python "$work/venv/bin/python" --runs "$runs"
