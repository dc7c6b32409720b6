#!/usr/bin/env bash
# Installs what is missing, builds, and starts the platform on http://127.0.0.1:8080: a
# validator node with embedded RocksDB storage and the REST API, seeded with demo accounts for
# every role. Runs until Ctrl-C. State lives in ./data/demo (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/deps.sh
onechain_install_deps
onechain_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo

bin=./build/src/cli/onechain
net=data/demo
api=http://127.0.0.1:8080

# BFT network: ONECHAIN_VALIDATORS=4 ./run.sh starts 4 validators in data/bft (APIs on
# 127.0.0.1:8080-8083, peer links on 26600-26603) instead of the single-validator demo.
if [ "${ONECHAIN_VALIDATORS:-1}" -gt 1 ]; then
  bnet=data/bft
  n="$ONECHAIN_VALIDATORS"
  [ -f "$bnet/genesis.json" ] || "$bin" genesis new --out "$bnet" --chain-id onechain-bft \
    --validators "$n" >/dev/null
  pids=()
  for i in $(seq 0 $((n - 1))); do
    "$bin" node --genesis "$bnet/genesis.json" --key "$bnet/keys/validator-$i.pem" \
      --data-dir "$bnet/data-$i" --listen "127.0.0.1:$((8080 + i))" >"$bnet/node-$i.log" 2>&1 &
    pids+=("$!")
  done
  trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true' EXIT INT TERM
  echo "$n validators: APIs on 127.0.0.1:8080-$((8079 + n)), logs in $bnet; GET /v1/consensus"
  wait
  exit 0
fi

if [ ! -f "$net/genesis.json" ]; then
  mkdir -p "$net"
  "$bin" genesis new --out "$net" --chain-id onechain-demo >/dev/null
  echo "Created a demo network in $net (keys in $net/keys)"
fi

"$bin" node --genesis "$net/genesis.json" --key "$net/keys/validator-0.pem" \
  --data-dir "$net/data" --listen 127.0.0.1:8080 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 100); do
  curl -sf "$api/v1/health" >/dev/null && break
  kill -0 "$node_pid" 2>/dev/null || { echo "the node did not start" >&2; exit 1; }
  sleep 0.1
done

# Demo accounts, once: a judge and a clerk of the court, a tax officer, an administrator, and a
# self-registered creditor. Their keys sit in data/demo/keys.
if [ ! -f "$net/seeded" ]; then
  k="$net/keys"
  member() {  # member ADMIN_KEY NEW_KEY ROLE NAME
    "$bin" keys new --out "$k/$2.pem" >/dev/null
    "$bin" tx send register-account --key "$k/$1-admin.pem" --public-key-from "$k/$2.pem" \
      --role "$3" --name "$4" --node "$api" >/dev/null
  }
  member court judge judge "Judge Wang (bankruptcy tribunal)"
  member court clerk clerk "Clerk Li"
  member tax tax-officer department-officer "Officer Zhao, tax bureau"
  member association administrator administrator-member "Administrator Chen, Zhonglun LLP"
  "$bin" keys new --out "$k/creditor.pem" >/dev/null
  "$bin" tx send self-register --key "$k/creditor.pem" --name "Shenzhen Supply Co., Ltd." \
    --kind firm --id-number 914403001922038216 --node "$api" >/dev/null
  # The demo case: the court puts a firm on its roster, accepts a liquidation case, appoints the
  # firm and sets the claim period (45 days) and the first meeting (10 days after it).
  "$bin" keys new --out "$k/firm-admin.pem" >/dev/null
  "$bin" tx send add-roster-firm --key "$k/judge.pem" --firm zhonglun --name "Zhonglun LLP" \
    --admin-public-key-from "$k/firm-admin.pem" --admin-name "Partner Chen" --node "$api" >/dev/null
  case_id=$("$bin" tx send accept-case --key "$k/judge.pem" --case-number "(2026)粤03破1号" \
    --debtor "Shenzhen Example Manufacturing Co., Ltd." --credit-code 91440300MA5F8XGL06 \
    --procedure liquidation --acceptance-date "$(TZ=Asia/Shanghai date +%Y-%m-%d)" \
    --node "$api" --json | sed -n 's/.*"recordId":"\([0-9a-f]*\)".*/\1/p')
  "$bin" tx send appoint-administrator --key "$k/judge.pem" --case "$case_id" --firm zhonglun \
    --node "$api" >/dev/null
  "$bin" tx send set-claim-period --key "$k/judge.pem" --case "$case_id" \
    --claim-period-end "$(TZ=Asia/Shanghai date -d '+45 days' +%Y-%m-%dT17:00)" \
    --first-meeting "$(TZ=Asia/Shanghai date -d '+55 days' +%Y-%m-%dT09:30)" \
    --node "$api" >/dev/null
  echo "$case_id" > "$net/case-id"
  touch "$net/seeded"
  echo "Seeded demo accounts (judge, clerk, tax-officer, administrator, creditor) and case $case_id"
fi

echo
echo "OneChain is running: API on $api (try: curl $api/v1/health)"
echo "Demo case: curl $api/v1/cases/$(cat "$net/case-id")"
echo "Keys for every demo role: $net/keys/*.pem. Ctrl-C stops the node."
wait "$node_pid"
