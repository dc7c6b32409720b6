#!/usr/bin/env bash
# Committed tx/s and latency of 4 BFT validators against 1 validator, same machine, same run:
#   bench/bft.sh [N] [CONNECTIONS]   (defaults 3000, 16; needs build/ from the main build)
# Load goes to validator 0's API; the others receive the transactions through relay.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000}
C=${2:-16}
bin=./build/src/cli/onechain
bench=./build/bench/onechain-bench
tmp=$(mktemp -d /tmp/onechain-bft-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

run() {  # run VALIDATORS BASE_API_PORT BASE_PEER_PORT
  local n=$1 api=$2 peer=$3 dir="$tmp/n$1"
  "$bin" genesis new --out "$dir" --validators "$n" --base-port "$peer" --chain-id bench \
    >/dev/null
  pids=()
  for i in $(seq 0 $((n - 1))); do
    "$bin" node --genesis "$dir/genesis.json" --key "$dir/keys/validator-$i.pem" \
      --data-dir "$dir/data-$i" --listen "127.0.0.1:$((api + i))" --log-level warn \
      >"$dir/node-$i.log" 2>&1 &
    pids+=("$!")
  done
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$api/v1/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  "$bench" --network "$dir" --node "http://127.0.0.1:$api" -n "$N" -c "$C" \
    --workload self-register --load-admins "$C" --json >"$tmp/result-$n.json"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

run 1 18180 27900
run 4 18190 27910
python3 - "$tmp/result-1.json" "$tmp/result-4.json" <<'PY'
import json, sys
def flat(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict): out.update(flat(v, prefix + k + "."))
        elif not isinstance(v, list): out[prefix + k] = v
    return out
one, four = (flat(json.load(open(p))) for p in sys.argv[1:3])
keys = [k for k in one if any(w in k.lower() for w in ("tps", "per_s", "p50", "p99", "latency"))]
for k in keys:
    a, b = one[k], four.get(k)
    ratio = f"{b / a:.2f}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a else "-"
    print(f"{k:40} 1 validator {a!s:>12}  4 validators {b!s:>12}  ratio 4/1 {ratio}")
PY
