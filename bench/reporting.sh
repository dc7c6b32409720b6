#!/usr/bin/env bash
# The reporter's catch-up speed: a fresh network whose statutory day lasts 400 ms, `onechain demo
# load` driving the demo case (about 50 creditors through every step), a private PostgreSQL, then
# onechain-report applying every block from height 0 (--until-height the head). Prints blocks and
# transactions applied per second, and how long catching up took as a ratio of the time the chain
# took to produce those blocks (both measured in this one run).
# Environment: BUILD_DIR (build), PORT, PG_PORT (free ones by default), KEEP=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target onechain onechain-report >&2
bin="$build/src/cli/onechain"
report="$build/reporting/onechain-report"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000))
}
PORT="${PORT:-$(free_port)}"
PG_PORT="${PG_PORT:-$(free_port)}"
api="http://127.0.0.1:$PORT"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/onechain-reportbench.XXXXXX")"
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

now_ms() { date +%s%3N; }

"$bin" genesis new --out "$tmp/net" --chain-id reportbench --day-ms 400 >/dev/null
"$bin" node --genesis "$tmp/net/genesis.json" --key "$tmp/net/keys/validator-0.pem" \
  --data-dir "$tmp/data" --listen "127.0.0.1:$PORT" >"$tmp/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do
  curl -sf "$api/v1/health" >/dev/null && break
  sleep 0.1
done
k="$tmp/net/keys"
start=$(now_ms)
"$bin" keys new --out "$k/clerk.pem" >/dev/null
"$bin" tx send register-account --key "$k/court-admin.pem" --public-key-from "$k/clerk.pem" \
  --role clerk --name "Reporting clerk" --node "$api" >/dev/null
"$bin" demo load --network "$tmp/net" --node "$api" >"$tmp/demo.log"
chain_ms=$(( $(now_ms) - start ))
head=$(curl -sf "$api/v1/health" | python3 -c 'import json, sys; print(json.load(sys.stdin)["height"])')
txs=0
for h in $(seq 1 "$head"); do
  n=$(curl -sf "$api/v1/blocks/$h" | python3 -c 'import json, sys; print(len(json.load(sys.stdin).get("txHashes", [])))')
  txs=$((txs + n))
done

conninfo=$("$root/scripts/tax_pg.sh" start "$tmp/pg" "$PG_PORT")
"$root/scripts/tax_pg.sh" psql "$tmp/pg" "$PG_PORT" -c "CREATE DATABASE report"
start=$(now_ms)
"$report" --node "$api" --key "$k/clerk.pem" --db "${conninfo/dbname=tax/dbname=report}" \
  --until-height "$head" >"$tmp/report.log" 2>&1
report_ms=$(( $(now_ms) - start ))
rows=$("$root/scripts/tax_pg.sh" psql "$tmp/pg" "$PG_PORT" -d report -tAc \
  "SELECT count(*) FROM transactions")
[ "$rows" = "$txs" ] || { echo "mirrored $rows transactions, the chain has $txs" >&2; exit 1; }

python3 - "$head" "$txs" "$chain_ms" "$report_ms" <<'PY'
import sys
head, txs, chain_ms, report_ms = map(int, sys.argv[1:])
print(f"blocks {head}, transactions {txs} (demo case, 400 ms days)")
print(f"chain produced them in {chain_ms / 1000:.1f} s; reporter applied them in {report_ms / 1000:.1f} s")
print(f"reporter: {head / (report_ms / 1000):.1f} blocks/s, {txs / (report_ms / 1000):.0f} tx/s; "
      f"catch-up time / production time = {report_ms / chain_ms:.3f}")
PY
