"""Benchmark: the pages that count members — 会员统计 and the chamber and street lists (and their detail
pages) — for each role that sees them (issue 19), on the database the settings name (SHANGLIAN_VAR_DIR's
SQLite, or DATABASE_URL), with the demo logins of `seed_demo`.

    SHANGLIAN_VAR_DIR=/tmp/counts-city SHANGLIAN_DEMO=1 .venv/bin/python bench/bench_counts.py [--runs 10]

For each page: p50/p95 of the server time in ms over `--runs` requests (after one warm-up), p50/p95 of the
CPU time of this process in the same requests (SQLite runs in-process, so on SQLite it is the whole work;
on a shared machine it is steadier than the wall time, which waits for a core), the query count, and a
digest of the response with the per-request tokens (CSP nonce, CSRF token) taken out. Run it with the
old code and the new one on the same database copy: equal digests mean the same page, so the same figures.
Times are printed, never asserted (`make bench-pages` is the general benchmark; this one is narrow).
"""

import argparse
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("SHANGLIAN_ROOT", Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")

import django  # noqa: E402

django.setup()

from bench_statistics import TOKENS, Interrupted, _get  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from shanglian.accounts.models import User  # noqa: E402
from shanglian.testing import verify_second_factor  # noqa: E402

FEDERATION = ("admin", "staff", "leader")
PAGES = (  # (usernames, path)
    [(FEDERATION + ("chamber1",), "/members/statistics/")]
    + [(FEDERATION, "/orgs/chambers/"), (("staff",), "/orgs/chambers/?sort=-member_count"),
       (("staff",), "/orgs/chambers/?q=商会"), (("chamber1",), "/orgs/chambers/")]
    + [(FEDERATION, "/orgs/streets/"), (("staff",), "/orgs/streets/?sort=-enterprise_count"),
       (("staff",), "/orgs/streets/?sort=chamber_count")]
    + [(("staff", "chamber1"), "/orgs/chambers/{chamber}/"), (("staff",), "/orgs/streets/{street}/")]
)


def _paths(path):
    from shanglian.orgs.models import Chamber, Street

    chamber = Chamber.objects.order_by("pk").values_list("pk", flat=True).first()
    street = Chamber.objects.filter(pk=chamber).values_list("street_id", flat=True).first() or Street.objects.order_by(
        "pk").values_list("pk", flat=True).first()
    return path.format(chamber=chamber, street=street)


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def measure(client, path, runs, limit):
    """(wall p50, wall p95, cpu p50, cpu p95, queries, digest) of `runs` requests after one warm-up."""
    wall, cpu, queries, digest = [], [], None, None
    for n in range(runs + 1):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = _get(client, path, limit)
            elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        assert response.status_code == 200, (path, response.status_code)
        if n:  # the first request warms the caches up
            wall.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
        queries = len(captured)
        digest = hashlib.sha256(TOKENS.sub(b"", response.content)).hexdigest()[:12]
    return statistics.median(wall), _p95(wall), statistics.median(cpu), _p95(cpu), queries, digest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--limit", type=float, default=30, help="give up on a page after this many seconds")
    parser.add_argument("--label", default=str(ROOT), help="a name for the code under test, printed")
    args = parser.parse_args()
    from shanglian.members.models import ChamberMembership, Enterprise, Membership

    print(f"# {args.label} on {connection.vendor}: {Enterprise.objects.count():,} enterprises, "
          f"{Membership.objects.count():,} memberships, {ChamberMembership.objects.count():,} chamber memberships, "
          f"{args.runs} runs")
    print("| page | user | p50 ms | p95 ms | cpu p50 ms | cpu p95 ms | queries | digest |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for usernames, path in PAGES:
        path = _paths(path)
        for username in usernames:
            user = User.objects.get(username=username)
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            verify_second_factor(client, user)
            try:
                p50, p95, cpu50, cpu95, queries, digest = measure(client, path, args.runs, args.limit)
            except Interrupted:
                print(f"| `{path}` | {username} | > {args.limit * 1000:.0f} | | | | | did not finish |", flush=True)
                continue
            print(f"| `{path}` | {username} | {p50:.1f} | {p95:.1f} | {cpu50:.1f} | {cpu95:.1f} | {queries} | {digest} |",
                  flush=True)


if __name__ == "__main__":
    main()
