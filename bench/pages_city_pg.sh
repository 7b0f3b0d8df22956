#!/usr/bin/env bash
# bench_pages at city scale on PostgreSQL: `gen_scale --scale city --lean` into $DATABASE_URL (demo mode, its keys in
# a scratch var dir), then `bench_pages.py --only city --city-url $DATABASE_URL --city <that var dir>`.
#   scripts/with-postgres.sh bench/pages_city_pg.sh [bench_pages options…]      (make bench runs it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${BIN:-$root/.venv/bin}/python
var=$(mktemp -d /tmp/pages-city-pg.XXXXXX)
trap 'rm -rf "$var"' EXIT
cd "$root"
echo "gen_scale --scale city --lean into $DATABASE_URL (var dir $var)"
SHANGLIAN_DEMO=1 SHANGLIAN_VAR_DIR=$var "$python" manage.py migrate --noinput -v0
SHANGLIAN_DEMO=1 SHANGLIAN_VAR_DIR=$var "$python" manage.py gen_scale --scale city --lean | tail -3
"$python" bench/bench_pages.py --only city --city-url "$DATABASE_URL" --city "$var" "$@"
