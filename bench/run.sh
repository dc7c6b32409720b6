#!/usr/bin/env bash
# Runs the benchmark end to end: builds onechain and onechain-bench if needed, creates a fresh
# network in a temporary directory, starts one validator node there, runs the default load,
# prints the figures, stops the node and removes the directory.
#
# Environment: N (transactions, 100000), CONNECTIONS (32), BATCH (envelopes per request, 1:
# POST /v1/tx, more: POST /v1/txs), SUITE (intl or sm), WORKLOAD (mixed, self-register or register), PORT (a free one by default), BUILD_DIR (build-bench),
# KEEP=1 keeps the temporary directory (node log, data), ONECHAIN_BIN runs another node binary,
# PERF_OUT=FILE records a CPU profile of the node during the run (perf record, options in
# PERF_ARGS, default "-F 499 -g"; needs perf).
# Extra arguments go to onechain-bench, e.g. `bench/run.sh --json` or `bench/run.sh --quickack`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build-bench}"
N="${N:-100000}"
CONNECTIONS="${CONNECTIONS:-32}"
BATCH="${BATCH:-1}"
SUITE="${SUITE:-intl}"
WORKLOAD="${WORKLOAD:-mixed}"

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target onechain onechain-bench --parallel "$(nproc)" >&2
bin="${ONECHAIN_BIN:-$build/src/cli/onechain}"
bench="$build/bench/onechain-bench"

free_port() {  # a port the kernel picks as free; a random high one without python3
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000))
}
PORT="${PORT:-$(free_port)}"
api="http://127.0.0.1:$PORT"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/onechain-bench.XXXXXX")"
node_pid=""
perf_pid=""
bench_pid=""

cleanup() {
  local status=$?
  if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
  fi
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
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

"$bin" genesis new --out "$tmp/net" --suite "$SUITE" --chain-id onechain-bench >/dev/null
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
echo "node $node_pid on $api, data in $tmp/data; suite $SUITE, $N txs, $CONNECTIONS connections" >&2

if [ -n "${PERF_OUT:-}" ]; then
  # shellcheck disable=SC2086  # PERF_ARGS is a list of options
  perf record -q ${PERF_ARGS:--F 499 -g} -p "$node_pid" -o "$PERF_OUT" >/dev/null 2>&1 &
  perf_pid=$!
fi
# In the background and waited for, so that a signal to this script acts at once.
"$bench" --network "$tmp/net" --node "$api" -n "$N" -c "$CONNECTIONS" --workload "$WORKLOAD" \
  --batch "$BATCH" --node-pid "$node_pid" "$@" &
bench_pid=$!
wait "$bench_pid"
