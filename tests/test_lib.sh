# Shared by the shell tests under tests/ (source it): small helpers for a node on loopback.

fail() { echo "FAIL: $*"; exit 1; }

# free_port: a random port below the kernel's ephemeral range that no socket uses (any state).
# A port in $taken is skipped (the caller's previous pick).
free_port() {
  local low p
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
  for p in $(shuf -i 10000-$((low - 1)) -n 50); do
    [ -z "$(ss -Htan "( sport = :$p )")" ] && [ "$p" != "${taken:-}" ] && { echo "$p"; return; }
  done
  return 1
}

# wait_api URL PID: waits up to 30 s until URL/v1/health answers; fails if PID exits first.
wait_api() {
  for _ in $(seq 150); do
    curl -sf "$1/v1/health" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || fail "the node exited"
    sleep 0.2
  done
  fail "the node did not answer at $1"
}

# cleanup_node_test: the EXIT trap of a test with one node process ($pid, if set) and a scratch
# directory ($work): stops the node, prints its log's tail ($work/node.log) on failure, removes
# the directory, keeps the exit status.
cleanup_node_test() {
  local rc=$?
  set +e
  if [ -n "${pid:-}" ]; then kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  [ "$rc" -eq 0 ] || { echo "---- node log (tail) ----"; tail -n 30 "$work/node.log" 2>/dev/null; }
  rm -rf "$work"
  exit "$rc"
}
