#!/usr/bin/env bash
# Encryption and upload throughput for 10 MB materials (issue 6): starts one validator on a fresh
# network in a temporary directory and runs onechain-materials-bench (bench/materials.cc)
# against it, signed by the court's genesis admin. Prints MB/s per step.
# Environment: MB (10), ROUNDS (5), SUITE (intl; sm for an sm network), BUILD_DIR (build), PORT.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target onechain onechain-materials-bench >&2
bin="$build/src/cli/onechain"
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000))
}
PORT="${PORT:-$(free_port)}"
api="http://127.0.0.1:$PORT"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/onechain-materials.XXXXXX")"
node_pid=""
cleanup() {
  local status=$?
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
"$bin" genesis new --out "$tmp/net" --chain-id onechain-materials --suite "${SUITE:-intl}" >/dev/null
"$bin" node --genesis "$tmp/net/genesis.json" --key "$tmp/net/keys/validator-0.pem" \
  --data-dir "$tmp/data" --listen "127.0.0.1:$PORT" --log-level warn >"$tmp/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do
  curl -sf "$api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$tmp/node.log" >&2; exit 1; }
  sleep 0.1
done
"$build/bench/onechain-materials-bench" --node "$api" --key "$tmp/net/keys/court-admin.pem" \
  --mb "${MB:-10}" --rounds "${ROUNDS:-5}" "$@"
