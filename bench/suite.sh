#!/usr/bin/env bash
# The performance suite: every figure of the performance issue measured in one run on this
# machine, side by side, printed as a table and written to docs/performance.md with the machine
# and the commands. Ratios matter more than absolute numbers: the machine is shared.
#
#   bench/suite.sh                 # the full run (the 100,000-creditor case takes minutes)
#   QUICK=1 bench/suite.sh         # smaller loads, for a check of the suite itself
#
# Steps: the limits (onechain-limits: Ed25519 and SM2 verifies per core, fsync rate); one
# validator, intl (bench/run.sh: saturation, then half of it for latency); four validators, intl
# and sm (bench/bft.sh); the peer: a 3-member etcd cluster from Debian's etcd-server on loopback
# under the same load shape (onechain-etcd-load: same connections, writes per request and value
# size), giving OneChain ÷ etcd; the 100,000-creditor case (bench/large_case.sh); proof
# verification (bench/proofs.sh); catch-up replay of a validator N transactions behind
# (bench/catchup.sh); public search p99 over a million cases (onechain-search-bench).
# Environment: N (transactions per throughput run, 20000), CONNECTIONS (16), BATCH (50),
# BUILD_DIR (build), CREDITORS (100000), CATCHUP (1000000), SEARCH_CASES (1000000), OUT (docs/performance.md; "-" prints only), KEEP=1
# (keep the directory of the run), REPORT_ONLY=DIR (render a kept run's figures again), SOAK=1
# (also the long run of bench/soak.sh: RSS and disk per transaction after SOAK_TXS, 10,000,000).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${BUILD_DIR:-$root/build}"
N="${N:-20000}"
C="${CONNECTIONS:-16}"
B="${BATCH:-50}"
CREDITORS="${CREDITORS:-100000}"
CATCHUP="${CATCHUP:-1000000}"
SEARCH_CASES="${SEARCH_CASES:-1000000}"
OUT="${OUT:-$root/docs/performance.md}"
if [ "${QUICK:-0}" = 1 ]; then
  N=4000
  CREDITORS=5000
  CATCHUP=20000
  SEARCH_CASES=50000
fi
if ! command -v etcd >/dev/null; then  # the peer comes from Debian's package
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server >&2
  else
    echo "suite.sh: etcd not found; install Debian's etcd-server" >&2
    exit 2
  fi
fi
cmake --build "$build" --target onechain onechain-bench onechain-etcd-load onechain-limits \
  onechain-large-case onechain-search-bench ledger_proofs_bench >&2
tmp=$(mktemp -d /tmp/onechain-suite.XXXXXX)
etcd_pids=()
cleanup() {
  for p in "${etcd_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
step() { echo "== $*" >&2; }
half_of() { python3 -c 'import json,sys; print(max(1.0, json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]] / 2))' "$@"; }

if [ -n "${REPORT_ONLY:-}" ]; then  # render the figures of a kept run (KEEP=1) again
  rmdir "$tmp"
  tmp="$REPORT_ONLY"
  KEEP=1
else
step "limits"
"$build/bench/onechain-limits" --dir "$tmp" >"$tmp/limits.json"

step "one validator, intl: saturation and half load"
BUILD_DIR="$build" N="$N" CONNECTIONS="$C" BATCH="$B" WORKLOAD=self-register \
  bench/run.sh --json >"$tmp/single.json"
BUILD_DIR="$build" N="$((N / 2))" CONNECTIONS="$C" BATCH="$B" WORKLOAD=self-register \
  bench/run.sh --json --rate "$(half_of "$tmp/single.json" throughput committed_tx_per_s)" \
  >"$tmp/single-half.json"

step "four validators, intl and sm"
ONECHAIN_BIN="$build/src/cli/onechain" SUMMARY_JSON="$tmp/bft.json" bench/bft.sh "$N" "$C" "$B" >&2

step "etcd, 3 members on loopback, the same load shape"
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
cluster=""
declare -a client_ports peer_ports
for i in 0 1 2; do
  client_ports[$i]=$(free_port)
  peer_ports[$i]=$(free_port)
  cluster="$cluster${cluster:+,}m$i=http://127.0.0.1:${peer_ports[$i]}"
done
for i in 0 1 2; do
  etcd --name "m$i" --data-dir "$tmp/etcd-$i" \
    --listen-client-urls "http://127.0.0.1:${client_ports[$i]}" \
    --advertise-client-urls "http://127.0.0.1:${client_ports[$i]}" \
    --listen-peer-urls "http://127.0.0.1:${peer_ports[$i]}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${peer_ports[$i]}" \
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token onechain-suite \
    --log-level error >"$tmp/etcd-$i.log" 2>&1 &
  etcd_pids+=("$!")
done
endpoint="http://127.0.0.1:${client_ports[0]}"
for _ in $(seq 1 100); do
  curl -sf -X POST "$endpoint/v3/kv/put" -d '{"key":"cmVhZHk=","value":"MQ=="}' >/dev/null 2>&1 && break
  sleep 0.2
done
value_bytes=$(python3 -c 'import json,sys; print(int(round(json.load(open(sys.argv[1]))["config"]["envelope_bytes_avg"])))' "$tmp/single.json")
# One put per request: each write stands alone, as each OneChain transaction of a batch does (a
# transaction of B puts is one atomic raft entry, measured beside it for context).
"$build/bench/onechain-etcd-load" --endpoint "$endpoint" -n "$N" -c "$C" -b 1 \
  --value-bytes "$value_bytes" >"$tmp/etcd.json"
"$build/bench/onechain-etcd-load" --endpoint "$endpoint" -n "$((N / 2))" -c "$C" -b 1 \
  --value-bytes "$value_bytes" --rate "$(half_of "$tmp/etcd.json" throughput committed_per_s)" \
  >"$tmp/etcd-half.json"
"$build/bench/onechain-etcd-load" --endpoint "$endpoint" -n "$N" -c "$C" -b "$B" \
  --value-bytes "$value_bytes" >"$tmp/etcd-txn.json"
for p in "${etcd_pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
etcd_pids=()

step "the ${CREDITORS}-creditor case"
BUILD_DIR="$build" N="$CREDITORS" bench/large_case.sh --json | grep '^{' >"$tmp/large.json"

step "proof verification"
BUILD_DIR="$build" bench/proofs.sh >"$tmp/proofs.txt"

step "catch-up replay of a validator $CATCHUP transactions behind"
ONECHAIN_BIN="$build/src/cli/onechain" bench/catchup.sh "$CATCHUP" | tail -n 1 >"$tmp/catchup.json"

step "public search over $SEARCH_CASES cases"
"$build/bench/onechain-search-bench" -n "$SEARCH_CASES" >"$tmp/search.json"

if [ "${SOAK:-0}" = 1 ]; then  # the long run, usually separate: bench/soak.sh
  step "memory and disk after ${SOAK_TXS:-10000000} transactions"
  ONECHAIN_BIN="$build/src/cli/onechain" TOTAL="${SOAK_TXS:-10000000}" bench/soak.sh \
    | tail -n 1 >"$tmp/soak.json"
fi

fi

python3 - "$tmp" "$OUT" "$N" "$C" "$B" "$CREDITORS" <<'PY'
import json, os, platform, subprocess, sys, datetime
tmp, out, n, c, b, creditors = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
load = lambda name: json.load(open(os.path.join(tmp, name)))
limits, single, single_half = load("limits.json"), load("single.json"), load("single-half.json")
bft, etcd, etcd_half, large = load("bft.json"), load("etcd.json"), load("etcd-half.json"), load("large.json")
etcd_txn = load("etcd-txn.json") if os.path.exists(os.path.join(tmp, "etcd-txn.json")) else None
proofs = open(os.path.join(tmp, "proofs.txt")).read().strip().splitlines()
catchup, search = load("catchup.json"), load("search.json")
soak = load("soak.json") if os.path.exists(os.path.join(tmp, "soak.json")) else None
cores = limits["cores"]
ed, sm2 = limits["ed25519_verify_per_s_per_core"], limits["sm2_verify_per_s_per_core"]
one = single["throughput"]["committed_tx_per_s"]
one_lat = single_half["latency"]["commit_observed"]
intl, sm = bft.get("intl", {}), bft.get("sm", {})
etcd_tps = etcd["throughput"]["committed_per_s"]
proof_ms = next((l for l in proofs if l.startswith("slowest verification")), "")

def fmt(x, unit=""):
    return f"{x:,.0f}{unit}" if isinstance(x, (int, float)) else str(x)

def verdict(ok):
    return "met" if ok else "**not met**"

rows = [
    ("Ed25519 verifies/s per core (crypto::Suite::Verify)", fmt(ed), "", ""),
    ("SM2 verifies/s per core", fmt(sm2), "", ""),
    ("fsync/s (4 KiB write + fsync, data disk)", fmt(limits["fsync_per_s"]), "", ""),
    ("1 validator, intl: committed tx/s", fmt(one), "≥ 30,000", verdict(one >= 30000)),
    ("1 validator, intl: commit latency p50 / p99 at half load",
     f"{one_lat['p50_ms']:.0f} / {one_lat['p99_ms']:.0f} ms", "", ""),
]
if intl:
    rows += [
        ("4 validators, intl: committed tx/s", fmt(intl["committed_tx_per_s"]),
         f"≥ 0.6 × {intl['limit_tx_per_s']:,.0f}",
         f"{intl['ratio_to_limit']:.2f} of the limit, " + verdict(intl["ratio_to_limit"] >= 0.6)),
        ("4 validators, intl ÷ etcd (3 members, same load)",
         f"{intl['committed_tx_per_s'] / etcd_tps:.2f}", "≥ 1.7",
         verdict(intl["committed_tx_per_s"] / etcd_tps >= 1.7)),
        ("4 validators, intl: validators' CPU per committed tx", f"{intl['cpu_us_per_tx']:.0f} µs",
         f"≤ {cores * 1e6 / (0.6 * intl['limit_tx_per_s']):.0f} µs", ""),
        ("4 validators, intl: latency p50 / p99 at half load",
         f"{intl['half_load_p50_ms']:.0f} / {intl['half_load_p99_ms']:.0f} ms", "≤ 150 / 500 ms",
         verdict(intl["half_load_p50_ms"] <= 150 and intl["half_load_p99_ms"] <= 500)),
    ]
if sm:
    rows += [
        ("4 validators, sm: committed tx/s", fmt(sm["committed_tx_per_s"]),
         f"≥ 0.6 × {sm['limit_tx_per_s']:,.0f}",
         f"{sm['ratio_to_limit']:.2f} of the limit, " + verdict(sm["ratio_to_limit"] >= 0.6)),
        ("4 validators, sm: latency p50 / p99 at half load",
         f"{sm['half_load_p50_ms']:.0f} / {sm['half_load_p99_ms']:.0f} ms", "", ""),
    ]
rows += [
    ("etcd 3 members, one put per request: committed writes/s", fmt(etcd_tps), "", ""),
    ("etcd: latency p50 / p99 at half load",
     f"{etcd_half['latency']['p50_ms']:.0f} / {etcd_half['latency']['p99_ms']:.0f} ms", "", ""),
] + ([(f"etcd, one transaction of {b} puts per request (context): writes/s",
       fmt(etcd_txn["throughput"]["committed_per_s"]), "", "")] if etcd_txn else []) + [
    (f"{large['creditors']:,}-creditor case ({large['txs']:,} txs)", f"{large['seconds']:.1f} s",
     "≤ 180 s" if large["creditors"] >= 100000 else "(≤ 180 s at 100,000)",
     verdict(large["seconds"] <= 180) if large["creditors"] >= 100000 else ""),
    ("proof verification (slowest kind)", proof_ms.replace("slowest verification ", ""), "≤ 1 ms", ""),
    (f"catch-up replay, {catchup['txs']:,} txs behind ({catchup['seconds']} s)",
     fmt(catchup["tx_per_s"], " tx/s"), "≥ 20,000 tx/s", verdict(catchup["tx_per_s"] >= 20000)),
    (f"public search p50 / p99 at {search['cases']:,} cases (store, {search['queries']:,} queries)",
     f"{search['latency_ms']['all']['p50']:.2f} / {search['latency_ms']['all']['p99']:.2f} ms",
     "p99 ≤ 20 ms", verdict(search["latency_ms"]["all"]["p99"] <= 20)),
    (f"RSS / disk per tx at {soak['txs']:,} txs" if soak else "RSS / disk per tx at 10,000,000 txs",
     f"{soak['rss_mb']} MB (peak {soak['peak_rss_mb']}) / {soak['disk_bytes_per_tx']:.0f} B" if soak
     else "separate long run: `bench/soak.sh` (or SOAK=1 here)", "≤ 512 MB / 1 KB",
     verdict(soak["peak_rss_mb"] <= 512 and soak["disk_bytes_per_tx"] <= 1024) if soak else ""),
]
table = ["| figure | measured | target | |", "|---|---|---|---|"]
table += [f"| {a} | {m} | {t} | {v} |" for a, m, t, v in rows]
print("\n".join(table))
if out == "-":
    sys.exit(0)
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                     capture_output=True, text=True).stdout.strip()
mem = subprocess.run(["sh", "-c", "grep -m1 MemTotal /proc/meminfo | awk '{print $2/1048576}'"],
                     capture_output=True, text=True).stdout.strip()
doc = f"""# Performance

Written by `bench/suite.sh` on {datetime.date.today().isoformat()}; every figure below comes from
that one run on one machine, so they can be compared with each other. The machine is shared, so
ratios (to the verify-rate limit, to etcd) say more than the absolute numbers.

Machine: {cores} cores ({cpu}), {float(mem):.0f} GiB, {platform.system()} {platform.release()}.
Load: {n:,} transactions per throughput run over {c} keep-alive connections, {b} transactions per
request (`POST /v1/txs`, each transaction validated and committed on its own); for etcd one put
per request on the v3 HTTP gateway (each write on its own, as each OneChain transaction), values
of {single['config']['envelope_bytes_avg']:.0f} bytes, the size of OneChain's signed envelopes;
half-load latency at half of each system's saturated rate. Workload `self-register`: every
transaction has a fresh signer.

{chr(10).join(table)}

The limit of four validators is cores × verifies/s per core ÷ 4: every validator checks every
signature once, so no engineering gets past it.

## Proofs

```
{chr(10).join(proofs)}
```

## Commands

```sh
bench/suite.sh                     # this page
N={n} CONNECTIONS={c} BATCH={b} bench/run.sh --json  # one validator
bench/bft.sh {n} {c} {b}          # four validators, intl and sm
N={creditors} bench/large_case.sh  # the large case
bench/proofs.sh                    # proof verification
bench/catchup.sh 1000000           # catch-up replay
build/bench/onechain-search-bench -n 1000000  # public search
```
"""
open(out, "w").write(doc)
print(f"wrote {out}", file=sys.stderr)
PY
