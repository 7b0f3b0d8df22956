#!/usr/bin/env bash
# Serve the app: the Huey consumer (deadline sweep every 15 minutes, background work) in the
# background, gunicorn in the foreground; Ctrl-C or the end of gunicorn stops both.
set -euo pipefail
BIN="${BIN:-.venv/bin}"
"$BIN/python" manage.py run_huey --workers 1 --quiet &
HUEY_PID=$!
trap 'kill "$HUEY_PID" 2>/dev/null || true' EXIT INT TERM
"$BIN/gunicorn" shanglian.wsgi:application --bind "${BIND:-127.0.0.1:8000}" --workers 2 --access-logfile -
