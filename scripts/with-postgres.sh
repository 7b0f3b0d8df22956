#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster.
#
#   scripts/with-postgres.sh <command> [args…]
#
# Creates a fresh cluster in a temporary directory, listening on 127.0.0.1 only, on a free port,
# with a database "shanglian"; runs the command with
#   DATABASE_URL=postgres://postgres@127.0.0.1:PORT/shanglian
# exported; then always stops the cluster and removes the directory, and exits with the command's
# exit code. Installs Debian's postgresql when no initdb is found (needs root). As root, the server
# runs as the system user $PG_USER (initdb refuses to run as root), created when missing.
#
# Environment: PG_USER (default shanglian-pg), PG_TMP_PARENT (default /tmp; must be reachable by
# PG_USER), PG_DB (default shanglian), WITH_POSTGRES_KEEP_LOG=1 to print the server log at the end.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 <command> [args…]" >&2
    exit 2
fi

PG_DB="${PG_DB:-shanglian}"
PG_TMP_PARENT="${PG_TMP_PARENT:-/tmp}"

# shellcheck source=scripts/pg-lib.sh
source "$(dirname "$0")/pg-lib.sh"

# --- 1. PostgreSQL binaries, 2. who runs the server -----------------------------------------------
pg_setup

# --- 3. Fresh cluster in a temp dir, always cleaned up --------------------------------------------
tmp="$(mktemp -d "$PG_TMP_PARENT/shanglian-pg.XXXXXX")"
chmod 700 "$tmp"
data="$tmp/data"
sock="$tmp/sock"
started=0

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    set +e
    if [[ $started -eq 1 ]]; then
        local t
        t="$(now)"
        if ! as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            log "fast stop failed; stopping immediately"
            as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w -t 15 stop >/dev/null 2>&1
        fi
        # Belt and braces: nothing of this cluster may survive.
        if [[ -f "$data/postmaster.pid" ]]; then
            local pid
            pid="$(head -n1 "$data/postmaster.pid" 2>/dev/null)"
            if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
                kill -KILL "$pid" 2>/dev/null
            fi
        fi
        log "stopped PostgreSQL in $(since "$t") s"
    fi
    if [[ ${WITH_POSTGRES_KEEP_LOG:-0} == 1 && -f "$tmp/server.log" ]]; then
        log "server log:"
        cat "$tmp/server.log" >&2
    fi
    rm -rf "$tmp"
    exit "$rc"
}
child=""
on_signal() {   # forward to the command, wait for it, then clean up through the EXIT trap
    if [[ -n "$child" ]]; then
        kill -"$1" "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

[[ $EUID -eq 0 ]] && chown "$PG_USER" "$tmp"
as_pg mkdir -p "$sock"

t_start="$(now)"
if ! as_pg "$bindir/initdb" -D "$data" --auth=trust --username=postgres -E UTF8 --locale=C.UTF-8 \
        --no-instructions >"$tmp/initdb.log" 2>&1; then
    cat "$tmp/initdb.log" >&2
    log "initdb failed"
    exit 1
fi
t_initdb="$(since "$t_start")"

# A throw-away cluster: durability off for speed.
for attempt in 1 2 3; do
    port="$(free_port)"
    started=1
    if as_pg "$bindir/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
            start >/dev/null 2>&1; then
        break
    fi
    started=0
    log "start on port $port failed (attempt $attempt)"
    tail -n 20 "$tmp/server.log" >&2 || true
    as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    [[ $attempt -eq 3 ]] && { log "could not start PostgreSQL"; exit 1; }
done

wait_ready "$port" || { log "server not ready"; exit 1; }

"$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$PG_DB"
version="$("$bindir/postgres" --version | awk '{print $3}')"
log "PostgreSQL $version on 127.0.0.1:$port (initdb $t_initdb s, ready in $(since "$t_start") s in all), data in $tmp"

# --- 4. The command ------------------------------------------------------------------------------
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$PG_DB"
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE="$PG_DB"
# In the background (stdin passed on) so that a signal to this script is handled at once.
set +e
"$@" <&0 &
child=$!
wait "$child"
rc=$?
set -e
exit "$rc"
