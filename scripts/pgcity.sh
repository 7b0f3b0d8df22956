#!/usr/bin/env bash
# A persistent PostgreSQL cluster for the city-scale benchmark (issue 19), kept between runs.
#
#   scripts/pgcity.sh start          create the cluster when missing (initdb), start it; prints the server URL
#   scripts/pgcity.sh stop           stop it (the data stays)
#   scripts/pgcity.sh status         running or not, its databases and their sizes
#   scripts/pgcity.sh url [DB]       the DATABASE_URL of database DB (default: city)
#   scripts/pgcity.sh psql [DB] …    psql on database DB (default: city)
#   scripts/pgcity.sh destroy        stop it and remove its directory
#
# The cluster lives in $PGCITY_DIR (default /tmp/pgcity: data/, sock/, server.log), listens on 127.0.0.1
# only, port $PGCITY_PORT (default 55432), trust authentication for the superuser postgres (loopback only).
# Durability is off (fsync, full_page_writes, synchronous_commit): it holds copies for benchmarks, which
# bench/load_city_pg.py makes again after a crash. Binaries and the server's user as scripts/with-postgres.sh
# (scripts/pg-lib.sh).
set -euo pipefail

PGCITY_DIR="${PGCITY_DIR:-/tmp/pgcity}"
PGCITY_PORT="${PGCITY_PORT:-55432}"
data="$PGCITY_DIR/data"
sock="$PGCITY_DIR/sock"

# shellcheck source=scripts/pg-lib.sh
source "$(dirname "$0")/pg-lib.sh"

url() { echo "postgres://postgres@127.0.0.1:$PGCITY_PORT/${1:-city}"; }

running() { [[ -f "$data/postmaster.pid" ]] && as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

# Settings for reading a city: the planner's defaults except memory (a 2-core machine with ~20 GB shared by
# other work: 1 GB of buffers; larger sorts in memory), and bulk-load friendly WAL.
SETTINGS=(-c listen_addresses=127.0.0.1 -c "port=$PGCITY_PORT" -c "unix_socket_directories=$sock"
          -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=50
          -c shared_buffers=1GB -c work_mem=16MB -c maintenance_work_mem=512MB -c effective_cache_size=8GB
          -c max_wal_size=8GB -c checkpoint_timeout=30min)

start() {
    if [[ ! -f "$data/PG_VERSION" ]]; then
        mkdir -p "$PGCITY_DIR"
        chmod 700 "$PGCITY_DIR"
        [[ $EUID -eq 0 ]] && chown "$PG_USER" "$PGCITY_DIR"
        as_pg "$bindir/initdb" -D "$data" --auth=trust --username=postgres -E UTF8 --locale=C.UTF-8 \
            --no-instructions >"$PGCITY_DIR/initdb.log" 2>&1 || { cat "$PGCITY_DIR/initdb.log" >&2; exit 1; }
        log "created the cluster in $data"
    fi
    as_pg mkdir -p "$sock"
    if running; then
        log "already running"
    else
        as_pg "$bindir/pg_ctl" -D "$data" -l "$PGCITY_DIR/server.log" -w -t 120 -o "${SETTINGS[*]}" start >/dev/null \
            || { tail -n 20 "$PGCITY_DIR/server.log" >&2; exit 1; }
        wait_ready "$PGCITY_PORT" || { log "server not ready"; exit 1; }
        log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGCITY_PORT, data in $data"
    fi
    url postgres
}

pg_setup
case "${1:-}" in
    start) start ;;
    stop)
        if running; then
            as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
            log "stopped"
        else
            log "not running"
        fi ;;
    status)
        if running; then
            log "running on 127.0.0.1:$PGCITY_PORT, data in $data"
            "$bindir/psql" -h 127.0.0.1 -p "$PGCITY_PORT" -U postgres -d postgres -X -A -F ' ' -t -c \
                "SELECT datname, pg_size_pretty(pg_database_size(datname)) FROM pg_database WHERE NOT datistemplate"
        else
            log "not running (data in $data: $([[ -f $data/PG_VERSION ]] && echo present || echo none))"
            exit 3
        fi ;;
    url) url "${2:-}" ;;
    psql)
        shift
        db="${1:-city}"
        shift || true
        exec "$bindir/psql" -h 127.0.0.1 -p "$PGCITY_PORT" -U postgres -d "$db" "$@" ;;
    destroy)
        running && as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
        rm -rf "$PGCITY_DIR"
        log "removed $PGCITY_DIR" ;;
    *)
        sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2 ;;
esac
