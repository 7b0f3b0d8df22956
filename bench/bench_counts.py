"""Benchmark: the pages that count members — 会员统计 and the chamber and street lists (and their detail
pages) — for each role that sees them (issue 19), on the database the settings name (SHANGLIAN_VAR_DIR's
SQLite, or DATABASE_URL), with the demo logins of `seed_demo`.

    SHANGLIAN_VAR_DIR=/tmp/counts-city SHANGLIAN_DEMO=1 .venv/bin/python bench/bench_counts.py [--runs 10]

For each page: p50/p95 of the server time in ms over `--runs` requests (after one warm-up), the query count,
and a digest of the response with the per-request tokens (CSP nonce, CSRF token) taken out. Run it with the
old code and the new one on the same database copy: equal digests mean the same page, so the same figures.
Times are printed, never asserted (`make bench-pages` is the general benchmark; this one is narrow).
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(os.environ.get("SHANGLIAN_ROOT", Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")

import django  # noqa: E402

django.setup()

from bench_statistics import Interrupted, measure  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

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
    print("| page | user | p50 ms | p95 ms | queries | digest |")
    print("|---|---|---:|---:|---:|---|")
    for usernames, path in PAGES:
        path = _paths(path)
        for username in usernames:
            user = User.objects.get(username=username)
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            verify_second_factor(client, user)
            try:
                p50, p95, queries, digest = measure(client, path, args.runs, args.limit)
            except Interrupted:
                print(f"| `{path}` | {username} | > {args.limit * 1000:.0f} | | | did not finish |", flush=True)
                continue
            print(f"| `{path}` | {username} | {p50:.1f} | {p95:.1f} | {queries} | {digest} |", flush=True)


if __name__ == "__main__":
    main()
