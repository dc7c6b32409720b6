#!/usr/bin/env bash
# Installs what is missing, builds, and starts the platform on http://127.0.0.1:8080: a
# network of four validators (`onechain net up`; ONECHAIN_VALIDATORS=1: a single validator node)
# with embedded RocksDB storage and the REST API, seeded with demo accounts for every role. Runs
# until Ctrl-C. State lives in ./data/net (./data/demo for one validator; delete it to start over).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/deps.sh
onechain_install_deps
onechain_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
onechain_build_web

bin=./build/src/cli/onechain
net=data/demo
api=http://127.0.0.1:8080

# By default four validators, one per organization (court, tax bureau, market regulator,
# administrators' association), as separate processes on loopback with TLS between them
# (`onechain net up`, state in data/net); the court's validator serves the API and the web console
# on 8080, the others on 8081-8083. ONECHAIN_VALIDATORS=1 ./run.sh runs a single validator with its
# state in data/demo instead; 5 to 7 run that many validators.
validators="${ONECHAIN_VALIDATORS:-4}"
# Ctrl-C (or any exit) stops what this script started; cleanup() grows as more starts.
stop_nodes() { :; }
cleanup() { trap - EXIT; stop_nodes; }
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ "$validators" -gt 1 ]; then
  net=data/net
  stop_nodes() { "$bin" net down --dir "$net" || true; }
  "$bin" net up -n "$validators" --dir "$net" --chain-id onechain-demo --day-ms 1000 \
    --api-port 8080 --web-dir web/dist
  node_alive() { curl -sf "$api/v1/health" >/dev/null; }
else
if [ ! -f "$net/genesis.json" ]; then
  mkdir -p "$net"
  "$bin" genesis new --out "$net" --chain-id onechain-demo --day-ms 1000 >/dev/null
  echo "Created a demo network in $net (keys in $net/keys)"
fi

"$bin" node --genesis "$net/genesis.json" --key "$net/keys/validator-0.pem" \
  --data-dir "$net/data" --listen 127.0.0.1:8080 --web-dir web/dist &
node_pid=$!
stop_nodes() { kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null || true; }
node_alive() { kill -0 "$node_pid" 2>/dev/null; }
fi

for _ in $(seq 1 100); do
  curl -sf "$api/v1/health" >/dev/null && break
  node_alive || { echo "the node did not start" >&2; exit 1; }
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
  # The court puts a firm on its roster.
  "$bin" keys new --out "$k/firm-admin.pem" >/dev/null
  "$bin" tx send add-roster-firm --key "$k/judge.pem" --firm zhonglun --name "Zhonglun LLP" \
    --admin-public-key-from "$k/firm-admin.pem" --admin-name "Partner Chen" --node "$api" >/dev/null
  touch "$net/seeded"
  echo "Seeded demo accounts (judge, clerk, tax-officer, administrator, creditor)"
fi

# The living demo case, once: `onechain demo load` drives a liquidation case with about 50
# creditors (the tax bureau among them) through every step of the workflow, each act signed by its
# role's key (keys in data/demo/keys/demo). The demo network's statutory day lasts one second of
# block time (genesis new --day-ms 1000), so the 30-day claim period and the 15-day objection
# windows pass in about a minute. Real networks keep real days.
if [ ! -f "$net/demo-loaded" ]; then
  "$bin" demo load --network "$net" --node "$api" --case-id-out "$net/case-id"
  touch "$net/demo-loaded"
fi

# The tax bureau's adapter (adapters/README.md): a private PostgreSQL on loopback (port
# TAX_PG_PORT, 5433) holding a demo tax database, and the adapter answering the bureau's notices
# with the demo tax officer's key. List the bureau in the demo case (kind department, org "tax")
# and send it a claim notice: the adapter declares the debtor's taxes by itself.
taxdb="${TMPDIR:-/tmp}/onechain-demo-taxdb-$(id -u)"
mkdir -p "$taxdb" && chmod 755 "$taxdb"
taxdb_conninfo=$(scripts/tax_pg.sh start "$taxdb/pg" "${TAX_PG_PORT:-5433}")
scripts/tax_pg.sh psql "$taxdb/pg" "${TAX_PG_PORT:-5433}" -f adapters/tax/demo_seed.sql
./build/adapters/onechain-tax-adapter run --node "$api" --key "$net/keys/tax-officer.pem" \
  --state-dir "$net/tax-adapter" --db "$taxdb_conninfo" >"$net/tax-adapter.log" 2>&1 &
helper_pids=("$!")  # the processes beside the nodes: adapters, the reporter
cleanup() {
  trap - EXIT
  kill "${helper_pids[@]}" 2>/dev/null; wait "${helper_pids[@]}" 2>/dev/null || true
  stop_nodes
  scripts/tax_pg.sh stop "$taxdb/pg" || true
}
echo "Tax adapter running (log: $net/tax-adapter.log), tax database: $taxdb_conninfo"

# The social insurance fund's adapter (adapters/README.md): database "social" in the same
# PostgreSQL cluster, a demo officer of organization "social" (networks made before that
# organization existed have no social-admin key: no social adapter there).
if [ -f "$net/keys/social-admin.pem" ]; then
  if [ ! -f "$net/keys/social-officer.pem" ]; then
    "$bin" keys new --out "$net/keys/social-officer.pem" >/dev/null
    "$bin" tx send register-account --key "$net/keys/social-admin.pem" \
      --public-key-from "$net/keys/social-officer.pem" --role department-officer \
      --name "Officer Sun, social insurance fund" --node "$api" >/dev/null
  fi
  socialdb_conninfo=$(scripts/social_pg.sh create "$taxdb/pg" "${TAX_PG_PORT:-5433}")
  scripts/social_pg.sh psql "$taxdb/pg" "${TAX_PG_PORT:-5433}" -f adapters/social/demo_seed.sql
  ./build/adapters/onechain-social-adapter --node "$api" --key "$net/keys/social-officer.pem" \
    --state-dir "$net/social-adapter" --db "$socialdb_conninfo" >"$net/social-adapter.log" 2>&1 &
  helper_pids+=("$!")
  echo "Social insurance adapter running (log: $net/social-adapter.log)"
fi

# The reporting database (reporting/README.md): database "report" in the same PostgreSQL, filled
# block by block by onechain-report, which reads claims as the demo clerk of the court.
pgsql() { scripts/tax_pg.sh psql "$taxdb/pg" "${TAX_PG_PORT:-5433}" "$@"; }
pgsql -tAc "SELECT 1 FROM pg_database WHERE datname = 'report'" | grep -q 1 ||
  pgsql -c "CREATE DATABASE report"
report_conninfo=${taxdb_conninfo/dbname=tax/dbname=report}
./build/reporting/onechain-report --node "$api" --key "$net/keys/clerk.pem" \
  --db "$report_conninfo" >"$net/report.log" 2>&1 &
helper_pids+=("$!")
echo "Reporter running (log: $net/report.log), reporting database: $report_conninfo"

echo
echo "OneChain is running: API on $api (try: curl $api/v1/health)"
echo "Web console and public portal: $api/ (import $net/keys/judge.pem under My key)"
echo "Demo case: curl $api/v1/cases/$(cat "$net/case-id")"
echo "Keys for every demo role: $net/keys/*.pem. Ctrl-C stops the node."
[ "$validators" -gt 1 ] && echo "Validators: $bin net status --dir $net"
# Until Ctrl-C, or until the court's node stops answering.
while node_alive; do sleep 2 & wait $! || true; done
