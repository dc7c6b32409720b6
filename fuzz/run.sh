#!/usr/bin/env bash
# fuzz/run.sh TARGET CORPUS_DIR: runs a libFuzzer target for FUZZ_SECONDS (default 20) from the
# committed seeds, without writing to CORPUS_DIR (new inputs go to a temporary directory, kept in
# FUZZ_KEEP_DIR when that is set). Prints libFuzzer's final figures; exits non-zero on a crash,
# leak, timeout or sanitizer report, leaving the input in FUZZ_ARTIFACTS (default: a temp dir).
set -euo pipefail
target="$1"
corpus="$2"
seconds="${FUZZ_SECONDS:-20}"
[ -n "$seconds" ] || seconds=20
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
artifacts="${FUZZ_ARTIFACTS:-$work/artifacts}"
mkdir -p "$work/corpus" "$artifacts"
name="$(basename "$target")"
set +e
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$work/corpus" "$corpus" >"$work/log" 2>&1
status=$?
set -e
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
new=$(find "$work/corpus" -type f | wc -l)
echo "$name: ${execs:-0} runs in ${seconds} s, ${rate:-0} exec/s, $new new inputs, exit $status"
if [ -n "${FUZZ_KEEP_DIR:-}" ]; then
  mkdir -p "$FUZZ_KEEP_DIR" && cp -n "$work/corpus"/* "$FUZZ_KEEP_DIR"/ 2>/dev/null || true
fi
if [ $status -ne 0 ]; then
  grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$work/log" | head -20 || true
  tail -60 "$work/log"
  if [ -z "${FUZZ_ARTIFACTS:-}" ]; then
    keep="$(mktemp -d /tmp/fuzz-artifacts.XXXXXX)"
    cp -r "$artifacts"/. "$keep"/
    echo "crashing inputs kept in $keep"
  fi
  exit 1
fi
