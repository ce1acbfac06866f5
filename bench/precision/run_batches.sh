#!/bin/bash
# One run per package of batches 1-4 with the binary named in $1, into the folder $2.
cd /work/study-extra
for d in ${DIRS:-src/* src2/* src3/* src4/*}; do echo "$d"; done | xargs -P2 -I{} sh -c 'b=$(echo {} | tr / _); '"$1"' check --no-cache --exit-zero --select TAU505,TAU507,TAU510,TAU511 --output-format concise {} > '"$2"'/$b.txt 2> '"$2"'/$b.err'
