"""Benchmark: 领导驾驶舱 (`reports:dashboard`, `reports.dashboard.build`) at two or more district sizes, next to
the best hand-written SQL for its main figures in the same run (issue: "total server time and query count ... ≤ 300
ms and within 3× of the SQL, with the query count independent of the data size").

    .venv/bin/python bench/bench_dashboard.py [--sizes 1500 20000] [--requests 20] [--db N=DIR ...] [--name NAME]
    make bench-dashboard                                  # SIZES="1500 20000" REQUESTS=20 DB="20000=/tmp/x"

At province scale on PostgreSQL (`gen_scale --scale province`: 1M enterprises, ~10M appeals), in place — the
database is read, never copied; the first login is the one the hand SQL and build() take the scope of:

    .venv/bin/python bench/bench_dashboard.py --sizes 1000000 --db 1000000=/tmp/pgprov \
        --url 1000000=$(scripts/pgcity.sh url province) --logins province leader --name province

For each size N (enterprises), one SQLite database in a scratch dir, each in its own process: built with
`seed_demo --enterprises N` (bench_pages.build: the demo district at 1,500; past it the stream adds firms, members,
three years of appeals at 2 a firm a year and policy pushes — events, donations, proposals … stay the core
district's), or a copy of `--db N=DIR` (a var dir holding db.sqlite3, copied with SQLite's backup API, then
migrated). In the worker (DEBUG off, Django's test client, bench_pages' sign-in with the second factor):

- the page `/reports/dashboard/` as the demo's `leader` and `staff` — this year to date (the default) and last
  year (?year=) — one warm-up, then --requests requests: p50/p95 of the server time, then the queries of one more;
  the full-screen 数据大屏 (`/reports/screen/`, this year) as the first login;
- `dashboard.build(leader, period)` alone (no template), the same way: what of the page is the figures;
- the hand SQL (leader's federations): the statements below for the same period, timed as one set, checked
  against the figures the board shows (differences are printed, not hidden; nothing fails).

The hand SQL covers: 在册会员 by kind (and a year ago, for 同比 and 会员增长率), 新入会 (and a year ago) with its
months, 街道 enterprise members for the map, the appeals' received / accepted / closed / replied / on time / rated
by rating for the period by month and a year ago in one pass (诉求总量, 办结率, 按时办理率, 满意率 and the months'
trend), 当前超期, events held / trainings with their 人次 (and a year ago) and the trainings' months, donations'
total and donor enterprises (and a year ago): 8 statements for 17 of the board's 44 cards and 7 of its series.
Not covered: 三多三少 shares, 商会覆盖 and industries, 参政议政, 党建, 评选表彰, 会员发展, 帮扶村, targets — so the
ratio overstates the page against SQL for everything it shows. The hand SQL reads the rows themselves; the page
reads the appeals' figures from the maintained day summaries (`appeals.summaries`), which the hand SQL does not use.

Results: a Markdown table on stdout and bench/results/dashboard-<date>[-NAME].md. Figures are printed, never
asserted.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_pages, hand_sql

from bench_pages import _client, _manage, build, copy_sqlite, measure_page, percentile  # noqa: E402
from hand_sql import _fetch, _in  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOGINS = ("leader", "staff")  # --logins: the first is the one whose scope build() and the hand SQL take
AIM_MS, AIM_RATIO = 300, 3


# --- the parent: databases, processes, the table ------------------------------------------------------------
def run_size(size, var_dir, requests, logins, url=None):
    env = {**os.environ, "SHANGLIAN_VAR_DIR": str(var_dir), "SHANGLIAN_DEMO": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("DEBUG", None)
    if url:
        env["DATABASE_URL"] = url
    out = Path(tempfile.mkdtemp(prefix="bench-dashboard-out-")) / "bench-dashboard.json"
    done = subprocess.run([sys.executable, __file__, "--worker", str(out), "--requests", str(requests),
                           "--logins", *logins], env=env, cwd=ROOT)
    if done.returncode or not out.exists():
        raise SystemExit(f"the run at {size:,} enterprises failed (exit {done.returncode})")
    return json.loads(out.read_text())


def _ms(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


HEADERS = ["enterprises", "appeals", "page", "login", "served", "p50 ms", "p95 ms", "queries", "build() p50 ms",
           "build() queries", "hand SQL p50 ms", "page p50 ÷ hand SQL", "build() ÷ hand SQL", "aim"]


def rows_of(runs):
    rows = []
    for run in runs:
        hand = run["hand"]
        for page in run["pages"]:
            first = page["login"] == run.get("logins", LOGINS)[0]  # the hand SQL is of the first login's scope
            built = run["build"].get(page["period"]) if first else None
            ratio = page["p50"] / hand[page["period"]]["p50"] if first else None
            computing = built["p50"] / hand[page["period"]]["p50"] if built else None
            ok = page["p95"] <= AIM_MS and (ratio is None or ratio <= AIM_RATIO)
            kept = page.get("kept_ms")
            rows.append([f"{run['firms']:,}", f"{run['appeals']:,}", page["path"], page["login"],
                         f"kept board ({kept / 1000:.1f} s to compute)" if kept is not None else "computed",
                         _ms(page["p50"]), _ms(page["p95"]), str(page["queries"]),
                         _ms(built["p50"]) if built else "", str(built["queries"]) if built else "",
                         _ms(hand[page["period"]]["p50"]) if first else "—",
                         f"{ratio:.2f}×" if first else "—", f"{computing:.1f}×" if computing else "—",
                         "✓" if ok else "✗"])
    return rows


def report(runs, meta):
    lines = [f"# 领导驾驶舱 (reports:dashboard), {meta['date']}", "",
             f"Script: `bench/bench_dashboard.py` — branch `{meta['branch']}` at {meta['commit']}; in process "
             f"(django.test.Client, DEBUG off), one warm-up then {meta['requests']} requests per page, the queries of "
             "one more; the warm-up computes the board, and one slower than SHANGLIAN_BOARD_LIVE_SECONDS is kept and "
             "served from then on (`reports.boards`; \"served\"). `build() …`: `reports.dashboard.build(leader, "
             "period)` alone, no template: computing the board. Hand SQL: "
             "the statements of the script's docstring for the same period (leader's federations), timed as one "
             f"set. Aim: p95 ≤ {AIM_MS} ms and p50 within {AIM_RATIO}× of the hand SQL.", ""]
    for run in runs:
        lines.append(f"- {run['source']}: {run['describe']}")
    lines += ["", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * 5 + "---:|" * (len(HEADERS) - 6) + "---|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows_of(runs)]
    lines += ["", "## Hand SQL", "",
              "Over the rows themselves (members, appeals, events and check-ins, donations) — the page reads the "
              "appeals' figures from the maintained day summaries instead. It covers the main figures only (see the "
              "script's docstring): the ratio compares the whole page with SQL for part of it.", ""]
    for run in runs:
        for period, hand in run["hand"].items():
            check = "the board's figures equal" if not hand["differ"] else \
                "**differs from the board** — " + "; ".join(hand["differ"])
            lines.append(f"- {run['firms']:,} enterprises, {period}: {hand['statements']} statements for "
                         f"{hand['cards_covered']} of the board's {hand['cards']} cards and 7 of its series, "
                         f"p50 {_ms(hand['p50'])} ms, p95 {_ms(hand['p95'])} ms; {check} "
                         f"({hand['checked']} figures and series checked).")
    counts = {}
    for run in runs:
        for page in run["pages"]:
            counts.setdefault((page["path"], page["login"]), set()).add(page["queries"])
        for period, built in run["build"].items():
            counts.setdefault((f"build() {period}", "leader"), set()).add(built["queries"])
    flat = all(len(found) == 1 for found in counts.values())
    lines += ["", "## Query counts", "",
              "The same at every size: " + ("yes" if flat else "**no** — " + "; ".join(
                  f"{path} {login}: {sorted(found)}" for (path, login), found in counts.items() if len(found) > 1)),
              "", f"Machine: {meta['machine']}.", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1500, 20000], help="enterprises of each district")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--db", action="append", default=[], metavar="N=DIR",
                        help="use a copy of this var dir's database for size N instead of building it")
    parser.add_argument("--url", action="append", default=[], metavar="N=DATABASE_URL",
                        help="size N is this PostgreSQL database, read in place (--db N=DIR names its var dir)")
    parser.add_argument("--logins", nargs="+", default=list(LOGINS),
                        help="the logins measured; the first gives build()'s and the hand SQL's scope")
    parser.add_argument("--name", default="", help="added to the results' file name")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(Path(args.worker), args.requests, args.logins)
    given = {int(n): d for n, d in (item.split("=", 1) for item in args.db)}
    urls = {int(n): u for n, u in (item.split("=", 1) for item in args.url)}
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as scratch:
        for size in args.sizes:
            var_dir = Path(scratch) / str(size)
            (var_dir / "staticfiles").mkdir(parents=True)
            if size in urls:
                var_dir = Path(given[size])
                source = f"PostgreSQL database `{urls[size].rsplit('/', 1)[-1]}` (read in place)"
            elif size in given:
                copy_sqlite(given[size], var_dir)
                _manage(var_dir, "migrate", "--noinput", "-v0")
                source = f"SQLite, a copy of `{given[size]}`"
            else:
                build(var_dir, size)
                source = f"SQLite, `seed_demo --enterprises {size}`"
            print(f"== {size:,} enterprises", flush=True)
            runs.append({"enterprises": size, "source": source,
                         **run_size(size, var_dir, args.requests, args.logins, urls.get(size))})
            if size not in urls:
                shutil.rmtree(var_dir, ignore_errors=True)
    git = ["git", "-C", str(ROOT)]
    meta = {"date": date.today().isoformat(), "requests": args.requests,
            "branch": subprocess.run([*git, "branch", "--show-current"], capture_output=True, text=True).stdout.strip(),
            "commit": subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
            "machine": f"{os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
                       "at the end"}
    text = report(runs, meta)
    print()
    print(text)
    out = Path(args.out) / f"dashboard-{meta['date']}{'-' + args.name if args.name else ''}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"written: {out}")
    return 0


# --- the hand SQL --------------------------------------------------------------------------------------------
IN_FORCE = ("joined <= %s AND (\"left\" IS NULL OR \"left\" > %s) AND (suspended_on IS NULL OR suspended_on > %s)")


def _bucket(column, firsts):
    """CASE giving the index of the month (its first instant or day in `firsts`, ascending) `column` falls in."""
    whens = " ".join(f"WHEN {column} < %s THEN {n - 1}" for n in range(1, len(firsts)))
    return f"CASE {whens} ELSE {len(firsts) - 1} END" if whens else "0", list(firsts[1:])


def _monthly(rows, months, *columns):
    found = {row[0]: row[1:] for row in rows}
    return [[(found.get(n) or (0,) * len(columns))[i] or 0 for n in range(months)] for i in range(len(columns))]


def hand_figures(federations, period, today):
    """The dashboard's main figures by hand-written SQL: ({name: value}, statements run)."""
    from datetime import datetime
    from datetime import time as dtime

    from django.db import connection
    from django.utils import timezone

    from shanglian.appeals.models import OPEN_STATES, Rating, Status

    tz = timezone.get_current_timezone()
    adapt = connection.ops.adapt_datetimefield_value  # the stored form (SQLite: UTC text)
    ago = period.year_ago()
    start, end = (adapt(x) for x in period.bounds)
    ago_start, ago_end = (adapt(x) for x in ago.bounds)
    months = period.months()
    instants = [adapt(datetime.combine(m, dtime.min, tzinfo=tz)) for m in months]
    fed, feds = _in(federations), list(federations)
    on = period.as_of()  # the map's day (members in force are counted on the period's last day)
    found, statements = {}, 0

    # 1. members in force by kind now and a year ago, joined in the period and a year ago
    rows = _fetch(
        f"SELECT kind, SUM(CASE WHEN {IN_FORCE} THEN 1 ELSE 0 END), SUM(CASE WHEN {IN_FORCE} THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN joined >= %s AND joined <= %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN joined >= %s AND joined <= %s THEN 1 ELSE 0 END) "
        f"FROM members_membership WHERE federation_id IN ({fed}) GROUP BY kind",  # noqa: S608
        [period.end] * 3 + [ago.end] * 3 + [period.start, period.end, ago.start, ago.end, *feds])
    statements += 1
    for kind, now, before, joined, joined_before in rows:
        found[f"members.in_force.{kind}"] = now or 0
        found.setdefault("members.in_force", 0)
        found["members.in_force"] += now or 0
        found.setdefault("members.in_force@ago", 0)
        found["members.in_force@ago"] += before or 0
        found["members.joined"] = found.get("members.joined", 0) + (joined or 0)
        found["members.joined@ago"] = found.get("members.joined@ago", 0) + (joined_before or 0)
    # 2. new members by month
    case, params = _bucket("joined", months)
    rows = _fetch(f"SELECT {case} AS m, COUNT(*) FROM members_membership WHERE federation_id IN ({fed}) "  # noqa: S608
                  "AND joined >= %s AND joined <= %s GROUP BY m", [*params, *feds, period.start, period.end])
    statements += 1
    found["months:members.joined"], = _monthly(rows, len(months), "n")
    # 3. enterprise members in force by street (the map)
    rows = _fetch("SELECT s.name, COUNT(*) FROM members_membership m JOIN members_enterprise e ON e.id = m.enterprise_id "
                  "JOIN orgs_street s ON s.id = e.street_id WHERE m.federation_id IN "  # noqa: S608
                  f"({fed}) AND m.kind = 'enterprise' AND m.joined <= %s AND (m.\"left\" IS NULL OR m.\"left\" > %s) "
                  "AND (m.suspended_on IS NULL OR m.suspended_on > %s) GROUP BY s.id, s.name",
                  [*feds, on, on, on])
    statements += 1
    found["streets"] = sorted((name, n) for name, n in rows)
    # 4. the appeals of the period by month and of a year ago (-1), in one pass over both ranges (the period's
    # figures are the sums of its months'); 5. overdue today
    case, params = _bucket("submitted_at", instants)
    sums = ("COUNT(*), SUM(CASE WHEN status NOT IN (%s, %s) THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), SUM(CASE WHEN replied_on_time IS NOT NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN replied_on_time = %s THEN 1 ELSE 0 END), SUM(CASE WHEN rating = %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN rating = %s THEN 1 ELSE 0 END), SUM(CASE WHEN rating = %s THEN 1 ELSE 0 END)")
    sum_params = [Status.SUBMITTED, Status.REJECTED, Status.CLOSED, True, Rating.SATISFIED, Rating.BASICALLY,
                  Rating.UNSATISFIED]
    rows = _fetch(f"SELECT CASE WHEN submitted_at < %s THEN -1 ELSE {case} END AS m, {sums} "  # noqa: S608
                  f"FROM appeals_appeal WHERE federation_id IN ({fed}) AND ((submitted_at >= %s AND submitted_at < %s) "
                  "OR (submitted_at >= %s AND submitted_at < %s)) GROUP BY m",
                  [start, *params, *sum_params, *feds, start, end, ago_start, ago_end])
    statements += 1
    names = ("received", "accepted", "closed", "replied", "on_time", "satisfied", "basically", "unsatisfied")
    by_month = {m: dict(zip(names, (v or 0 for v in values), strict=True)) for m, *values in rows}
    empty = dict.fromkeys(names, 0)
    found["appeals@ago"] = by_month.get(-1, empty)
    now = [by_month.get(n, empty) for n in range(len(months))]
    found["appeals@now"] = {name: sum(row[name] for row in now) for name in names}
    found["months:appeals"] = [[row["received"] for row in now], [row["closed"] for row in now],
                               [row["satisfied"] + row["basically"] for row in now],
                               [row["satisfied"] + row["basically"] + row["unsatisfied"] for row in now]]
    found["appeals.overdue"] = _fetch(
        f"SELECT COUNT(*) FROM appeals_appeal WHERE federation_id IN ({fed}) "  # noqa: S608
        f"AND status IN ({_in(OPEN_STATES)}) AND deadline < %s", [*feds, *OPEN_STATES, today])[0][0]
    statements += 1
    # 7. events held and trainings (the period's by month, and a year ago), 8. their 人次
    held = ("e.status NOT IN ('draft', 'cancelled') AND ((e.starts_at >= %s AND e.starts_at < %s) "
            "OR (e.starts_at >= %s AND e.starts_at < %s))")
    case, params = _bucket("e.starts_at", instants)
    training = "CASE WHEN k.code IN ('training', 'seminar') THEN 1 ELSE 0 END"
    for table, join in (("events", ""), ("checkins", "JOIN events_checkin c ON c.event_id = e.id ")):
        rows = _fetch(f"SELECT CASE WHEN e.starts_at < %s THEN -1 ELSE {case} END AS m, COUNT(*), SUM({training}) "  # noqa: S608
                      f"FROM events_event e {join}JOIN common_dictitem k ON k.id = e.kind_id "
                      f"WHERE e.federation_id IN ({fed}) AND {held} GROUP BY m",
                      [start, *params, *feds, start, end, ago_start, ago_end])
        statements += 1
        by_month = {m: (n or 0, t or 0) for m, n, t in rows}
        now = [by_month.get(n, (0, 0)) for n in range(len(months))]
        found[f"{table}.all"] = sum(n for n, _ in now)
        found[f"{table}.training"] = sum(t for _, t in now)
        found[f"{table}.training@ago"] = by_month.get(-1, (0, 0))[1]
        found[f"months:{table}.training"] = [t for _, t in now]
    # 9. donations: the total and the donor enterprises, the period's and a year ago
    rows = _fetch("SELECT CASE WHEN donated_on >= %s THEN 'now' ELSE 'ago' END AS p, SUM(cash), SUM(goods_value), "
                  "COUNT(DISTINCT donor_enterprise_id) FROM welfare_donation WHERE federation_id IN "  # noqa: S608
                  f"({fed}) AND ((donated_on >= %s AND donated_on <= %s) OR (donated_on >= %s AND donated_on <= %s)) "
                  "GROUP BY p", [period.start, *feds, period.start, period.end, ago.start, ago.end])
    statements += 1
    for which, cash, goods, donors in rows:
        found[f"welfare@{which}"] = (cash or 0, goods or 0, donors or 0)
    return found, statements


def shown_figures(found, compared):
    """The board's names and values of `found` (the hand SQL's), as the page computes them from its counts."""
    from decimal import Decimal

    from shanglian.common.money import fen, wan
    from shanglian.ui.figures import share

    empty = dict.fromkeys(("received", "accepted", "closed", "replied", "on_time", "satisfied", "basically",
                           "unsatisfied"), 0)
    now, ago = found.get("appeals@now", empty), found.get("appeals@ago", empty)
    cash, goods, donors = found.get("welfare@now", (0, 0, 0))
    rated = now["satisfied"] + now["basically"] + now["unsatisfied"]
    received, closed, good, rated_by_month = found["months:appeals"]
    shown = {
        "members.in_force": found.get("members.in_force", 0),
        **{f"members.in_force.{k}": found.get(f"members.in_force.{k}", 0) for k in ("enterprise", "group", "individual")},
        "members.joined": found.get("members.joined", 0),
        "members.growth_rate": share(found.get("members.in_force", 0) - found.get("members.in_force@ago", 0),
                                     found.get("members.in_force@ago", 0)),
        "appeals.received": now["received"], "appeals.closure_rate": share(now["closed"], now["accepted"]),
        "appeals.on_time_rate": share(now["on_time"], now["replied"]),
        "appeals.satisfaction_rate": share(now["satisfied"] + now["basically"], rated),
        "appeals.overdue": found["appeals.overdue"],
        "events.held": found["events.all"], "events.trainings": found["events.training"],
        "events.attendance": found["checkins.all"], "events.training_attendance": found["checkins.training"],
        "welfare.total": wan(fen(Decimal(cash) + Decimal(goods))), "welfare.donor_enterprises": donors,
        "series members.joined": found["months:members.joined"],
        "series events.trainings": found["months:events.training"],
        "series events.training_attendance": found["months:checkins.training"],
        "series appeals received": received, "series appeals closed": closed,
        "series appeals satisfaction": [share(g, r) for g, r in zip(good, rated_by_month, strict=True)],
        "streets": found["streets"],
    }
    if compared:  # 同比 of the headline's
        shown["year ago members.in_force"] = found.get("members.in_force@ago", 0)
        shown["year ago members.joined"] = found.get("members.joined@ago", 0)
        shown["year ago appeals.received"] = ago["received"]
        shown["year ago appeals.satisfaction_rate"] = share(
            ago["satisfied"] + ago["basically"], ago["satisfied"] + ago["basically"] + ago["unsatisfied"])
        shown["year ago events.training_attendance"] = found["checkins.training@ago"]
        a_cash, a_goods, _ = found.get("welfare@ago", (0, 0, 0))
        shown["year ago welfare.total"] = wan(fen(Decimal(a_cash) + Decimal(a_goods)))
    return shown


def board_figures(board):
    """The same names read off the board `reports.dashboard.build` made."""
    from shanglian.ui.figures import chart_number

    cards = {card.key: card for section in board.sections for card in section.cards}
    cards.update({card.key: card for card in board.headline})
    shown = {key: card.value for key, card in cards.items()}
    data = board.data
    n = len(data["appeals"]["received"])
    shown.update({
        "series members.joined": data.get("members.joined"), "series events.trainings": data.get("events.trainings"),
        "series events.training_attendance": data.get("events.training_attendance"),
        "series appeals received": data["appeals"]["received"], "series appeals closed": data["appeals"]["closed"],
        "series appeals satisfaction": data["appeals"]["satisfaction"], "_months": n, "_chart": chart_number,
        "streets": sorted((row["name"], row["value"]) for row in data["streets"]),
        "_streets_listed": len(data["streets"]) if "streetsAll" in data else None,
    })
    for card in board.headline:
        if card.compared:
            shown[f"year ago {card.key}"] = card.year_ago
    return shown


def compare(hand, board):
    """[differences] between the hand SQL's figures and the board's, and how many were compared."""
    differ, checked = [], 0
    chart, months = board["_chart"], board["_months"]
    for key, value in hand.items():
        if key not in board:
            continue
        theirs = board[key]
        if key == "series appeals satisfaction":
            value = [chart(v) for v in value]
        if key.startswith("series appeals"):
            value = value[:months]  # the desk's rows stop at this month
        if key == "streets" and board.get("_streets_listed") is not None:  # a board without a map lists the top N
            value = sorted(sorted(value, key=lambda row: (-row[1], row[0]))[:board["_streets_listed"]])
        checked += 1
        if value != theirs and str(value) != str(theirs):
            differ.append(f"{key}: hand {value} vs board {theirs}")
    return differ, checked


def time_hand(federations, period, today, requests):
    times = []
    for _ in range(requests + 1):  # the first is the warm-up
        began = time.perf_counter()
        found, statements = hand_figures(federations, period, today)
        times.append((time.perf_counter() - began) * 1000)
    return found, statements, percentile(times[1:], 0.5), percentile(times[1:], 0.95)


# --- the worker: one database, in process ----------------------------------------------------------------------
def worker(out, requests, logins):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from shanglian.accounts.models import User
    from shanglian.appeals.models import Appeal
    from shanglian.common.dbstats import refresh_planner_statistics
    from shanglian.common.periods import Period
    from shanglian.members.models import Enterprise
    from shanglian.orgs.selectors import federation_ids_in_scope
    from shanglian.reports import boards, dashboard
    from shanglian.reports.models import KeptBoard

    assert not settings.DEBUG
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    if connection.vendor == "sqlite":
        refresh_planner_statistics()  # (a PostgreSQL database read in place was analysed when it was built)
    users = {u.username: u for u in User.objects.filter(username__in=logins)}
    today = timezone.localdate()
    last = today.year - 1
    periods = {"this year to date": dashboard.year_to_date(today), f"{last}": Period.year(last)}
    paths = {"this year to date": "/reports/dashboard/", f"{last}": f"/reports/dashboard/?year={last}"}
    enterprises, appeals = Enterprise.objects.count(), Appeal.objects.count()
    describe = (f"{enterprises:,} enterprises, {appeals:,} appeals, load average {os.getloadavg()[0]:.1f} on "
                f"{os.cpu_count()} cores at the start")
    print(f"  {describe}", flush=True)
    KeptBoard.objects.all().delete()  # derived: each run computes its boards afresh (the warm-up keeps slow ones)
    pages = []
    for login in logins:
        client = _client(users[login])
        asked = list(paths.items()) + ([("this year to date", "/reports/screen/")] if login == logins[0] else [])
        for period, path in asked:
            result = measure_page(client, path, requests, 120, 60)
            if "p50" not in result:
                raise SystemExit(f"{path} as {login}: {result}")
            key = boards.board_key(users[login], periods[period], rolling=period == "this year to date")
            kept = KeptBoard.objects.filter(key=key).first()
            result["kept_ms"] = kept.build_ms if kept is not None else None
            pages.append({"path": path, "login": login, "period": period, **result})
            print(f"  {login:7} {path:32} {result['p50']:.1f} / {result['p95']:.1f} ms, {result['queries']} queries"
                  + (f" (a kept board, computed in {kept.build_ms:,} ms)" if kept else ""), flush=True)
    leader = users[logins[0]]
    built, hand = {}, {}
    federations = sorted(federation_ids_in_scope(leader))
    for period_name, period in periods.items():
        board = dashboard.build(leader, period)  # warm-up
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            dashboard.build(leader, period)
            times.append((time.perf_counter() - began) * 1000)
        with CaptureQueriesContext(connection) as queries:
            dashboard.build(leader, period)
        built[period_name] = {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "queries": len(queries)}
        found, statements, p50, p95 = time_hand(federations, period, today, requests)
        differ, checked = compare(shown_figures(found, board.compared), board_figures(board))
        cards = {card.key for section in board.sections for card in section.cards} | {c.key for c in board.headline}
        covered = cards & set(shown_figures(found, False))
        hand[period_name] = {"p50": p50, "p95": p95, "statements": statements, "differ": differ, "checked": checked,
                             "cards": len(cards), "cards_covered": len(covered)}
        print(f"  build() {period_name:20} {built[period_name]['p50']:.1f} ms, {len(queries)} queries; hand SQL "
              f"{p50:.1f} / {p95:.1f} ms ({statements} statements), {len(differ)} of {checked} differ", flush=True)
        for line in differ:
            print(f"    {line}", flush=True)
    out.write_text(json.dumps({"describe": describe, "firms": enterprises, "appeals": appeals, "pages": pages,
                               "logins": list(logins), "backend": connection.vendor,
                               "build": built, "hand": hand}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
