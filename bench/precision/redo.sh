#!/usr/bin/env bash
# Redo the TAU505/TAU507/TAU510 precision study's raw runs and samples.
# Needs: pip (PyPI only), unzip, tar, python3, a tauten binary ($TAUTEN, default /work/bin/tauten-new).
set -euo pipefail
TAUTEN=${TAUTEN:-/work/bin/tauten-new}
CORPUS=${CORPUS:-/work/main/.corpus}
EXTRA=${EXTRA:-/work/study-extra}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$EXTRA/dl" "$EXTRA/src" "$EXTRA/out"
cd "$EXTRA/dl"
while read -r spec; do
  [ -n "$spec" ] && pip download --no-deps -q -d . "$spec"
done < "$HERE/packages.txt"
cd "$EXTRA"
for f in dl/*.whl; do n=$(basename "$f" .whl | cut -d- -f1-2); mkdir -p "src/$n"; (cd "src/$n" && unzip -q -o "../../$f" '*.py' || true); done
for f in dl/*.tar.gz; do n=$(basename "$f" .tar.gz); mkdir -p "src/$n"; tar -xzf "$f" -C "src/$n" --wildcards '*.py'; done
# one run per package (each package is its own project for the cross-module pass)
ls src | xargs -P2 -I{} sh -c "$TAUTEN check --no-cache --exit-zero --select TAU510,TAU505,TAU507 --output-format concise src/{} > out/{}.txt 2>out/{}.err"
cat out/*.txt | sed "s#^src/#$EXTRA/src/#" | grep -E ' TAU5(05|07|10) ' > "$HERE/raw/extra.txt"
(cd "$(dirname "$CORPUS")" && $TAUTEN check --no-cache --exit-zero --select TAU510,TAU505,TAU507 --output-format concise .corpus) \
  | grep -E ' TAU5(05|07|10) ' | sed "s#^\.corpus/#$CORPUS/#" > "$HERE/raw/corpus.txt"
# batch 2: TAU507 pool only
mkdir -p dl2 src2 out2
(cd dl2 && while read -r spec; do [ -n "$spec" ] && pip download --no-deps -q -d . "$spec"; done < "$HERE/packages2.txt")
for f in dl2/*.whl; do n=$(basename "$f" .whl | cut -d- -f1-2); mkdir -p "src2/$n"; (cd "src2/$n" && unzip -q -o "../../$f" '*.py' || true); done
ls src2 | xargs -P2 -I{} sh -c "$TAUTEN check --no-cache --exit-zero --select TAU510,TAU505,TAU507 --output-format concise src2/{} > out2/{}.txt 2>out2/{}.err"
cat out2/*.txt | sed "s#^src2/#$EXTRA/src2/#" | grep -E ' TAU5(05|07|10) ' > "$HERE/raw/extra2.txt"
cd "$HERE" && python3 sample.py   # seed 20261201, writes sample_TAU5xx.txt
