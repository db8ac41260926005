#!/usr/bin/env bash
# Interleaved A/B of the storage paths: bench:chain and bench:node --only-1 --durable of another
# checkout (installed and built) against this one's, alternating, N pairs each (default 5), in one
# run on one machine. Prints every run's figures, each under a header naming its side.
#   bash tooling/bench-chain/ab.sh ../aesc-base [pairs]
set -euo pipefail
base="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")/../.." && pwd)"
pairs="${2:-5}"
for dir in "$base" "$here"; do
  [ -f "$dir/tooling/bench-chain/dist/chain.js" ] && [ -f "$dir/tooling/bench-node/dist/node.js" ] || { echo "$dir: build bench-chain and bench-node first"; exit 2; }
done
for what in chain node; do
  for i in $(seq 1 "$pairs"); do
    for side in base here; do
      dir="$base"; [ "$side" = here ] && dir="$here"
      if [ "$what" = chain ]; then
        echo "== bench:chain, $side, run $i"
        (cd "$dir" && node tooling/bench-chain/dist/chain.js)
      else
        echo "== bench:node --only-1 --durable, $side, run $i"
        (cd "$dir" && node --expose-gc tooling/bench-node/dist/node.js --only-1 --durable | grep -E 'transfers/s')
      fi
    done
  done
done
