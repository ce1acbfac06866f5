#!/bin/bash
# The cache after edits: on a copy of the pinned corpus, nine edits one after another (a comment, an
# unused import added and removed, a blocking helper and a coroutine calling it, a helper whose body
# changes with the same calls, one that stops blocking, ...). After each, a cached run must print
# what an uncached run prints, and so must the cached run after it. About 5 minutes.
#   scripts/check-cache-edits.sh [BINARY]   (default: target/release/tauten; corpus from fetch-corpus.sh)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
T=${1:-$root/target/release/tauten}
"$root/scripts/fetch-corpus.sh" "$root/.corpus" >/dev/null
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
cp -r "$root/.corpus/." "$D/corpus" && rm -rf "$D/corpus/.wheels"
cd "$D"
failed=0
run() { $T check --select TAU --exit-zero --output-format concise corpus "$@" 2>&1; }
run >/dev/null; sleep 2.2
check() {
  sleep 2.2
  a=$(run | md5sum); b=$(run --no-cache | md5sum); c=$(run | md5sum)
  if [ "$a" == "$b" ] && [ "$c" == "$b" ]; then echo "ok   $1"; else echo "DIFF $1"; failed=1; fi
}
client=corpus/httpx/httpx/_client.py
utils=corpus/httpx/httpx/_utils.py
echo "# comment" >> $client; check "comment appended"
sed -i '0,/^import /s//import colorsys  # new\nimport /' $client; check "unused import added"
printf '\n\ndef _slow_helper():\n    import time\n    time.sleep(1)\n' >> $utils
check "blocking helper added"
printf '\n\nasync def _calls_slow():\n    from ._utils import _slow_helper\n    _slow_helper()\n' >> $client
check "coroutine calling it added"
echo "x_local = 1" >> $utils; check "module-level statement in helper module"
sed -i 's/^import colorsys  # new$//' $client; check "unused import removed"
sed -i 's/^    time.sleep(1)$/    time.sleep(2)/' $utils; check "helper body changed, same calls"
sed -i 's/^    time.sleep(2)$/    return 2/' $utils; check "helper no longer blocks"
echo "# again" >> $client; check "comment appended again"
exit $failed
