"""Benchmark: chosen list pages for chosen logins on an existing database, in process (issue 19's list pages on
PostgreSQL and SQLite): one warm-up, then `--runs` requests each; p50/p95 ms of the wall clock and of the
process's CPU time, the query count and a digest of the rows and total shown (bench_search.measure).

    SHANGLIAN_DEMO=1 SHANGLIAN_VAR_DIR=<var dir> [DATABASE_URL=…] .venv/bin/python bench/bench_list_pages.py \\
        [--runs 5] [login:path …]
    cp bench/bench_list_pages.py bench/bench_search.py /tmp/b/; SHANGLIAN_ROOT=/work/main .venv/bin/python /tmp/b/bench_list_pages.py
                                                                    (the same pages on another checkout's code)

Run it on main's code and on the branch against the same database: the digests must be equal. Times are
printed, never asserted.
"""

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_search  # noqa: E402 — sets up the paths (SHANGLIAN_ROOT: another checkout's code)

PAGES = [f"{login}:{path}" for login in ("admin", "staff", "leader", "chamber1")
         for path in ("/appeals/", "/appeals/?q=贷款", "/members/", "/members/enterprises/", "/members/persons/",
                      "/orgs/chambers/")] + [
    f"staff:{path}" for path in ("/appeals/?page=50", "/api/v1/appeals/", "/api/v1/memberships/", "/api/v1/enterprises/")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("pages", nargs="*", help="login:path (default: the list pages of issue 19 for four logins)")
    args = parser.parse_args()
    users = bench_search.start()
    from bench_pages import _client

    for page in args.pages or PAGES:
        login, path = page.split(":", 1)
        if login not in users:
            continue
        client = _client(users[login])
        try:
            p50, p95, cpu50, cpu95, n, dig = bench_search.measure(client, path, args.runs)
        except AssertionError:  # a page the login may not open
            continue
        if path.startswith("/api/"):  # JSON: the digest of the whole answer (rows and count)
            dig = hashlib.sha1(client.get(path).content).hexdigest()[:10]
        print(f"| {path} | {login} | {p50:.1f} | {p95:.1f} | {cpu50:.1f} | {cpu95:.1f} | {n} | {dig} |", flush=True)


if __name__ == "__main__":
    main()
