#!/usr/bin/env bash
# Issue 3's "Large case" benchmark end to end: builds onechain and onechain-large-case if needed,
# creates a fresh network in a temporary directory, starts one validator node there, and drives
# one liquidation case with N creditors through the REST API: untimed setup (accounts, the case,
# N self-registered creditors listed and bound), then on the clock the 4·N workflow transactions
# (claim-declaration notices, declarations, reviews, review-result notices). Prints the total
# time and committed tx/s, stops the node and removes the directory.
#
# Environment: N (creditors, 100000), CONNECTIONS (8), BATCH (envelopes per POST /v1/txs, 200),
# MEMBERS (administrator members signing, 16), PORT (a free one by default), BUILD_DIR
# (build-bench), KEEP=1 keeps the temporary directory (node.log, data).
# Extra arguments go to onechain-large-case, e.g. `bench/large_case.sh --json`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build-bench}"
N="${N:-100000}"
CONNECTIONS="${CONNECTIONS:-8}"
BATCH="${BATCH:-200}"
MEMBERS="${MEMBERS:-16}"

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target onechain onechain-large-case --parallel "$(nproc)" >&2
bin="$build/src/cli/onechain"
bench="$build/bench/onechain-large-case"

free_port() {  # a port the kernel picks as free; a random high one without python3
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000))
}
PORT="${PORT:-$(free_port)}"
api="http://127.0.0.1:$PORT"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/onechain-large-case.XXXXXX")"
node_pid=""
bench_pid=""

cleanup() {
  local status=$?
  if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
  fi
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$node_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept $tmp (node.log, net/, data/)" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$bin" genesis new --out "$tmp/net" --chain-id onechain-large-case >/dev/null
"$bin" node --genesis "$tmp/net/genesis.json" --key "$tmp/net/keys/validator-0.pem" \
  --data-dir "$tmp/data" --listen "127.0.0.1:$PORT" --log-level warn >"$tmp/node.log" 2>&1 &
node_pid=$!

for _ in $(seq 1 300); do
  curl -sf "$api/v1/health" >/dev/null 2>&1 && break
  if ! kill -0 "$node_pid" 2>/dev/null; then
    echo "the node did not start:" >&2
    cat "$tmp/node.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "node $node_pid on $api; $N creditors, $CONNECTIONS connections, batches of $BATCH" >&2

# In the background and waited for, so that a signal to this script acts at once.
"$bench" --network "$tmp/net" --node "$api" -n "$N" -c "$CONNECTIONS" --batch "$BATCH" \
  --members "$MEMBERS" "$@" &
bench_pid=$!
wait "$bench_pid"
