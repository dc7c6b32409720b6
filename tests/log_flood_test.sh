#!/usr/bin/env bash
# What an outsider sends cannot fill the node's log: 400 bad REST requests (malformed, mis-signed,
# oversized, unknown routes) write no log line at all, and 300 connections to the peer port that
# are not TLS from a validator write at most the peer links' rate limit (20 lines per 10 s, the
# last saying how many similar ones it suppressed).
#
# usage: tests/log_flood_test.sh ONECHAIN_BINARY
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"

bin=$(readlink -f "${1:?usage: log_flood_test.sh ONECHAIN_BINARY}")
work=$(mktemp -d /tmp/onechain-logflood.XXXXXX)
pid=""
trap cleanup_node_test EXIT

api_port=$(free_port)
taken=$api_port
peer_port=$(free_port)
# Four validators: this node opens its peer port; the other three never run.
"$bin" genesis new --out "$work/net" --validators 4 \
  --peer-addresses "127.0.0.1:$peer_port,127.0.0.1:1,127.0.0.1:1,127.0.0.1:1" >/dev/null
"$bin" node --genesis "$work/net/genesis.json" --key "$work/net/keys/validator-0.pem" \
  --data-dir "$work/data" --listen "127.0.0.1:$api_port" --log-format json \
  >"$work/node.log" 2>&1 &
pid=$!
api="http://127.0.0.1:$api_port"
wait_api "$api" "$pid"
sleep 1  # let the start-up lines be written

# The REST flood. Each curl call sends many requests on one connection; prints one status a line.
# many N URL: N times "-o /dev/null URL".
many() { local k; for k in $(seq "$1"); do printf '%s\n' -o /dev/null "$2"; done; }
before=$(wc -l <"$work/node.log")
{
  mapfile -t args < <(for i in $(seq 100); do printf '%s\n' -o /dev/null "$api/v1/tx/$i" \
    -o /dev/null "$api/v1/nope/$i"; done)
  curl -s -w '%{http_code}\n' "${args[@]}"
  mapfile -t args < <(many 150 "$api/v1/tx")
  curl -s -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
    --data '{"body": "not base64", "signature": 7' "${args[@]:0:300}"   # 100
  curl -s -w '%{http_code}\n' -X POST -H 'Content-Type: application/x-protobuf' \
    --data-binary "@$bin" "${args[@]:0:60}"   # 20: the binary itself, far over 128 KiB
  curl -s -w '%{http_code}\n' -X POST -H 'Content-Type: application/x-protobuf' \
    --data-binary 'garbage' "${args[@]:0:120}"   # 40
  mapfile -t args < <(many 40 "$api/v1/me")
  curl -s -w '%{http_code}\n' \
    -H 'Signature-Input: sig1=("@method");created=1;nonce="n";keyid="00";alg="ed25519"' \
    -H 'Signature: sig1=:AAAA:' -H 'Content-Digest: sha-256=:AAAA:' "${args[@]}"
} >"$work/codes"
codes=$(sort "$work/codes" | uniq -c | tr -s ' ' | tr '\n' ',')
echo "REST answers (count status): $codes"
[ "$(wc -l <"$work/codes")" -eq 400 ] || fail "$(wc -l <"$work/codes") answers to 400 requests"
grep -q '^[45][0-9][0-9]$' "$work/codes" || fail "no 4xx answers"
grep -qv '^4[0-9][0-9]$' "$work/codes" && fail "a bad request got an answer other than 4xx"
grep -q ' 5[0-9][0-9]' <<<"$codes" && fail "a bad request got a 5xx"
after=$(wc -l <"$work/node.log")
[ "$after" -eq "$before" ] || { sed -n "$((before + 1)),\$p" "$work/node.log"; fail "REST flood wrote $((after - before)) log lines"; }
echo "REST flood: 400 requests, 0 log lines"

# The peer-port flood: plain text, not TLS.
before=$(wc -l <"$work/node.log")
start=$SECONDS
for i in $(seq 300); do
  (exec 3<>"/dev/tcp/127.0.0.1/$peer_port" && printf 'GET / HTTP/1.0\r\n\r\n' >&3) 2>/dev/null || true
done
sleep 1
elapsed=$((SECONDS - start + 1))
lines=$(sed -n "$((before + 1)),\$p" "$work/node.log" | grep -c '"msg":"net: ' || true)
windows=$(((elapsed + 9) / 10))
echo "peer flood: 300 connections in ${elapsed} s, $lines log lines (limit 20 per 10 s window)"
[ "$lines" -ge 1 ] || fail "the refused links were not logged at all"
[ "$lines" -le $((20 * (windows + 1))) ] || fail "$lines lines for 300 bad connections"
curl -sf "$api/v1/health" >/dev/null || fail "the node stopped answering"
# After the window, the next refusal says how many were suppressed.
sleep 10
(exec 3<>"/dev/tcp/127.0.0.1/$peer_port" && printf 'junk' >&3) 2>/dev/null || true
sleep 1
grep -q 'similar messages suppressed' "$work/node.log" || fail "no line counts the suppressed ones"
grep 'similar messages suppressed' "$work/node.log" | tail -n 1
echo "PASS"
