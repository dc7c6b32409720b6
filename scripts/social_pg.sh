#!/usr/bin/env bash
# The social insurance fund's database "social" in the PostgreSQL cluster that scripts/tax_pg.sh
# runs (one cluster, one database per department):
#   scripts/social_pg.sh create DIR PORT   create database "social" (first time) with
#                                          adapters/social/schema.sql; prints the libpq conninfo
#   scripts/social_pg.sh psql DIR PORT [psql args...]   run psql on it
# Start and stop the cluster with scripts/tax_pg.sh start|stop DIR PORT.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:?usage: social_pg.sh create|psql DIR PORT}
port=${3:?port}

case "$cmd" in
  create)
    if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U tax -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'social'" | grep -q 1; then
      "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U tax social
    fi
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$port" -U tax -d social -v ON_ERROR_STOP=1 \
      -f "$ROOT/adapters/social/schema.sql" >/dev/null
    echo "host=127.0.0.1 port=$port dbname=social user=tax"
    ;;
  psql)
    shift 3
    exec "$PG_BIN/psql" -q -h 127.0.0.1 -p "$port" -U tax -d social -v ON_ERROR_STOP=1 "$@"
    ;;
  *)
    echo "usage: social_pg.sh create|psql DIR PORT" >&2
    exit 2
    ;;
esac
