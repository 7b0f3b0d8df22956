#!/usr/bin/env bash
# Write nginx's configuration for Shanglian from deploy/nginx.conf and the list of app servers.
#
#   deploy/render-nginx.sh OUT_DIR LISTEN CERT KEY STATIC_ROOT SERVER...     e.g.
#   deploy/render-nginx.sh /etc/nginx/shanglian 443 /etc/ssl/sl.pem /etc/ssl/sl.key /srv/shanglian/var/staticfiles \
#       127.0.0.1:8001 127.0.0.1:8002
#
# Writes OUT_DIR/nginx.conf and OUT_DIR/upstreams.conf (one `server ADDRESS max_fails=1 fail_timeout=5s;` a line,
# which deploy/rolling-restart.sh edits). Start nginx with `nginx -c OUT_DIR/nginx.conf`.
set -euo pipefail
[[ $# -ge 6 ]] || { sed -n '2,10p' "$0" >&2; exit 2; }
out=$(readlink -f "$1"); listen=$2; cert=$3; key=$4; static=$5; shift 5
mkdir -p "$out"
: > "$out/upstreams.conf.tmp"
for server in "$@"; do
    echo "server $server max_fails=1 fail_timeout=5s;" >> "$out/upstreams.conf.tmp"
done
mv "$out/upstreams.conf.tmp" "$out/upstreams.conf"
sed -e "s|@LISTEN@|$listen|" -e "s|@CERT@|$cert|" -e "s|@KEY@|$key|" -e "s|@STATIC@|$static|" \
    -e "s|@UPSTREAMS@|$out/upstreams.conf|" -e "s|@PREFIX@|$out|g" "$(dirname "$0")/nginx.conf" > "$out/nginx.conf"
echo "$out/nginx.conf"
