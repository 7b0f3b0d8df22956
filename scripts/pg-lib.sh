# Shared by scripts/with-postgres.sh and scripts/pgcity.sh (sourced, not run): PostgreSQL's binaries
# (Debian's package installed when missing, as root) and the user the server runs as.
#
# After `pg_setup`: $bindir holds initdb, pg_ctl, postgres…; `as_pg <command>` runs a command as the
# server's user (the system user $PG_USER when root: initdb refuses to run as root, created when missing).

PG_USER="${PG_USER:-shanglian-pg}"

log() { echo "$(basename "$0" .sh): $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

find_bindir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    if [[ -n "$d" && -x "$d/initdb" ]]; then
        echo "$d"
        return 0
    fi
    # Not Debian's layout: take whatever initdb is on PATH.
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    return 1
}

pg_setup() {
    # --- PostgreSQL binaries ---
    if ! bindir="$(find_bindir)"; then
        if [[ $EUID -ne 0 ]]; then
            log "initdb not found and not root: install PostgreSQL (Debian: apt-get install postgresql)"
            exit 1
        fi
        local t0
        t0="$(now)"
        log "initdb not found: installing Debian postgresql"
        # We only need the binaries: don't let the package create (or start) its own 'main' cluster.
        mkdir -p /etc/postgresql-common/createcluster.d
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/50-no-main-cluster.conf
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq </dev/null
        apt-get install -y -qq --no-install-recommends postgresql </dev/null >/dev/null
        bindir="$(find_bindir)" || { log "postgresql installed but initdb still not found"; exit 1; }
        log "installed PostgreSQL in $(since "$t0") s"
    fi
    # --- Who runs the server ---
    if [[ $EUID -eq 0 ]]; then
        if ! id -u "$PG_USER" >/dev/null 2>&1; then
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER"
            log "created system user $PG_USER"
        fi
        as_pg() { runuser -u "$PG_USER" -- "$@"; }
    else
        as_pg() { "$@"; }
    fi
}

free_port() {
    python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# Wait until the server on 127.0.0.1:$1 accepts connections (10 s at most).
wait_ready() {
    local _
    for _ in $(seq 1 100); do
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres; then
            return 0
        fi
        sleep 0.1
    done
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres
}
