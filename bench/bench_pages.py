"""Benchmark: every menu page, list variant and API list of each demo role, at the demo size and at city scale,
next to hand-written SQL for the same rows of the main pages (issue 19).

    .venv/bin/python bench/bench_pages.py [--requests 20] [--demo DIR] [--city DIR] [--timeout 60]
    make bench-pages                                      # the same; CITY=/path/to/var-dir to choose the city

The pages are those of `shanglian/workbench/tests/page_catalogue.py` (what each role's menu links to, the
enterprise's phone tabs, 诉求 search, page 50 and a name search of the member list, every /api/v1/ list),
the ones `test_query_counts.py` keeps at a fixed number of queries. For each page and each demo login
(admin, staff, leader, chamber1, dept1, ent1, auditor): one warm-up request, then N requests in process
through django.test.Client (signed in with force_login and the second factor where the role needs it),
DEBUG off; p50/p95 of the server time, then one more request counted with CaptureQueriesContext. A role
the page or API list refuses (403) is left out. A request is stopped after --timeout seconds (SQLite: a
progress handler; PostgreSQL: statement_timeout) and shown as such; a page slower than a few seconds is
asked fewer times (n shown; --budget).

Databases, each in its own process, never the original file:
  demo  --demo DIR (a var dir holding db.sqlite3), else built: migrate + seed_demo in a scratch dir
  city  --city DIR (a var dir or a .sqlite3 file; copied to a scratch dir with SQLite's backup API first),
        else /tmp/city when /tmp/city/READY exists, else built: seed_demo --enterprises N (--city-enterprises)
        --city-url: the city on PostgreSQL (a DATABASE_URL; migrated first; the bench signs in there, so its
        sessions and TOTP device rows are written to it), with --city naming the var dir that holds the keys
        its PII columns were encrypted with (bench/load_city_pg.py copies a SQLite city there and makes that dir)
Hand SQL (staff; timed like the pages, checked to give the same rows as the page's selector): the appeals'
first page (count, 20 rows, their departments), the member list's and the enterprise list's first pages,
and the statistics page's overall KPIs (one aggregate, 服务企业数's appeal half, 当前超期).

Output: a table on stdout and bench/results/pages-<date>.md and .tsv (--name; pages-<date>-city-pg with --city-url
--only city; -2, -3 … after it when a run of the same day wrote that name already). Figures are printed, never
asserted.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["admin", "staff", "leader", "chamber1", "dept1", "ent1", "auditor"]
SIZES = ("demo", "city")
SLOW_MS = 3000  # a page slower than this at its warm-up is asked fewer times (the run stays bounded)
# The check of the hand SQL against the page's selector.
SAME = {True: "same rows", False: "ROWS DIFFER", None: "not checked (the selectors did not finish within --timeout)"}
BUDGET_S = 20  # default of --budget: a slow page is asked at most about this long in all (per role)


# --- the parent: databases, processes, the table -----------------------------------------------------

def _manage(var_dir, *args, database_url=None):
    env = {**os.environ, "SHANGLIAN_VAR_DIR": str(var_dir), "SHANGLIAN_DEMO": "1"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def build(var_dir, enterprises=None):
    print(f"  building {'the demo district' if enterprises is None else f'{enterprises:,} enterprises'} in {var_dir}",
          flush=True)
    _manage(var_dir, "migrate", "--noinput", "-v0")
    _manage(var_dir, "seed_demo", *([] if enterprises is None else ["--enterprises", str(enterprises)]))


def copy_sqlite(source, var_dir):
    """Copy a var dir's (or a file's) SQLite database into var_dir through the backup API: consistent even
    with a WAL beside it, and the source is opened read-only."""
    source = Path(source)
    source = source / "db.sqlite3" if source.is_dir() else source
    if not source.exists():
        raise SystemExit(f"no SQLite database at {source}")
    print(f"  copying {source} ({source.stat().st_size / 1e6:,.0f} MB) to {var_dir}", flush=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(var_dir / "db.sqlite3")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    for name in ("dev-secrets.json",):  # the field keys the data was encrypted with
        if (source.parent / name).exists():
            shutil.copy(source.parent / name, var_dir / name)


def run_size(size, var_dir, database_url, requests, timeout, budget, pages=None):
    env = {**os.environ, "SHANGLIAN_VAR_DIR": str(var_dir), "SHANGLIAN_DEMO": "1"}
    env.pop("DEBUG", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    out = var_dir / "bench-pages.json"
    done = subprocess.run([sys.executable, __file__, "--worker", str(out), "--requests", str(requests),
                           "--timeout", str(timeout), "--budget", str(budget), "--size", size,
                           *(["--pages", pages] if pages else [])], env=env, cwd=ROOT)
    if not out.exists():
        raise SystemExit(f"the {size} run failed (exit {done.returncode})")
    if done.returncode:
        print(f"  the {size} run failed after the pages (exit {done.returncode}): no hand SQL figures", flush=True)
    return json.loads(out.read_text())


def _ms(value):
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _cell(result):
    """p50, p95, queries of one page at one size, as table cells."""
    if result is None:
        return ["—", "—", "—"]
    if result.get("timeout"):
        return [f">{result['timeout']} s", "超时", "—"]
    n = "" if result["n"] == result["asked"] else f" (n={result['n']})"
    return [_ms(result["p50"]), _ms(result["p95"]) + n, str(result["queries"])]


def table(runs, meta):
    """Rows: page, role, kind, demo p50/p95/queries, city p50/p95/queries, hand SQL, target, mark."""
    keys = []
    for size in SIZES:
        for key in runs.get(size, {}).get("pages", {}):
            if key not in keys:
                keys.append(key)
    rows = []
    for key in keys:
        page, role = key.split("|")
        demo = runs.get("demo", {}).get("pages", {}).get(key)
        city = runs.get("city", {}).get("pages", {}).get(key)
        anyone = city or demo
        hand = [runs.get(size, {}).get("hand", {}).get(key) for size in SIZES]
        hand_text = " / ".join(_ms(h["p95"]) if h else "—" for h in hand) if any(hand) else ""
        measured = city if city is not None else demo
        if measured is None:
            mark = "—"
        elif measured.get("timeout"):
            mark = "✗"
        else:
            mark = "✓" if measured["p95"] <= anyone["target"] else "✗"
        rows.append([page, role, anyone["kind"], *_cell(demo), *_cell(city), hand_text,
                     f"≤{anyone['target']}", mark])
    return rows


HEADERS = ["page", "role", "kind", "demo p50", "demo p95", "demo queries", "city p50", "city p95",
           "city queries", "hand SQL p95 demo / city", "target ms", "city p95 ok"]


def _unused_name(out_dir, name):
    """`name`, or `name-2`, `name-3` … when a run of the same day has written its results already (kept)."""
    candidate, n = name, 1
    while (out_dir / f"{candidate}.md").exists() or (out_dir / f"{candidate}.tsv").exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def write_results(rows, runs, meta, out_dir, name):
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = date.today().isoformat()
    tsv = out_dir / f"{name}.tsv"
    tsv.write_text("\t".join(HEADERS) + "\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    lines = [f"# Page timings, {stamp}", "",
             f"Branch `{meta['branch']}` at {meta['commit']}; {meta['requests']} requests per page after one warm-up, "
             "in process (django.test.Client, DEBUG off); times in ms (server time), queries of one request. "
             "Target: p95 at city scale. Hand SQL: the same rows by hand-written SQL, p95 at each size.", ""]
    for size in SIZES:
        if size in runs:
            lines.append(f"- {size}: {runs[size]['describe']}")
    checks = [f"{k.split('|')[0]} ({size}): {SAME[h['same']]}"
              for size in SIZES for k, h in runs.get(size, {}).get("hand", {}).items()]
    if checks:
        lines += ["- hand SQL checked against the page's selector: " + "; ".join(checks)]
    lines += ["", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    md = out_dir / f"{name}.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return md, tsv


def print_table(rows):
    widths = [max(_width(str(c)) for c in col) for col in zip(HEADERS, *rows, strict=True)]
    for row in [HEADERS, *rows]:
        print("  ".join(str(c) + " " * (w - _width(str(c))) for c, w in zip(row, widths, strict=True)))


def _width(text):
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--timeout", type=int, default=60, help="seconds after which a request is stopped")
    parser.add_argument("--budget", type=int, default=BUDGET_S,
                        help="seconds a page slower than 3 s may take in all (it is asked fewer times)")
    parser.add_argument("--demo", help="a var dir holding the demo district's db.sqlite3 (else built)")
    parser.add_argument("--city", help="a var dir or .sqlite3 file at city scale (copied first)")
    parser.add_argument("--city-url", help="the city database on PostgreSQL (a DATABASE_URL)")
    parser.add_argument("--city-enterprises", type=int, default=20000,
                        help="the size built when no city database is given and /tmp/city is not ready")
    parser.add_argument("--only", choices=SIZES, help="one size only")
    parser.add_argument("--pages", help="only the pages whose 'label login' this regular expression finds "
                                        "(e.g. 'q=|statistics chamber1'); no hand SQL then")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--name", help="the results' file name without extension (default pages-<date>, "
                                       "pages-<date>-city-pg for --city-url --only city)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(Path(args.worker), args.size, args.requests, args.timeout, args.budget, args.pages)

    runs = {}
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as scratch:
        scratch = Path(scratch)
        for size in SIZES:
            if args.only and size != args.only:
                continue
            var_dir = scratch / size
            var_dir.mkdir()
            url = None
            if size == "demo":
                if args.demo:
                    copy_sqlite(args.demo, var_dir)
                    _manage(var_dir, "migrate", "--noinput", "-v0")
                else:
                    build(var_dir)
            elif args.city_url:
                url = args.city_url
                # The PII columns were encrypted with the keys the city was built with: --city names the var
                # dir holding them (bench/load_city_pg.py's). The database is brought to this code's schema.
                keys = Path(args.city or "") / "dev-secrets.json"
                if not args.city or not keys.exists():
                    raise SystemExit("--city-url needs --city <the var dir holding the city's dev-secrets.json>, "
                                     "e.g. /tmp/pgcity/var/city (see bench/load_city_pg.py)")
                shutil.copy(keys, var_dir / "dev-secrets.json")
                _manage(var_dir, "migrate", "--noinput", "-v0", database_url=url)
            elif args.city or Path("/tmp/city/READY").exists():
                copy_sqlite(args.city or "/tmp/city", var_dir)
                # The copy was built by some earlier commit: bring it to this code's schema (indexes, the
                # search index) first, or the run measures the old schema.
                _manage(var_dir, "migrate", "--noinput", "-v0")
            else:
                build(var_dir, args.city_enterprises)
            print(f"== {size}", flush=True)
            runs[size] = run_size(size, var_dir, url, args.requests, args.timeout, args.budget, args.pages)
    git = ["git", "-C", str(ROOT)]
    meta = {"requests": args.requests,
            "branch": subprocess.run([*git, "branch", "--show-current"], capture_output=True, text=True).stdout.strip(),
            "commit": subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()}
    rows = table(runs, meta)
    print()
    for size in SIZES:
        if size in runs:
            print(f"{size}: {runs[size]['describe']}")
    print_table(rows)
    name = args.name or _unused_name(Path(args.out), f"pages-{date.today().isoformat()}" + (
        "-city-pg" if args.city_url and args.only == "city" else ""))
    md, tsv = write_results(rows, runs, meta, Path(args.out), name)
    print(f"\nwritten: {md.relative_to(ROOT) if md.is_relative_to(ROOT) else md}, {tsv.name}")
    return 0


# --- the worker: one database, in process ------------------------------------------------------------

def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@contextmanager
def deadline(seconds):
    """Stop any query of the block after `seconds` (SQLite: a progress handler; PostgreSQL: statement_timeout)."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        end = time.monotonic() + seconds
        connection.connection.set_progress_handler(lambda: 1 if time.monotonic() > end else 0, 200_000)
        try:
            yield
        finally:
            connection.connection.set_progress_handler(None, 0)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(seconds * 1000)])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")


def _get(client, path, timeout):
    """(ms, response) of one request, or (None, None) when it was stopped at the deadline."""
    from django.db import DatabaseError

    start = time.perf_counter()
    try:
        with deadline(timeout):
            response = client.get(path)
    except DatabaseError:  # interrupted / canceling statement due to statement timeout
        return None, None
    return (time.perf_counter() - start) * 1000, response


def measure_page(client, path, requests, timeout, budget):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm_ms, response = _get(client, path, timeout)
    if response is None:
        return {"timeout": timeout}
    if response.status_code != 200:
        return {"status": response.status_code}
    asked = requests
    if warm_ms > SLOW_MS:
        requests = max(1, min(requests, int(budget * 1000 / warm_ms)))
    times = []
    for _ in range(requests):
        ms, response = _get(client, path, timeout)
        if response is None:
            return {"timeout": timeout}
        times.append(ms)
    with deadline(timeout), CaptureQueriesContext(connection) as queries:  # PostgreSQL: the SETs not counted
        client.get(path)
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "n": len(times), "asked": asked,
            "queries": len(queries)}


def _client(user):
    from django.test import Client

    from shanglian import testing
    from shanglian.accounts.middleware import needs_second_factor

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    if needs_second_factor(user):
        testing.verify_second_factor(client, user)
    return client


def _words(users):
    """Search words that find rows at any size: a word of the appeals' titles, the core of ent1's name."""
    name = users["ent1"].enterprise.name
    for prefix in ("天津市", "天津"):
        name = name.removeprefix(prefix)
    return {"appeal": "贷款", "member": name[:2], "enterprise": users["ent1"].enterprise_id}


def worker(out, size, requests, timeout, budget, only=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings

    from shanglian.accounts.models import User
    from shanglian.accounts.roles import role_of
    from shanglian.appeals.models import Appeal
    from shanglian.members.models import Enterprise
    from shanglian.workbench.tests.page_catalogue import pages_for

    assert not settings.DEBUG
    # Static URLs from the finders (no collectstatic into the scratch dir): one dict lookup less than the manifest.
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    users = {u.username: u for u in User.objects.filter(username__in=ROLES).select_related("enterprise")}
    missing = set(ROLES) - set(users)
    if missing:
        raise SystemExit(f"the database has no demo login {sorted(missing)}: build it with seed_demo")
    words = _words(users)
    describe = (f"{connection.vendor}, {Enterprise.objects.count():,} enterprises, {Appeal.objects.count():,} appeals, "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    print(f"  {describe}; words {words}", flush=True)
    pages = {}
    for username in ROLES:
        user = users[username]
        client = _client(user)
        for page in pages_for(role_of(user)):
            if only and not re.search(only, f"{page.label} {username}"):
                continue
            path = page.path(user, words)
            result = measure_page(client, path, requests, timeout, budget)
            if "status" in result:  # refused to this role (an API list): not its page
                continue
            result.update(kind=page.kind, target=page.target_ms, path=path)
            pages[f"{page.label}|{username}"] = result
            shown = (f"{result['p50']:.1f} / {result['p95']:.1f} ms, {result['queries']} queries"
                     if "p50" in result else f"stopped after {timeout} s")
            print(f"  {username:9} {page.label:45} {shown}", flush=True)
    out.write_text(json.dumps({"describe": describe, "pages": pages, "hand": {}}))  # kept if what follows fails
    if only:
        return 0
    from hand_sql import hand_sql  # bench/hand_sql.py

    hand = hand_sql(users["staff"], requests, timeout, deadline)
    for key, result in hand.items():
        print(f"  hand SQL {key:45} {result['p50']:.1f} / {result['p95']:.1f} ms, {SAME[result['same']]}", flush=True)
    out.write_text(json.dumps({"describe": describe, "pages": pages, "hand": hand}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
