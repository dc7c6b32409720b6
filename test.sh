#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the whole suite in the normal build,
# then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Prints ctest's summary and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/deps.sh
onechain_install_deps

jobs=$(nproc)
status=0

echo "== build (RelWithDebInfo) =="
onechain_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
onechain_build_web
echo "== tests =="
ctest --test-dir build --output-on-failure --parallel "$jobs" || status=1

echo "== build (AddressSanitizer + UBSan) =="
onechain_build build-asan -DCMAKE_BUILD_TYPE=Debug -DONECHAIN_SANITIZE=ON
echo "== unit tests under sanitizers =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure --parallel "$jobs" -L unit || status=1

echo "== fuzz targets, briefly (fuzz/README.md) =="
[ -f build-fuzz/build.ninja ] || cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
  -DONECHAIN_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build build-fuzz --parallel "$jobs" --target fuzzers
ctest --test-dir build-fuzz --output-on-failure --parallel "$jobs" -L fuzz || status=1

exit $status
