#!/usr/bin/env bash
# The long run of the performance suite, separate because it takes the better part of an hour:
# one validator commits TOTAL transactions (default 10,000,000, in runs of CHUNK pre-signed ones),
# then prints the node's resident memory (now and its peak) and the data directory's bytes per
# committed transaction as one JSON line (targets: RSS <= 512 MB, disk <= 1 KB per tx).
# Environment: TOTAL, CHUNK (500000), CONNECTIONS (16), BATCH (50), ONECHAIN_BIN, KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL=${TOTAL:-10000000}
CHUNK=${CHUNK:-500000}
C=${CONNECTIONS:-16}
B=${BATCH:-50}
bin=${ONECHAIN_BIN:-./build/src/cli/onechain}
bench=./build/bench/onechain-bench
tmp=$(mktemp -d /tmp/onechain-soak.XXXXXX)
node_pid=
cleanup() {
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" genesis new --out "$tmp" --chain-id bench-soak >/dev/null
"$bin" node --genesis "$tmp/genesis.json" --key "$tmp/keys/validator-0.pem" \
  --data-dir "$tmp/data" --listen "127.0.0.1:$port" --log-level warn >"$tmp/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done
done_txs=0
while [ "$done_txs" -lt "$TOTAL" ]; do
  n=$(( TOTAL - done_txs < CHUNK ? TOTAL - done_txs : CHUNK ))
  "$bench" --network "$tmp" --node "http://127.0.0.1:$port" -n "$n" -c "$C" --batch "$B" \
    --workload self-register --valid-for 100000000 --sample-receipts 0 --json >"$tmp/run.json" \
    2>"$tmp/bench.log"
  done_txs=$((done_txs + n))
  rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$node_pid/status")
  echo "$done_txs transactions committed; node RSS $((rss_kb / 1024)) MB" >&2
done
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$node_pid/status")
hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$node_pid/status")
disk=$(du -sb "$tmp/data" | cut -f1)
python3 -c 'import json,sys; t,r,h,d=map(int,sys.argv[1:]); print(json.dumps({"txs": t,
  "rss_mb": round(r / 1024), "peak_rss_mb": round(h / 1024), "disk_bytes": d,
  "disk_bytes_per_tx": round(d / t, 1)}))' "$done_txs" "$rss_kb" "$hwm_kb" "$disk"
