#!/usr/bin/env bash
# Catch-up replay: four validators, the fourth stopped while the other three commit N
# transactions (a quorum of three goes on without it); then the fourth starts again and fetches
# the certified blocks from its peers and executes them (signatures not re-verified,
# docs/consensus.md §11). Prints the transactions it replayed per second, from its start to the
# moment its ledger reaches the others' height, as one JSON line on stdout.
# Usage: bench/catchup.sh [N] (default 1000000; needs build/). CONNECTIONS (16), BATCH (50),
# ONECHAIN_BIN, KEEP=1 keeps the directory with the node logs.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
C=${CONNECTIONS:-16}
B=${BATCH:-50}
bin=${ONECHAIN_BIN:-./build/src/cli/onechain}
bench=./build/bench/onechain-bench
tmp=$(mktemp -d /tmp/onechain-catchup.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

api=18290
peer=28010
"$bin" genesis new --out "$tmp" --validators 4 --base-port "$peer" --chain-id bench-catchup \
  --suite intl >/dev/null
start_validator() {
  "$bin" node --genesis "$tmp/genesis.json" --key "$tmp/keys/validator-$1.pem" \
    --data-dir "$tmp/data-$1" --listen "127.0.0.1:$((api + $1))" --log-level "${LOG_LEVEL:-warn}" \
    >>"$tmp/node-$1.log" 2>&1 &
  pids[$1]=$!
}
height() { curl -sf "http://127.0.0.1:$((api + $1))/v1/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])' 2>/dev/null || echo 0; }
for i in 0 1 2; do start_validator "$i"; done
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "loading $N transactions into three validators (the fourth is down)..." >&2
"$bench" --network "$tmp" --node "http://127.0.0.1:$api" -n "$N" -c "$C" --batch "$B" \
  --workload self-register --valid-for 10000000 --json >"$tmp/load.json"
target=$(height 0)
echo "three validators at height $target; starting the fourth..." >&2
start=$(date +%s.%N)
start_validator 3
while [ "$(height 3)" -lt "$target" ]; do
  sleep 0.1
  if ! kill -0 "${pids[3]}" 2>/dev/null; then echo "the fourth validator stopped" >&2; exit 1; fi
done
end=$(date +%s.%N)
python3 - "$N" "$start" "$end" "$target" <<'PY'
import json, sys
n, start, end, height = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
s = end - start
print(json.dumps({"txs": n, "blocks": height, "seconds": round(s, 2), "tx_per_s": round(n / s)}))
PY
