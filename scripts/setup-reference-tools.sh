#!/usr/bin/env bash
# Create .venv-ref/ with the reference tools pinned in ../shared/bench-corpus.txt (ruff, pyflakes)
# and the tools the CI checks use (pre-commit). Idempotent: a second run only verifies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-ref"
want_ruff="0.17.6"
want_pyflakes="4.1.0"
want_precommit="4.7.0"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
have=$("$venv/bin/python" -m pip list --format=freeze 2>/dev/null || true)
if ! grep -qx "ruff==$want_ruff" <<<"$have" || ! grep -qx "pyflakes==$want_pyflakes" <<<"$have" \
   || ! grep -qx "pre_commit==$want_precommit\|pre-commit==$want_precommit" <<<"$have"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "ruff==$want_ruff" "pyflakes==$want_pyflakes" "pre-commit==$want_precommit"
fi
"$venv/bin/ruff" --version
