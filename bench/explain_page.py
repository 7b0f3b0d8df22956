"""The slowest queries of one page, with the database's plan of each: what to look at when `make bench-pages`
shows a page over its target (issue 19).

    SHANGLIAN_DEMO=1 SHANGLIAN_VAR_DIR=<the city's var dir> [DATABASE_URL=…] \
        .venv/bin/python bench/explain_page.py --user staff /appeals/statistics/ [--top 3]

Signs in as the demo login (as bench_pages.py does), asks the page once to warm up, then once more with every
query timed (a connection.execute_wrapper), and prints the page's time, its query count and its `--top` slowest
queries, each with EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL (EXPLAIN QUERY PLAN on SQLite).
Run it on a copy: the request may write (a session, the audit of a view).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def explain(connection, sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--user", default="staff", help="a demo login (default staff)")
    parser.add_argument("--top", type=int, default=3, help="how many of the slowest queries to explain")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench_pages import _client  # bench/bench_pages.py: force_login and the second factor
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings

    from shanglian.accounts.models import User

    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    client = _client(User.objects.get(username=args.user))
    client.get(args.path)
    queries = []
    # Each query's own time, measured around its execution (connection.queries rounds to milliseconds).
    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - start) * 1000, sql, params))

    start = time.perf_counter()
    with connection.execute_wrapper(timed):
        response = client.get(args.path)
    total = (time.perf_counter() - start) * 1000
    print(f"{args.path} as {args.user}: HTTP {response.status_code}, {total:,.0f} ms, {len(queries)} queries, "
          f"{sum(q[0] for q in queries):,.0f} ms in SQL ({connection.vendor})")
    for ms, sql, params in sorted(queries, key=lambda q: -q[0])[:args.top]:
        print(f"\n--- {ms:,.1f} ms\n{sql}\n  params: {params}\n{explain(connection, sql, params)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
