#!/usr/bin/env bash
# Run pre-commit itself (from .venv-ref) on a temporary git repository whose .pre-commit-config.yaml
# points at this repository: the `tauten` hook must fail on an unused import, and `tauten-fix` must
# remove it. pre-commit installs the hook with pip, which builds the binary through maturin.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
precommit="$root/.venv-ref/bin/pre-commit"
[ -x "$precommit" ] || "$root/scripts/setup-reference-tools.sh" >/dev/null
rev=$(git -C "$root" rev-parse HEAD)
if [ -n "$(git -C "$root" status --porcelain -- . ':!.corpus' ':!.venv-ref' 2>/dev/null)" ]; then
  echo "test-pre-commit: note: uncommitted changes are not part of the hook (it installs $rev)"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
cd "$work"
git init -q repo
cd repo
git config user.email ci@example.invalid
git config user.name ci
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: tauten
      - id: tauten-fix
        stages: [manual]
YAML
printf 'import os\nimport sys\n\nprint(sys.argv)\n' > app.py
git add -A
git commit -qm init
echo "test-pre-commit: installing the hook (builds tauten with maturin)..."
if ! "$precommit" install-hooks > install.log 2>&1; then
  tail -n 40 install.log
  echo "test-pre-commit: FAILED: the hook did not install"
  exit 1
fi
if "$precommit" run tauten --all-files > check.log 2>&1; then
  cat check.log
  echo "test-pre-commit: FAILED: the check hook passed on an unused import"
  exit 1
fi
grep -q 'TAU101' check.log || { cat check.log; echo "test-pre-commit: FAILED: no TAU101 in the hook output"; exit 1; }
"$precommit" run tauten-fix --hook-stage manual --all-files > fix.log 2>&1 || true
if grep -q '^import os' app.py; then
  cat fix.log
  echo "test-pre-commit: FAILED: the fix hook left the unused import"
  exit 1
fi
"$precommit" run tauten --all-files > recheck.log 2>&1 || { cat recheck.log; echo "test-pre-commit: FAILED: still failing after the fix"; exit 1; }
echo "test-pre-commit: passed (check hook fails on the finding, fix hook removes it)"
