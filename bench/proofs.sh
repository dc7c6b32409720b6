#!/usr/bin/env bash
# Issue 5's proof figures in one run: verification time per proof (target ≤ 1 ms), proof
# generation time (from build/src/ledger/ledger_proofs_bench, CPU time per operation, so that
# other load on the machine does not count), and, when BASE_BIN names a node binary without the
# trees, the committed tx/s ratio of this tree's node to it from bench/ab.sh.
#   bench/proofs.sh
#   BASE_BIN=/path/to/onechain-before-the-trees CONNECTIONS=4 BATCH=200 bench/proofs.sh
# BUILD_DIR (default build) is the tree whose ledger_proofs_bench runs; ab.sh's variables (N,
# ROUNDS, CONNECTIONS, BATCH, ...) pass through.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
cmake --build "$build" --target ledger_proofs_bench >&2
json="$(mktemp)"
trap 'rm -f "$json"' EXIT
"$build/src/ledger/ledger_proofs_bench" \
  --benchmark_filter='^(LogInclusionProve|LogInclusionVerify|LogConsistencyVerify|StateProveAndVerify|StateProofVerify|BundleVerify)$' \
  --benchmark_format=json --benchmark_out="$json" --benchmark_out_format=json >/dev/null 2>&1
python3 - "$json" <<'PY'
import json, sys
rows = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
def us(name):
    b = rows[name]
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
    return b["cpu_time"] * scale
lines = [
    ("verify: log inclusion, 1,000,000 leaves", "LogInclusionVerify", True),
    ("verify: log consistency 654,321 -> 1,000,000", "LogConsistencyVerify", True),
    ("verify: state proof, 1,000,000 keys (presence/absence)", "StateProofVerify", True),
    ("verify: whole bundle, 3-of-4 certificate + inclusion", "BundleVerify", True),
    ("generate: log inclusion, 1,000,000 leaves", "LogInclusionProve", False),
    ("generate + verify: state proof, 1,000,000 keys", "StateProveAndVerify", False),
]
worst = 0.0
for label, name, is_verify in lines:
    t = us(name)
    if is_verify:
        worst = max(worst, t)
    print(f"{label:58s} {t:9.1f} us CPU")
print(f"slowest verification {worst / 1000:.3f} ms per proof (target <= 1 ms): "
      + ("met" if worst <= 1000 else "NOT met"))
PY
if [ -n "${BASE_BIN:-}" ]; then
  BUILD_DIR="${AB_BUILD_DIR:-$build}" "$root/bench/ab.sh" | tail -n 1 | sed 's/^/ab.sh (with trees \/ without): /'
else
  echo "ab.sh ratio: not measured (set BASE_BIN to a node binary built without the trees)"
fi
