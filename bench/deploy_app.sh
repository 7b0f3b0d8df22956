#!/usr/bin/env bash
# (Re)start one app server of bench/bench_deploy.py's loopback stack — what `systemctl restart shanglian-web@PORT`
# does in production (deploy/systemd/): the running gunicorn on PORT, if any, stopped gracefully (SIGTERM: the
# requests under way finish), then a new one started in the background with deploy/gunicorn.conf.py. The
# environment is the stack's (the caller's); BENCH_DEPLOY_DIR holds the pid files and logs.
#
#   bench/deploy_app.sh PORT          restart (or start)
#   bench/deploy_app.sh PORT stop     stop only
set -euo pipefail
port=$1
dir=${BENCH_DEPLOY_DIR:?}
pidfile="$dir/app-$port.pid"
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -f $pidfile ]]; then
    pid=$(cat "$pidfile")
    if kill -TERM "$pid" 2>/dev/null; then
        # gunicorn removes its pid file as the master exits (a daemon's exited master may linger as a zombie
        # where nothing reaps it, so the pid alone is not the answer)
        for _ in $(seq 600); do [[ -f $pidfile ]] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
fi
[[ ${2:-} == stop ]] && exit 0
cd "$root"
SHANGLIAN_BIND="127.0.0.1:$port" SHANGLIAN_PIDFILE="$pidfile" "${BIN:-.venv/bin}/gunicorn" -c deploy/gunicorn.conf.py \
    --daemon --access-logfile "$dir/app-$port.access.log" --error-logfile "$dir/app-$port.log" shanglian.wsgi:application
for _ in $(seq 300); do [[ -f $pidfile ]] && exit 0; sleep 0.1; done
echo "deploy_app: gunicorn on $port did not write its pid file" >&2
exit 1
