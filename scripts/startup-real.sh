#!/usr/bin/env bash
# `tauten startup --write` on real CLIs from PyPI, each checked by an independent side-by-side
# measurement (bench/startup_real.py): for each NAME==VERSION, a venv with the release installed,
# its sdist unpacked as the project, and `python -m MODULE ARGS` as the command. One JSON row per
# CLI on standard output (the table in docs/lazy-imports.md comes from them). Not run by CI: it
# installs from PyPI and takes about 10 minutes.
#   usage: scripts/startup-real.sh [NAME==VERSION:MODULE:ARGS ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tauten=${TAUTEN:-${CARGO_TARGET_DIR:-$root/target}/release/tauten}
work=${WORK:-$root/.startup-real}
runs=${RUNS:-21}
if [ $# -eq 0 ]; then
  set -- cookiecutter==2.6.0:cookiecutter:--help datasette==0.65.1:datasette:--help \
    httpie==3.2.4:httpie:--help twine==6.1.0:twine:--help csvkit==2.2.0:csvkit.utilities.csvlook:--help \
    mkdocs==1.6.1:mkdocs:--help sphinx==8.2.3:sphinx:--help
fi
mkdir -p "$work"
for entry in "$@"; do
  IFS=: read -r spec module args <<<"$entry"
  name=${spec%%==*}
  venv="$work/venv-$name"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$spec"
  src="$work/src-$name"
  if [ ! -d "$src" ]; then
    mkdir -p "$src"
    "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --no-binary :all: "$spec" -d "$src"
    tar xzf "$src"/*.tar.gz -C "$src" && rm "$src"/*.tar.gz
  fi
  project=$(ls -d "$src"/*/ | head -1)
  # shellcheck disable=SC2086 # ARGS are words
  python3 "$root/bench/startup_real.py" --tauten "$tauten" --project "$project" --runs "$runs" \
    -- "$venv/bin/python" -m "$module" $args
done
