#!/usr/bin/env bash
# `onechain node --config FILE` end to end: a bad file stops the node before it touches anything,
# with the file, line and key named; every key is applied (web-dir among them); a flag given on
# the command line overrides the file's value.
#
# usage: tests/node_config_cli_test.sh ONECHAIN_BINARY
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"

bin=$(readlink -f "${1:?usage: node_config_cli_test.sh ONECHAIN_BINARY}")
work=$(mktemp -d /tmp/onechain-nodeconfig.XXXXXX)
pid=""
trap cleanup_node_test EXIT

"$bin" genesis new --out "$work/net" >/dev/null
base="genesis = \"$work/net/genesis.json\"
key = \"$work/net/keys/validator-0.pem\"
data-dir = \"$work/data\""

# expect_refused TEXT EXPECTED: the node refuses a file with TEXT after the base keys, exits 1,
# says EXPECTED, and creates no data directory.
expect_refused() {
  printf '%s\n%s\n' "$base" "$1" >"$work/bad.toml"
  local rc=0
  "$bin" node --config "$work/bad.toml" >"$work/out" 2>&1 || rc=$?
  [ "$rc" -eq 1 ] || fail "exit $rc for: $1"
  grep -qF -- "$2" "$work/out" || fail "for '$1' expected '$2', got: $(cat "$work/out")"
  [ ! -e "$work/data" ] || fail "a refused config created the data directory"
  echo "refused: $(cat "$work/out")"
}
expect_refused 'listen-addr = "127.0.0.1:1"' "bad.toml:4: unknown key 'listen-addr'"
expect_refused 'listen = 8080' "bad.toml:4: 'listen' must be a quoted string (found a TOML integer)"
expect_refused 'log-level = "loud"' "bad.toml:4: 'log-level' must be trace"
expect_refused '[node]' "bad.toml:4: unknown key 'node'"
expect_refused 'peer-listen = "nohost"' "bad.toml:4: 'peer-listen' must be host:port"
# web-dir from the file is applied: a directory without index.html is refused by the node.
expect_refused "web-dir = \"$work\"" "--web-dir $work holds no index.html"

# A good file, with the API port overridden by a flag.
file_port=$(free_port)
taken=$file_port
flag_port=$(free_port)
printf '%s\nlisten = "127.0.0.1:%s"\nlog-format = "json"\n' "$base" "$file_port" >"$work/node.toml"
"$bin" node --config "$work/node.toml" --listen "127.0.0.1:$flag_port" >"$work/node.log" 2>&1 &
pid=$!
wait_api "http://127.0.0.1:$flag_port" "$pid"
curl -sf "http://127.0.0.1:$file_port/v1/health" >/dev/null && fail "the file's port answers too"
head -n 1 "$work/node.log" | grep -q '^{"time":' || fail "log-format = \"json\" not applied"
[ -d "$work/data" ] || fail "data-dir from the file not used"
echo "flag --listen overrides the file's listen; log-format and data-dir come from the file"
echo "PASS"
