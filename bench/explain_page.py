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


def to_last_row(connection, sql, params):
    """The query's time with every row fetched (a write is not asked again: 0)."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return 0.0
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--user", default="staff", help="a demo login (default staff)")
    parser.add_argument("--top", type=int, default=3, help="how many of the slowest queries to explain")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also ask the page under cProfile and print its N costliest functions (cumulative); "
                             "on SQLite a query's rows are stepped while they are fetched, outside the timed execute")
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
    # On SQLite a query's rows are stepped while they are fetched: each query is asked again to its last row.
    fetched = [(ms, to_last_row(connection, sql, params), sql, params) for ms, sql, params in queries]
    print(f"to the last row: {sum(q[1] for q in fetched):,.0f} ms in SQL")
    for ms, whole, sql, params in sorted(fetched, key=lambda q: -q[1])[:args.top]:
        print(f"\n--- {ms:,.1f} ms, {whole:,.1f} ms to the last row\n{sql}\n  params: {params}\n"
              f"{explain(connection, sql, params)}")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(client.get, args.path)
        print()
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
