#!/usr/bin/env bash
# Compares committed tx/s of two node binaries in one run: this tree's node (BUILD_DIR's
# onechain) and BASE_BIN (e.g. a build of an older commit), alternating ROUNDS times (default 3)
# so that both see the same drift in the machine's load, each round a full bench/run.sh with the
# same load generator. Prints every run and the ratio of the medians (this / base).
#   BASE_BIN=/path/to/old/onechain BUILD_DIR=$PWD/build CONNECTIONS=4 BATCH=200 bench/ab.sh
# Other variables (N, CONNECTIONS, BATCH, SUITE, WORKLOAD) go to run.sh unchanged.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
: "${BASE_BIN:?BASE_BIN must name the node binary to compare against}"
ROUNDS="${ROUNDS:-3}"
this=()
base=()
rate() { grep -E "^ *committed tx/s" | awk '{print $3}'; }
for round in $(seq 1 "$ROUNDS"); do
  t="$(env -u ONECHAIN_BIN "$root/bench/run.sh" 2>/dev/null | rate)"
  b="$(ONECHAIN_BIN="$BASE_BIN" "$root/bench/run.sh" 2>/dev/null | rate)"
  echo "round $round: this $t tx/s, base $b tx/s"
  this+=("$t")
  base+=("$b")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
mt="$(median "${this[@]}")"
mb="$(median "${base[@]}")"
echo "median: this $mt tx/s, base $mb tx/s, ratio $(awk -v a="$mt" -v b="$mb" 'BEGIN {printf "%.2f", a/b}')"
