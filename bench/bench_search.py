"""Benchmark: the `?q=` search of the list pages (诉求, 会员, 企业) on an existing database, in process.

    SHANGLIAN_DEMO=1 SHANGLIAN_VAR_DIR=/tmp/search-city .venv/bin/python bench/bench_search.py [--runs 10]
    scripts/with-postgres.sh .venv/bin/python bench/bench_search.py   (DATABASE_URL set: PostgreSQL)
    cp bench/bench_search.py /tmp/b.py; cd /work/main && SHANGLIAN_ROOT=/work/main .venv/bin/python /tmp/b.py
                                                                    (the same pages on another checkout's code)

For each demo login that has the page (the first word; the others as staff), one warm-up then `--runs` requests (django.test.Client, force_login and
the second factor, DEBUG off); prints p50/p95 ms (wall clock, and CPU time of the process: SQLite runs in it, so on a shared machine
it is the steadier figure; on PostgreSQL it leaves out the server's work), the query count and a digest of what the page shows (its
table rows and total). Run it on main's code and on the branch against the same database: the digests must
be equal. Words: the bench-pages words (贷款, the first two characters of ent1's core name) plus a few
more (a 3-character word, an appeal number in lower case, a 200-character word, pinyin initials, a USCC). Times are printed, never
asserted.
"""

import argparse
import hashlib
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(os.environ.get("SHANGLIAN_ROOT") or Path(__file__).resolve().parent.parent)  # another checkout
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")

APPEAL_ROLES = ("admin", "staff", "leader", "chamber1", "dept1")
MEMBER_ROLES = ("admin", "staff", "leader", "chamber1")


def digest(html):
    body = re.findall(r"<tbody>.*?</tbody>|共 \d+ 条", html, re.S)
    return hashlib.sha1("".join(body).encode()).hexdigest()[:10]


def words(users):
    from shanglian.appeals.models import Appeal

    enterprise = users["ent1"].enterprise
    core = enterprise.name
    for prefix in ("天津市", "天津"):
        core = core.removeprefix(prefix)
    number = Appeal.objects.order_by("id").values_list("number", flat=True).first() or "SQ"
    appeal = ["贷款", "融资难", number.lower(), "x" * 200]
    member = [core[:2], core[:3], enterprise.name_initials[:4] or "zz", enterprise.uscc.lower()]
    return appeal, member


def measure(client, path, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return (*percentiles(times), *percentiles(cpu), len(queries), digest(response.content.decode()))


def percentiles(values):
    values = sorted(values)
    return values[len(values) // 2], values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def start():
    """Django set up as the page benchmarks run (DEBUG off, static files without the manifest); prints the
    database's size and the table's head; returns the users by username."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings

    from shanglian.accounts.models import User
    from shanglian.appeals.models import Appeal
    from shanglian.members.models import Enterprise

    assert not settings.DEBUG
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    users = {u.username: u for u in User.objects.select_related("enterprise")}
    print(f"{connection.vendor}, {Enterprise.objects.count():,} enterprises, {Appeal.objects.count():,} appeals, "
          f"load {os.getloadavg()[0]:.1f}")
    print("| page | login | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | queries | digest |\n|---|---|---|---|---|---|---|---|")
    return users


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", default="", help="run only the pages whose label contains this")
    args = parser.parse_args()
    users = start()
    from bench_pages import _client

    appeal_words, member_words = words(users)
    plan = [("/appeals/?q=", APPEAL_ROLES, appeal_words), ("/members/?q=", MEMBER_ROLES, member_words),
            ("/members/enterprises/?q=", MEMBER_ROLES, member_words)]
    for prefix, roles, page_words in plan:
        for position, word in enumerate(page_words):
            path = prefix + quote(word)
            label = prefix + (word if len(word) < 20 else word[:6] + "…")
            if args.only and args.only not in label:
                continue
            for username in roles if position == 0 else ("staff",):  # every role for the first word
                client = _client(users[username])
                p50, p95, cpu50, cpu95, n, dig = measure(client, path, args.runs)
                print(f"| {label} | {username} | {p50:.1f} | {p95:.1f} | {cpu50:.1f} | {cpu95:.1f} | {n} | {dig} |",
                      flush=True)


if __name__ == "__main__":
    main()
