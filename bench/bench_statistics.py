"""Benchmark: the statistics pages and the 工作台 of each role (issue 19), on the database the settings
name (SHANGLIAN_VAR_DIR's SQLite, or DATABASE_URL), with the demo logins of `seed_demo`.

    SHANGLIAN_VAR_DIR=/tmp/stats-city SHANGLIAN_DEMO=1 .venv/bin/python bench/bench_statistics.py [--runs 10]

For each page: p50/p95 of the server time in ms over `--runs` requests (after one warm-up), the query count,
and a digest of the response with the per-request tokens (CSP nonce, CSRF token) taken out — run it before
and after a change on the same database on the same day: equal digests mean the same figures. Times are
printed, never asserted. The general page benchmark is `make bench-pages`; this one is narrow on purpose.
"""

import argparse
import hashlib
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")

import django  # noqa: E402

django.setup()

from django.db import OperationalError, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from shanglian.accounts.models import User  # noqa: E402
from shanglian.accounts.roles import Role, role_of  # noqa: E402
from shanglian.testing import verify_second_factor  # noqa: E402

ROLES = (Role.SYSADMIN, Role.STAFF, Role.LEADER, Role.CHAMBER, Role.DEPARTMENT)
PAGES = [  # (role, path)
    *[(role, "/") for role in ROLES], *[(role, "/appeals/statistics/") for role in ROLES],
    (Role.STAFF, "/appeals/statistics/?year=2025"), (Role.DEPARTMENT, "/appeals/statistics/?year=2025"),
    (Role.STAFF, "/appeals/statistics/?start=2024-03-15&end=2026-06-30"),
    (Role.STAFF, "/members/statistics/"), (Role.CHAMBER, "/members/statistics/"),
]
TOKENS = re.compile(rb'(nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*")')


def _user(role):
    from shanglian.demo.logins import DEMO_LOGINS

    names = [name for name, demo_role, *_ in DEMO_LOGINS if demo_role == role]
    return User.objects.filter(username__in=names).order_by("username").first() or next(
        u for u in User.objects.filter(is_active=True).order_by("pk") if role_of(u) == role)


class Interrupted(Exception):
    pass


def _get(client, path, limit):
    """The response, or Interrupted when it takes longer than `limit` seconds (SQLite: the query is
    interrupted; PostgreSQL: statement_timeout)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(limit * 1000)}")
        try:
            return client.get(path)
        except OperationalError as exc:
            raise Interrupted from exc
    connection.ensure_connection()
    timer = threading.Timer(limit, connection.connection.interrupt)
    timer.start()
    try:
        return client.get(path)
    except OperationalError as exc:
        raise Interrupted from exc
    finally:
        timer.cancel()


def measure(client, path, runs, limit):
    times, cpu, queries, digest = [], [], None, None
    for n in range(runs + 1):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = _get(client, path, limit)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_ms = (time.process_time() - cpu_started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        if n:  # the first request warms the caches up
            times.append(elapsed)
            cpu.append(cpu_ms)
        queries = len(captured)
        digest = hashlib.sha256(TOKENS.sub(b"", response.content)).hexdigest()[:12]
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(cpu), queries, digest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--limit", type=float, default=30, help="give up on a page after this many seconds")
    parser.add_argument("--role", action="append", choices=[role.value for role in ROLES],
                        help="only the pages of this role (repeatable)")
    args = parser.parse_args()
    from shanglian.appeals.models import Appeal
    from shanglian.members.models import Enterprise

    print(f"# {connection.vendor}: {Enterprise.objects.count():,} enterprises, {Appeal.objects.count():,} appeals, "
          f"{args.runs} runs")
    print("| page | role | p50 ms | p95 ms | CPU p50 ms | queries | digest |")
    print("|---|---|---:|---:|---:|---:|---|")
    for role, path in PAGES:
        if args.role and role.value not in args.role:
            continue
        user = _user(role)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        verify_second_factor(client, user)
        try:
            p50, p95, cpu, queries, digest = measure(client, path, args.runs, args.limit)
        except Interrupted:
            print(f"| `{path}` | {role.label} | > {args.limit * 1000:.0f} | > {args.limit * 1000:.0f} | | "
                  f"| did not finish in {args.limit:.0f} s |", flush=True)
            continue
        print(f"| `{path}` | {role.label} | {p50:.0f} | {p95:.0f} | {cpu:.0f} | {queries} | {digest} |", flush=True)


if __name__ == "__main__":
    main()
