#!/usr/bin/env bash
# Restart the Shanglian app servers one at a time without failing a request (docs/deploy.md): for each server of
# nginx's upstream list, take it out (`down`, nginx reloaded: new requests go to the others), let the requests under
# way finish, restart it, wait until /healthz/ answers 200, put it back, then the next.
#
#   deploy/rolling-restart.sh NGINX_DIR [RESTART_COMMAND]
#
# NGINX_DIR: the directory deploy/render-nginx.sh wrote (nginx.conf, upstreams.conf). RESTART_COMMAND: run for each
# server with {address} and {port} replaced (default: systemctl restart shanglian-web@{port}). DRAIN_SECONDS
# (default 2): the wait after taking a server out; HEALTH_TIMEOUT (default 120) for /healthz/. Exits 1, leaving the
# failed server out of the list, when one does not come back.
set -euo pipefail
[[ $# -ge 1 ]] || { sed -n '2,12p' "$0" >&2; exit 2; }
dir=$(readlink -f "$1")
command=${2:-"systemctl restart shanglian-web@{port}"}
drain=${DRAIN_SECONDS:-2}
timeout=${HEALTH_TIMEOUT:-120}
upstreams="$dir/upstreams.conf"
log() { echo "rolling-restart: $*" >&2; }

set_state() {  # set_state ADDRESS down|up
    local tmp="$upstreams.tmp"
    awk -v addr="$1" -v state="$2" '
        $1 == "server" && $2 == addr {
            line = "server " addr " max_fails=1 fail_timeout=5s" (state == "down" ? " down" : "") ";"
            print line; next
        }
        { print }' "$upstreams" > "$tmp"
    mv "$tmp" "$upstreams"
    nginx -c "$dir/nginx.conf" -s reload
}

healthy() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$1/healthz/" || true)
    [[ $code == 200 ]]
}

mapfile -t servers < <(awk '$1 == "server" { print $2 }' "$upstreams")
[[ ${#servers[@]} -ge 2 ]] || { log "fewer than two app servers in $upstreams: a restart would drop requests"; exit 1; }
for address in "${servers[@]}"; do
    port=${address##*:}
    log "$address: out of the pool"
    set_state "$address" down
    sleep "$drain"
    run=${command//\{address\}/$address}
    run=${run//\{port\}/$port}
    log "$address: $run"
    bash -c "$run"
    waited=0
    until healthy "$address"; do
        sleep 1
        waited=$((waited + 1))
        if (( waited >= timeout )); then
            log "$address: /healthz/ not 200 after ${timeout} s — left out of the pool, stopping"
            exit 1
        fi
    done
    set_state "$address" up
    log "$address: healthy after ${waited} s, back in the pool"
done
log "done: ${#servers[@]} app servers restarted"
