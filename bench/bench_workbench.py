"""Benchmark: the 工作台 (`workbench:home`) of the federation roles (issue 19), on the database the settings
name (SHANGLIAN_VAR_DIR's SQLite, or DATABASE_URL), with the demo logins of `seed_demo`.

    SHANGLIAN_VAR_DIR=/tmp/wb-city SHANGLIAN_DEMO=1 .venv/bin/python bench/bench_workbench.py [--runs 10]
    ... bench/bench_workbench.py --profile staff      # the slowest queries and functions of one request

For each role: p50/p95 of the server time and the median CPU time of this process per request, in ms over
`--runs` requests (after one warm-up; `bench_statistics.measure`), the query count and a digest of the page without its
per-request tokens: run it before and after a change on the same database — equal digests
mean the same figures. Times are printed, never asserted.
"""

import argparse
import cProfile
import io
import pstats

from bench_statistics import CaptureQueriesContext, Client, _user, connection, measure, verify_second_factor

from shanglian.accounts.roles import Role

ROLES = {"admin": Role.SYSADMIN, "staff": Role.STAFF, "leader": Role.LEADER}
PATH = "/"
LIMIT = 120  # seconds after which a request is stopped (bench_statistics.measure)


def _client(role):
    user = _user(role)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    verify_second_factor(client, user)
    return client


def profile(role, top):
    """One request after a warm-up: its queries by time (CaptureQueriesContext) and cProfile's top functions."""
    client = _client(ROLES[role])
    client.get(PATH)
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as captured:
        profiler.enable()
        client.get(PATH)
        profiler.disable()
    total = sum(float(q["time"]) for q in captured)
    print(f"## {role}: {len(captured)} queries, {total * 1000:.0f} ms in SQL\n")
    print("| ms | query |\n|---:|---|")
    for q in sorted(captured, key=lambda q: -float(q["time"]))[:top]:
        print(f"| {float(q['time']) * 1000:.1f} | `{q['sql'][:300]}` |")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top * 2)
    print("\n```\n" + out.getvalue() + "```")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--profile", choices=ROLES, help="profile one request of this role instead")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    if args.profile:
        return profile(args.profile, args.top)
    from shanglian.appeals.models import Appeal
    from shanglian.members.models import Enterprise
    from shanglian.policies.models import PolicyDelivery

    print(f"# {connection.vendor}: {Enterprise.objects.count():,} enterprises, {Appeal.objects.count():,} appeals, "
          f"{PolicyDelivery.objects.count():,} policy deliveries, {args.runs} runs")
    print("| role | p50 ms | p95 ms | CPU ms/request | queries | digest |")
    print("|---|---:|---:|---:|---:|---|")
    for name, role in ROLES.items():
        p50, p95, cpu, queries, digest = measure(_client(role), PATH, args.runs, LIMIT)
        print(f"| {name} | {p50:.0f} | {p95:.0f} | {cpu:.0f} | {queries} | {digest} |", flush=True)


if __name__ == "__main__":
    main()
