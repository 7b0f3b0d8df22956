"""Benchmark: the list pages and API lists of issue 19 on an existing database, server time in-process.

    SHANGLIAN_VAR_DIR=/tmp/lists-city SHANGLIAN_DEMO=1 .venv/bin/python bench/bench_lists.py [--runs 20]
    scripts/with-postgres.sh ... (DATABASE_URL set: the same on PostgreSQL)

Signs in as the demo `staff` login (force_login: no password check), requests each page `--runs` times after
one warm-up, and prints p50/p95 ms (wall clock, and CPU time of the process: SQLite runs in it, so on a
shared machine CPU time is the steadier figure; on PostgreSQL it leaves out the server's work), the query count, the response size and a digest of the rows shown (the
numbers/names of the first page) — run it before and after a change on the same database: the digests
must be equal. `--explain` prints the plan of each page's slowest query. Times are printed, never asserted.
"""

import argparse
import hashlib
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")


def pages(search_word, appeal_number, enterprise_word):
    """(label, url) of the pages measured."""
    return [
        ("诉求 全部", "/appeals/"),
        ("诉求 全部 page 50", "/appeals/?page=50"),
        ("诉求 待受理", "/appeals/?queue=pending_accept"),
        ("诉求 办理中", "/appeals/?queue=handling"),
        ("诉求 已答复", "/appeals/?queue=replied"),
        (f"诉求 search {search_word}", f"/appeals/?q={search_word}"),
        ("诉求 search number", f"/appeals/?q={appeal_number}"),
        ("API /api/v1/appeals/", "/api/v1/appeals/"),
        ("API appeals page 50", "/api/v1/appeals/?page=50"),
        ("会员 first page", "/members/"),
        ("会员 page 50", "/members/?page=50"),
        (f"会员 search {enterprise_word}", f"/members/?q={enterprise_word}"),
        ("企业 first page", "/members/enterprises/"),
        ("企业 page 50", "/members/enterprises/?page=50"),
        (f"企业 search {enterprise_word}", f"/members/enterprises/?q={enterprise_word}"),
    ]


def digest(html):
    """A short digest of what the page shows (its table rows / API results and its total)."""
    body = re.findall(r"<tbody>.*?</tbody>|共 \d+ 条|\"count\":\d+|\"number\":\"[^\"]+\"", html, re.S)
    return hashlib.sha1("".join(body).encode()).hexdigest()[:10]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shanglian.accounts.models import User
    from shanglian.appeals.models import Appeal

    number = Appeal.objects.order_by("id").values_list("number", flat=True)[1000]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="staff"))
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"appeals {Appeal.objects.count()}; runs {args.runs}")
    print("| page | p50 ms | p95 ms | CPU p50 | CPU p95 | queries | KB | rows digest |\n|---|---|---|---|---|---|---|---|")
    for label, url in pages("补贴", number, "科技"):
        if args.only and args.only not in label:
            continue
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times, cpu = [], []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        html = response.content.decode()
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        cpu95 = statistics.quantiles(cpu, n=20)[-1] if len(cpu) > 1 else cpu[0]
        print(f"| {label} | {statistics.median(times):.0f} | {p95:.0f} | {statistics.median(cpu):.0f} | {cpu95:.0f} | "
              f"{len(queries)} | "
              f"{len(html) / 1024:.0f} | {digest(html)} |", flush=True)
        if args.explain:
            print_slowest(connection, queries, top=1)


def print_slowest(connection, queries, *, top):
    """The `top` slowest of the captured queries, each with its plan (EXPLAIN QUERY PLAN / EXPLAIN)."""
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:top]:
        print(f"    {query['time']} s: {query['sql'][:400]}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            for row in cursor.fetchall():
                print("      ", row[-1])


if __name__ == "__main__":
    main()
