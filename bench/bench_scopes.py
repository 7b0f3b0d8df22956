"""Benchmark: the scoped list pages and API lists of each role (issue 19), on an existing database, in process.

    SHANGLIAN_VAR_DIR=/tmp/scopes-city SHANGLIAN_DEMO=1 .venv/bin/python bench/bench_scopes.py [--runs 10]
    scripts/with-postgres.sh .venv/bin/python bench/bench_scopes.py ...   (DATABASE_URL set: PostgreSQL)

For each demo login (dept1, chamber1, admin, staff, leader) and each of its list pages (诉求 全部 and a queue,
page 50, the API lists, 会员/企业/人员, a department's page): one warm-up request, then --runs requests through
django.test.Client (force_login, the second factor where the role needs it, DEBUG off); p50/p95 of the server
time (wall clock; and the median CPU time of the process: SQLite runs in it, so on a shared machine it is the
steadier figure), the query count of one request, and a digest of the rows shown (the table's rows / the API's
numbers and the total, as bench_lists.py): run it with two versions of the code on the same database and the
digests must be equal (BENCH_CODE=<checkout> runs that checkout's code). `--label` tags the rows; `--tsv FILE` appends them; `--explain` prints the plan of each
page's slowest query. Times are printed, never asserted.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

# BENCH_CODE=/path/to/a/checkout measures that checkout's code (e.g. main, for the "before" column).
ROOT = Path(os.environ.get("BENCH_CODE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")


def pages_of(role, department_id):
    appeals = [("appeals:list", "/appeals/"), ("appeals:list?page=50", "/appeals/?page=50"),
               ("/api/v1/appeals/", "/api/v1/appeals/")]
    members = [("members:membership_list", "/members/"), ("members:membership_list?page=50", "/members/?page=50"),
               ("members:enterprise_list", "/members/enterprises/"), ("members:person_list", "/members/persons/"),
               ("/api/v1/memberships/", "/api/v1/memberships/"), ("/api/v1/enterprises/", "/api/v1/enterprises/"),
               ("/api/v1/persons/", "/api/v1/persons/")]
    department = [("orgs:department_detail", f"/orgs/departments/{department_id}/")]
    if role == "dept1":
        return [*appeals, ("appeals:list?queue=replied", "/appeals/?queue=replied"),
                ("appeals:list?queue=handling", "/appeals/?queue=handling"), *department]
    if role == "chamber1":
        return [*appeals, ("appeals:list?queue=handling", "/appeals/?queue=handling"), *members]
    return [*appeals, ("appeals:list?queue=handling", "/appeals/?queue=handling"), *members, *department]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--roles", default="dept1,chamber1,admin,staff,leader")
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--label", default="")
    parser.add_argument("--tsv", default="")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from bench_lists import digest, print_slowest
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shanglian import testing
    from shanglian.accounts.middleware import needs_second_factor
    from shanglian.accounts.models import User
    from shanglian.appeals.models import Appeal

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; appeals {Appeal.objects.count():,}; "
          f"runs {args.runs}; {args.label}")
    print("| role | page | p50 ms | p95 ms | CPU p50 ms | queries | rows digest |\n|---|---|---|---|---|---|---|")
    out = open(args.tsv, "a") if args.tsv else None
    for username in args.roles.split(","):
        user = User.objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        if needs_second_factor(user):
            testing.verify_second_factor(client, user)
        for name, url in pages_of(username, user.department_id or 1):
            if args.only and args.only not in name:
                continue
            response = client.get(url)
            if response.status_code != 200:
                print(f"| {username} | {name} | status {response.status_code} | | | | |")
                continue
            times, cpu = [], []
            for _ in range(args.runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            html = response.content.decode()
            p50 = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            row = [username, name, f"{p50:.1f}", f"{p95:.1f}", f"{statistics.median(cpu):.1f}", str(len(queries)),
                   digest(html)]
            print("| " + " | ".join(row) + " |", flush=True)
            if out:
                out.write("\t".join([args.label, connection.vendor, *row]) + "\n")
                out.flush()
            if args.explain:
                print_slowest(connection, queries, top=2)


if __name__ == "__main__":
    main()
