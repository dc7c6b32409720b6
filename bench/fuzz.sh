#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/README.md) for DURATION seconds each (default 600), one after
# the other, from the committed seeds, and prints per target: runs, exec/s, new inputs and whether
# it found anything. Builds build-fuzz/ (clang, ASan + UBSan) when needed.
# Usage: bench/fuzz.sh [TARGET...]   (default: all)
# DURATION=seconds per target; KEEP_CORPUS=DIR keeps the inputs each run found in DIR/<target>;
# crashing inputs are kept in bench-fuzz-artifacts/<target>/ and make the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-600}
if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Fuzz -DONECHAIN_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
fi
nice cmake --build build-fuzz --parallel "$(nproc)" --target fuzzers >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi
status=0
printf '%-26s %12s %10s %8s  %s\n' target runs exec/s new result
for t in "${targets[@]}"; do
  artifacts="bench-fuzz-artifacts/$t"
  keep=""
  [ -n "${KEEP_CORPUS:-}" ] && keep="$KEEP_CORPUS/$t"
  rm -rf "$artifacts" && mkdir -p "$artifacts"
  line=$(FUZZ_SECONDS="$DURATION" FUZZ_ARTIFACTS="$PWD/$artifacts" FUZZ_KEEP_DIR="$keep" \
    fuzz/run.sh "build-fuzz/fuzz/fuzz_$t" "fuzz/corpus/$t" | head -1) || { status=1; true; }
  # "NAME: RUNS runs in S s, RATE exec/s, NEW new inputs, exit CODE"
  read -r runs rate new code < <(echo "$line" |
    sed -E 's/^[^:]*: ([0-9]+) runs in [0-9]+ s, ([0-9]+) exec\/s, ([0-9]+) new inputs, exit ([0-9]+)$/\1 \2 \3 \4/')
  if [ "${code:-1}" = 0 ]; then result=clean; rmdir "$artifacts" 2>/dev/null || true
  else result="FOUND: see $artifacts"; status=1; fi
  printf '%-26s %12s %10s %8s  %s\n' "$t" "$runs" "$rate" "$new" "$result"
done
exit $status
