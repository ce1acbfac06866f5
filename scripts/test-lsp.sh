#!/usr/bin/env bash
# End-to-end tests of the language server: pytest-lsp drives the real `tauten server` binary.
# Creates .venv-lsp (once), installs lsp/tests/e2e/requirements.txt, builds the release binary when
# it is missing (or when TAUTEN_REBUILD=1), and runs pytest. Extra arguments go to pytest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-lsp"
target=${CARGO_TARGET_DIR:-"$root/target"}
bin=${TAUTEN_BIN:-"$target/release/tauten"}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/lsp/tests/e2e/requirements.txt"
if [ ! -x "$bin" ] || [ "${TAUTEN_REBUILD:-0}" = 1 ]; then
  (cd "$root" && cargo build --release -p tauten)
  bin="$target/release/tauten"
fi
cd "$root/lsp/tests/e2e"
TAUTEN_BIN="$bin" exec "$venv/bin/python" -m pytest -q "$@"
