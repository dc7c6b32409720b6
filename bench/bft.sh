#!/usr/bin/env bash
# Four BFT validators on this machine, per suite, in one run (bench/README.md, "BFT"):
#   - the suite's verify rate per core through crypto::Suite::Verify (Ed25519 for intl, SM2 for
#     sm), and the limit 2 cores x verifies/s / 4 validators (each validator verifies each
#     transaction once);
#   - committed tx/s at saturation and its ratio to the limit (target >= 0.6);
#   - commit latency p50/p99 at half of that load (target p99 <= 500 ms).
# Usage: bench/bft.sh [N] [CONNECTIONS] [BATCH]   (defaults 20000, 16, 50; needs build/)
# SUITES="intl sm" by default; KEEP=1 keeps the directory with the node logs; PERF_OUT=PREFIX
# profiles the validators at saturation (perf report -i PREFIX-intl.data --no-children; PERF_ARGS
# sets perf record's options); SUMMARY_JSON=FILE also writes the figures there as JSON;
# ONECHAIN_BIN runs another node binary; LOG_LEVEL sets the validators' log level (warn).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
C=${2:-16}
B=${3:-50}
SUITES=${SUITES:-intl sm}
bin=${ONECHAIN_BIN:-./build/src/cli/onechain}
bench=./build/bench/onechain-bench
tmp=$(mktemp -d /tmp/onechain-bft-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

start_network() {  # start_network SUITE BASE_API_PORT BASE_PEER_PORT
  local suite=$1 api=$2 peer=$3 dir="$tmp/$1"
  "$bin" genesis new --out "$dir" --validators 4 --base-port "$peer" --chain-id "bench-$suite" \
    --suite "$suite" >/dev/null
  pids=()
  for i in 0 1 2 3; do
    "$bin" node --genesis "$dir/genesis.json" --key "$dir/keys/validator-$i.pem" \
      --data-dir "$dir/data-$i" --listen "127.0.0.1:$((api + i))" --log-level "${LOG_LEVEL:-warn}" \
      >"$dir/node-$i.log" 2>&1 &
    pids+=("$!")
  done
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$api/v1/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
}

# CPU time (user + system, clock ticks) the validators have used so far: divided by the
# transactions committed, it says what a transaction costs whatever else the machine runs.
cpu_ticks() {
  local total=0 p
  for p in "${pids[@]}"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

stop_network() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}

summary=()
port=18190
peer=27910
for suite in $SUITES; do
  start_network "$suite" "$port" "$peer"
  dir="$tmp/$suite"
  # Saturation: every connection sends as fast as validator 0 answers. PERF_OUT=PREFIX records
  # the four validators during it into PREFIX-SUITE.data (perf record -g).
  perf_pid=
  if [ -n "${PERF_OUT:-}" ]; then
    perf record -q ${PERF_ARGS:--F 299 -g} -p "$(IFS=,; echo "${pids[*]}")" -o "$PERF_OUT-$suite.data" \
      >/dev/null 2>&1 &
    perf_pid=$!
  fi
  cpu_before=$(cpu_ticks)
  "$bench" --network "$dir" --node "http://127.0.0.1:$port" -n "$N" -c "$C" --batch "$B" \
    --workload self-register --json >"$dir/saturation.json"
  echo $(( $(cpu_ticks) - cpu_before )) >"$dir/saturation.cpu_ticks"
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  tps=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["throughput"]["committed_tx_per_s"])' \
    "$dir/saturation.json")
  half=$(python3 -c 'import sys; print(max(1.0, float(sys.argv[1]) / 2))' "$tps")
  # Half load: the same network, fresh signers, a fixed offered rate.
  "$bench" --network "$dir" --node "http://127.0.0.1:$port" -n "$((N / 2))" -c "$C" \
    --batch "$B" --rate "$half" --workload self-register --json >"$dir/half.json"
  for i in 0 1 2 3; do
    curl -sf "http://127.0.0.1:$((port + i))/v1/consensus" >"$dir/consensus-$i.json" || true
  done
  stop_network
  summary+=("$suite" "$dir/saturation.json" "$dir/half.json")
  port=$((port + 10))
  peer=$((peer + 10))
done

python3 - "${summary[@]}" <<'PY'
import json, os, sys
args = sys.argv[1:]
summary = {}
print("OneChain BFT benchmark: 4 validators on this machine, one run")
for k in range(0, len(args), 3):
    suite, sat, half = args[k], json.load(open(args[k + 1])), json.load(open(args[k + 2]))
    v = sat["verify"]
    name, rate = ("Ed25519", v["ed25519_per_s_per_core"]) if suite == "intl" else ("SM2", v["sm2_per_s_per_core"])
    cores = v["cores"]
    limit = cores * rate / 4
    tps = sat["throughput"]["committed_tx_per_s"]
    lat = half["latency"]["commit_observed"]
    hl = half["throughput"]["committed_tx_per_s"]
    print(f"[{suite}] {name} verify/s per core (crypto::Suite::Verify): {rate:.0f}")
    print(f"[{suite}] limit cores x verify/s / 4 validators:         {limit:.0f} tx/s")
    print(f"[{suite}] committed tx/s at saturation:                 {tps:.0f}"
          f"  ({sat['throughput']['committed']} committed, {sat['throughput']['admitted']} admitted)")
    print(f"[{suite}] ratio to the limit:                           {tps / limit:.2f}  (target >= 0.6)")
    ticks = int(open(args[k + 1].replace("saturation.json", "saturation.cpu_ticks")).read())
    cpu_us = ticks / os.sysconf("SC_CLK_TCK") * 1e6 / max(1, sat["throughput"]["committed"])
    print(f"[{suite}] validators' CPU per committed tx:             {cpu_us:.0f} us"
          f"  (of which {4e6 / rate:.0f} us are the 4 signature checks; the target needs <= {cores * 1e6 / (0.6 * limit):.0f})")
    print(f"[{suite}] at half load ({hl:.0f} tx/s committed): commit latency p50 {lat['p50_ms']:.0f} ms,"
          f" p99 {lat['p99_ms']:.0f} ms  (target p99 <= 500 ms)")
    summary[suite] = {"verify_per_s_per_core": rate, "limit_tx_per_s": limit,
                      "committed_tx_per_s": tps, "ratio_to_limit": tps / limit,
                      "cpu_us_per_tx": cpu_us, "half_load_tx_per_s": hl,
                      "half_load_p50_ms": lat["p50_ms"], "half_load_p99_ms": lat["p99_ms"]}
if os.environ.get("SUMMARY_JSON"):
    with open(os.environ["SUMMARY_JSON"], "w") as f:
        json.dump(summary, f, indent=2)
PY
