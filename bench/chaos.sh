#!/usr/bin/env bash
# Real-process chaos at length: tests/bft_chaos_test.cc with 200 SIGKILL-and-restart cycles of a
# random validator among four (started by `onechain net up`) under a steady load of signed
# transactions, then the checks (no reported commit lost, same blocks and state roots everywhere).
#   bench/chaos.sh [KILLS]   (default 200; needs build/ from the main build)
# Prints the figures: kills, transactions sent and committed, the final height, the longest and
# the mean recovery (restart until the validator reaches the height the others had), duration.
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-200}
test_bin=./build/tests/bft_chaos_test
[ -x "$test_bin" ] || { echo "build first: $test_bin is missing" >&2; exit 1; }
out=$(mktemp /tmp/onechain-chaos.XXXXXX)
trap 'rm -f "$out"' EXIT
if ! ONECHAIN_CHAOS_KILLS="$KILLS" "$test_bin" >"$out" 2>&1; then
  tail -60 "$out"
  echo "chaos run FAILED" >&2
  exit 1
fi
line=$(grep '^chaos:' "$out")
echo "$line"
echo "$line" | tr ' ' '\n' | sed -n 's/=/ /p' | while read -r key value; do
  printf '  %-18s %s\n' "$key" "$value"
done
