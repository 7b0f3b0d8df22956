#!/usr/bin/env bash
# The scoped lists on PostgreSQL, before (main's code and schema) and after (this checkout), on one database:
#   scripts/with-postgres.sh bench/scopes_pg.sh MAIN_CHECKOUT ENTERPRISES RUNS TSV
# builds `seed_demo --enterprises N` with main's code, measures with it, migrates to this checkout, measures again.
set -euo pipefail
main="$1"; firms="$2"; runs="$3"; tsv="$4"
here="$(cd "$(dirname "$0")/.." && pwd)"
export SHANGLIAN_DEMO=1 SHANGLIAN_VAR_DIR="$(mktemp -d /tmp/scopes-pg-var.XXXXXX)"
mkdir -p "$SHANGLIAN_VAR_DIR/staticfiles"
(cd "$main" && .venv/bin/python manage.py migrate --noinput -v0 && .venv/bin/python manage.py collectstatic --noinput -v0 \
  && .venv/bin/python manage.py seed_demo --enterprises "$firms" | tail -3)
BENCH_CODE="$main" "$main/.venv/bin/python" "$here/bench/bench_scopes.py" --runs "$runs" --label before --tsv "$tsv"
(cd "$here" && .venv/bin/python manage.py migrate --noinput -v0)
"$here/.venv/bin/python" "$here/bench/bench_scopes.py" --runs "$runs" --label after --tsv "$tsv"
rm -rf "$SHANGLIAN_VAR_DIR"
