#!/usr/bin/env bash
# Four validators on four hosts, as deploy/README.md sets them up, on one machine: each node runs
# in its own network namespace with its own address (10.77.0.1-4), joined by veth pairs to a
# bridge inside a fifth namespace that acts as the switch, started from a config file
# (docs/configuration.md). Transactions are committed; then one validator is cut off (its switch
# port set down), the other three keep committing, the link comes back, and all four must reach
# the same height with the same block hash and state root.
#
# usage: tests/netns_test.sh ONECHAIN_BINARY      (as root; exits 77, "skipped", otherwise)
set -euo pipefail

bin=${1:?usage: netns_test.sh ONECHAIN_BINARY}
bin=$(readlink -f "$bin")
skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root for ip netns (run as root, e.g. by ./test.sh in CI)"
command -v ip >/dev/null || skip "no ip command (Debian package iproute2)"
command -v curl >/dev/null || skip "no curl"
command -v jq >/dev/null || skip "no jq"

n=4
tag="oc$$"                      # namespaces of this run: oc<pid>-sw, oc<pid>-n1..n4
sw="$tag-sw"
work=$(mktemp -d /tmp/onechain-netns.XXXXXX)
pids=()
start_s=$SECONDS

log() { echo "[netns $((SECONDS - start_s))s] $*"; }

cleanup() {
  local rc=$?
  set +e
  # The nodes, and anything else still running in this run's namespaces.
  for i in $(seq $n); do pids+=($(ip netns pids "$tag-n$i" 2>/dev/null)); done
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
    for i in $(seq $n); do
      echo "---- node $i log (tail) ----"; tail -n 20 "$work/node-$i.log" 2>/dev/null
    done
  fi
  for i in $(seq $n); do ip netns del "$tag-n$i" 2>/dev/null; done
  ip netns del "$sw" 2>/dev/null
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$sw" 2>/dev/null || skip "ip netns add failed (no network namespaces here)"
ip netns exec "$sw" true 2>/dev/null || skip "ip netns exec failed (cannot enter a namespace here)"
ip -n "$sw" link add br0 type bridge 2>/dev/null || skip "no bridge device in a namespace here"
ip -n "$sw" link set br0 up
for i in $(seq $n); do
  ns="$tag-n$i"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  # eth0 in the node's namespace, p$i its port on the switch's bridge.
  # Made inside the two namespaces at once: nothing of this run ever sits in the host's own.
  ip link add eth0 netns "$ns" type veth peer name "p$i" netns "$sw" 2>/dev/null ||
    skip "no veth pairs here (kernel module veth)"
  ip -n "$sw" link set "p$i" master br0 up
  ip -n "$ns" addr add "10.77.0.$i/24" dev eth0
  ip -n "$ns" link set eth0 up
done
log "namespaces and switch up"

in_ns() { local i=$1; shift; ip netns exec "$tag-n$i" "$@"; }
api() { echo "http://10.77.0.$1:8080"; }
# get I PATH: GET on node I's API from inside its namespace.
get() { in_ns "$1" curl -sf --max-time 5 "$(api "$1")$2"; }
height() { get "$1" /v1/health 2>/dev/null | jq -r '.height // 0' 2>/dev/null || echo 0; }

# As deploy/README.md: each organization makes its own keys and sends only the public keys; one
# of them makes the genesis from those and the validators' addresses.
mkdir -p "$work/keys"
pub() { "$bin" keys new --out "$work/keys/$1.pem" --json | jq -r .publicKey; }
admins=$(for org in court tax market association social; do pub "$org-admin"; done | paste -sd,)
validators=$(for i in $(seq $n); do pub "validator-$i"; done | paste -sd,)
peers=$(for i in $(seq $n); do echo "10.77.0.$i:26600"; done | paste -sd,)
"$bin" genesis new --out "$work/net" --validators $n --peer-addresses "$peers" \
  --admin-public-keys "$admins" --validator-public-keys "$validators" --chain-id netns-test >/dev/null
for i in $(seq $n); do
  # As deploy/systemd/node.toml: listening on every interface of the host.
  cat >"$work/node-$i.toml" <<TOML
genesis = "$work/net/genesis.json"
key = "$work/keys/validator-$i.pem"
data-dir = "$work/node-$i"
listen = "0.0.0.0:8080"
peer-listen = "0.0.0.0:26600"
log-level = "info"
log-format = "json"
TOML
  ip netns exec "$tag-n$i" "$bin" node --config "$work/node-$i.toml" >"$work/node-$i.log" 2>&1 &
  pids+=($!)
done

# wait_until SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}
all_at_least() { local h=$1; shift; for i in "$@"; do [ "$(height "$i")" -ge "$h" ] || return 1; done; }
wait_until 30 all_at_least 1 1 2 3 4 || { log "FAIL: the four validators did not commit a first block"; exit 1; }
log "four validators committing, heights: $(for i in $(seq $n); do printf '%s ' "$(height "$i")"; done)"

# send I NAME REACHABLE...: a transaction submitted to node I (the court's admin registers a
# clerk), waited for until committed there and until the reachable nodes have that block too (the
# next one may go to another node, which must know the signer's nonce).
send() {
  local i=$1 name=$2; shift 2
  "$bin" keys new --out "$work/$name.pem" >/dev/null
  in_ns "$i" "$bin" tx send register-account --node "$(api "$i")" \
    --key "$work/keys/court-admin.pem" --public-key-from "$work/$name.pem" \
    --role clerk --name "$name" >/dev/null
  wait_until 20 all_at_least "$(height "$i")" "$@" || { log "FAIL: block of $name not everywhere"; exit 1; }
}
for k in 1 2 3 4; do send "$k" "before-$k" 1 2 3 4; done
log "4 transactions committed, one through each validator"

# Partition: node 4's switch port goes down; it hears nobody and nobody hears it.
ip -n "$sw" link set p4 down
cut_height=$(height 4)
log "node 4 cut off at height $cut_height"
cut_s=$SECONDS
for k in 1 2 3; do send "$k" "during-$k" 1 2 3; done
h_three=$(height 1)
sleep 1
h4=$(height 4)
log "during the partition: nodes 1-3 at height $h_three with 3 more transactions in $((SECONDS - cut_s)) s, node 4 at $h4"
[ "$h_three" -gt "$cut_height" ] || { log "FAIL: the three did not commit while node 4 was cut off"; exit 1; }
[ "$h4" -lt "$h_three" ] || { log "FAIL: node 4 advanced while cut off"; exit 1; }

# Heal, and one more transaction through the node that was cut off.
ip -n "$sw" link set p4 up
heal_s=$SECONDS
log "link of node 4 up again"
wait_until 60 all_at_least "$h_three" 4 || { log "FAIL: node 4 did not catch up"; exit 1; }
log "node 4 caught up to height $h_three in $((SECONDS - heal_s)) s"
send 4 "after-heal" 1 2 3 4
target=$(height 1)
wait_until 30 all_at_least "$target" 1 2 3 4 || { log "FAIL: not all at height $target"; exit 1; }

# Convergence: every validator has the same block hash and state root at every height to target.
for h in $(seq 1 "$target"); do
  ref=""
  for i in $(seq $n); do
    view=$(get "$i" "/v1/blocks/$h" | jq -c '[.hash, .header.stateRoot]')
    [ -n "$ref" ] || ref=$view
    [ "$view" = "$ref" ] || { log "FAIL: height $h: node $i has $view, node 1 $ref"; exit 1; }
  done
done
log "all four converged: same block hash and state root at heights 1-$target ($(jq -r '.[1]' <<<"$ref"))"
# The operator's health checks of deploy/README.md: /metrics with the peers and RocksDB figures.
for i in $(seq $n); do
  metrics=$(get "$i" /metrics)
  up=$(grep -c '^onechain_peer_connected{.*} 1' <<<"$metrics" || true)
  [ "$up" -eq $((n - 1)) ] || { log "FAIL: node $i sees $up of $((n - 1)) peers"; exit 1; }
  grep -q '^onechain_rocksdb_sst_bytes ' <<<"$metrics" || { log "FAIL: node $i: no RocksDB figures"; exit 1; }
done
log "every node reports its $((n - 1)) peers connected and its RocksDB figures on /metrics"
log "PASS in $((SECONDS - start_s)) s"
