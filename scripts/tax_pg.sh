#!/usr/bin/env bash
# A private PostgreSQL for the tax bureau's adapter, on loopback, in a directory of its own:
#   scripts/tax_pg.sh start DIR PORT   initdb (first time), start, create database "tax" with
#                                      adapters/tax/schema.sql; prints the libpq conninfo
#   scripts/tax_pg.sh psql DIR PORT [psql args...]   run psql on it
#   scripts/tax_pg.sh stop DIR         fast shutdown
# PostgreSQL refuses to run as root; as root the server runs as the `postgres` user that
# Debian's package creates.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:?usage: tax_pg.sh start|psql|stop DIR [PORT]}
dir=${2:?data directory}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/pgdata/PG_VERSION" ]; then
      as_owner "$PG_BIN/initdb" -D "$dir/pgdata" -U tax --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$PG_BIN/pg_ctl" -D "$dir/pgdata" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U tax -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'tax'" | grep -q 1; then
      "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U tax tax
    fi
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$port" -U tax -d tax -v ON_ERROR_STOP=1 \
      -f "$ROOT/adapters/tax/schema.sql" >/dev/null
    echo "host=127.0.0.1 port=$port dbname=tax user=tax"
    ;;
  psql)
    port=${3:?port}
    shift 3
    exec "$PG_BIN/psql" -q -h 127.0.0.1 -p "$port" -U tax -d tax -v ON_ERROR_STOP=1 "$@"
    ;;
  stop)
    if [ -f "$dir/pgdata/postmaster.pid" ]; then
      as_owner "$PG_BIN/pg_ctl" -D "$dir/pgdata" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "usage: tax_pg.sh start|psql|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
