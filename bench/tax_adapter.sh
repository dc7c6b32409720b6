#!/usr/bin/env bash
# The tax adapter's response time (issue 6: notice -> declaration, p99 ≤ 10 s for 1,000 cases).
# Creates a fresh network and a private PostgreSQL in a temporary directory, starts one validator
# and runs onechain-tax-bench (adapters/tax/bench_driver.cc): N cases whose debtors owe tax, the
# bureau listed in each, the adapter started, the N notices sent at once; prints p50/p99/max from
# on-chain block times and checks every declared amount to the fen.
# Arguments go to the driver: `bench/tax_adapter.sh --from-acceptance --adapter-poll-ms 5000`
# starts the adapter first (hearing GET /v1/events; its 5 s poll only a fallback), accepts the N
# cases at once, plays court and administrator step by step, and adds acceptance -> tax claim
# committed (p50/p99/max); `--no-events` runs the same with polling only, for comparison.
# Environment: CASES (1000), BUILD_DIR (build), PORT, PG_PORT (free ones by default), KEEP=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
CASES="${CASES:-1000}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target onechain onechain-tax-adapter onechain-tax-bench >&2
bin="$build/src/cli/onechain"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000))
}
PORT="${PORT:-$(free_port)}"
PG_PORT="${PG_PORT:-$(free_port)}"
api="http://127.0.0.1:$PORT"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/onechain-taxbench.XXXXXX")"
chmod 755 "$tmp"  # the PostgreSQL server runs as `postgres` when this runs as root
node_pid=""

cleanup() {
  local status=$?
  "$root/scripts/tax_pg.sh" stop "$tmp/pg" || true
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$bin" genesis new --out "$tmp/net" --chain-id onechain-taxbench >/dev/null
"$bin" node --genesis "$tmp/net/genesis.json" --key "$tmp/net/keys/validator-0.pem" \
  --data-dir "$tmp/data" --listen "127.0.0.1:$PORT" --log-level warn >"$tmp/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do
  curl -sf "$api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$tmp/node.log" >&2; exit 1; }
  sleep 0.1
done
conninfo="$("$root/scripts/tax_pg.sh" start "$tmp/pg" "$PG_PORT")"
echo "node on $api, tax database $conninfo, $CASES cases" >&2
"$build/adapters/onechain-tax-bench" --node "$api" --net "$tmp/net" --db "$conninfo" \
  --adapter "$build/adapters/onechain-tax-adapter" --work-dir "$tmp" --cases "$CASES" "$@"
