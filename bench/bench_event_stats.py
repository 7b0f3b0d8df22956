"""Benchmark: 活动统计 (events:statistics) over 10 years × 2,000 events × 100,000 check-ins (issue 20).

    .venv/bin/python bench/bench_event_stats.py [--enterprises 100000] [--events 2000] [--checkins 100000]
                                                [--requests 20] [--var /tmp/eventstats] [--keep] [--name NAME]

One SQLite database in a temporary var dir (or --var): the demo district's core (1,500 firms, its chambers,
members and logins: `members.demo.build`) grown to `--enterprises` firms by `members.demo.stream`, then ten
years of events written directly with `demo.saving.write_rows` — `--events` in all, a tenth a year, each
inviting firms (80 % accept, 90 % of them come) so that the check-ins come to about `--checkins` in all with a
few walk-ins, feedback on a fifth of the trainings' check-ins. The issue's dataset is the default (2,000 events,
100,000 check-ins); the city's ~2,000 events a year is `--events 20000 --checkins 1000000`. The events are
written in two steps — first 10 % of each year's, then the rest — and after each step (ANALYZE first):

- the statistics page is rendered `--requests` times in process (Django's test client, DEBUG off, after one
  warm-up) as the demo's staff and chamber1, for this year, last year, last year with a programme chosen and
  three years: p50/p95 of the server time and the query count — the count must be the same at both sizes;
- the baseline: hand-written SQL of the same figures for last year (活动场次, 签到人次, 培训人次, 会员企业参与率
  and 全区企业参与率 with their denominators), checked equal to the figures the page shows (the run fails
  otherwise), and its time.

Results: printed and written to bench/results/event-stats-<date>[-NAME].md. Times are printed, never asserted. Aim
(issue 20): p95 ≤ 200 ms on SQLite, the query count flat.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = [("training", 28), ("seminar", 7), ("symposium", 14), ("breakfast", 14), ("dialogue", 6), ("forum", 10),
         ("promotion", 8), ("job_fair", 5), ("study_tour", 8)]
YEARS = 10
FIRST_STEP = 0.10


def setup_django(var_dir):
    os.environ["SHANGLIAN_VAR_DIR"] = var_dir
    os.environ["SHANGLIAN_DEMO"] = "1"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# --- the district ------------------------------------------------------------------------------------------
def build_district(enterprises):
    from django.db import transaction

    from shanglian.members import demo as members_demo

    started = time.perf_counter()
    with transaction.atomic():
        result = members_demo.build(enterprises=min(enterprises, 1500))
        if enterprises > 1500:
            result.streamed = members_demo.stream(result, enterprises - 1500, batch=5000)
    print(f"district: {enterprises:,} firms in {time.perf_counter() - started:.0f} s", flush=True)
    return result


class EventWriter:
    """Ten years of events of the district, year by year, each event drawn from its own generator (year, k), so
    the first step's events and the second's together are the same whatever the steps."""

    def __init__(self, result, per_year, per_event, today):
        from django.utils import timezone

        from shanglian.common.models import DictItem
        from shanglian.events.models import Programme
        from shanglian.members.models import Enterprise
        from shanglian.orgs.models import Chamber

        self.district = result.federation
        self.users = result.users
        self.per_year, self.today = per_year, today
        # invitations an event sends for `per_event` check-ins: 80 % accept and 90 % of them come, 5 % of the
        # 10 % who never answer come too, and 2–8 walk-ins
        self.invited = max(1.0, (per_event - 5) / (0.8 * 0.9 + 0.1 * 0.05))
        self.years = list(range(today.year - YEARS + 1, today.year + 1))
        self.kinds = dict(DictItem.objects.filter(kind="event_kind").values_list("code", "pk"))
        self.chambers = list(Chamber.objects.filter(federation=self.district).order_by("pk").values_list("pk", flat=True))
        self.firms = list(Enterprise.objects.filter(federation=self.district).values_list("pk", flat=True))
        self.programmes = {year: Programme.objects.create(federation=self.district, name=f"{year}年度非公经济人士培训",
                                                          year=year).pk for year in self.years}
        self.tz = timezone.get_current_timezone()
        self.written = 0

    def write(self, share_from, share_to):
        """The events k of each year with share_from ≤ k / per_year < share_to."""
        from django.db import transaction

        from shanglian.demo.saving import next_id, reset_sequences, write_rows
        from shanglian.events.demo import CHECKIN_COLUMNS, EVENT_COLUMNS, FEEDBACK_COLUMNS, INVITATION_COLUMNS
        from shanglian.events.models import CheckIn, Event, Feedback, Invitation

        started, rows_written = time.perf_counter(), 0
        with transaction.atomic():
            event_id, invitation_id, checkin_id = next_id(Event), next_id(Invitation), next_id(CheckIn)
            staff = self.users["staff"].pk
            for year in self.years:
                last = self.today - timedelta(days=1) if year == self.today.year else date(year, 12, 31)
                days = (last - date(year, 1, 1)).days + 1
                count = round(self.per_year * days / 365)
                events, invitations, checkins, feedback = [], [], [], []
                for k in range(int(count * share_from), int(count * share_to)):
                    rng = random.Random(f"{year}:{k}")
                    kind = rng.choices([c for c, _ in KINDS], [w for _, w in KINDS])[0]
                    day = date(year, 1, 1) + timedelta(days=rng.randrange(days))
                    starts = datetime.combine(day, rng.choice((dtime(9), dtime(14), dtime(7, 30)))).replace(
                        tzinfo=self.tz)
                    chamber = None
                    if rng.random() < 0.3:
                        chamber = self.chambers[0] if rng.random() < 0.15 else rng.choice(self.chambers)
                    training = kind in ("training", "seminar")
                    events.append((
                        event_id, f"HB{year}{k:06d}", self.district.pk, f"基准活动{year}-{k}", self.kinds[kind], "",
                        "chamber" if chamber else "federation", chamber, None, "",
                        self.programmes[year] if training else None, starts, starts + timedelta(hours=3),
                        "区工商联三楼会议室", None, None, "", "", "", "",
                        "cancelled" if rng.random() < 0.02 else "finished", "", f"b{event_id}", staff,
                        starts - timedelta(days=14)))
                    invited = rng.randint(round(0.8 * self.invited), round(1.2 * self.invited))
                    for firm in rng.sample(self.firms, min(invited, len(self.firms))):
                        draw = rng.random()
                        status = "accepted" if draw < 0.8 else "declined" if draw < 0.9 else "pending"
                        invitations.append((invitation_id, event_id, None, firm, f"企业{firm}", "", "site", status, "",
                                            None, None, f"c{invitation_id}", starts - timedelta(days=14), staff))
                        if (status == "accepted" and rng.random() < 0.9) or (status == "pending" and rng.random() < 0.05):
                            checkins.append((checkin_id, event_id, invitation_id, None, firm, f"企业{firm}", "", "",
                                             "scan", starts - timedelta(minutes=rng.randint(0, 40)), staff))
                            if training and rng.random() < 0.2:
                                feedback.append((checkin_id, rng.choice((5, 5, 5, 4, 4, 3)), "", "",
                                                 starts + timedelta(hours=5), None))
                            checkin_id += 1
                        invitation_id += 1
                    for _ in range(rng.randint(2, 8)):
                        checkins.append((checkin_id, event_id, None, None, None, "来宾", "", "", "walk_in", starts, staff))
                        checkin_id += 1
                    event_id += 1
                for model, columns, rows in ((Event, EVENT_COLUMNS, events), (Invitation, INVITATION_COLUMNS, invitations),
                                             (CheckIn, CHECKIN_COLUMNS, checkins),
                                             (Feedback, FEEDBACK_COLUMNS, feedback)):
                    for start in range(0, len(rows), 5000):
                        rows_written += write_rows(model, columns, rows[start:start + 5000])
                self.written += len(events)
            reset_sequences(Event, Invitation, CheckIn)
        print(f"events {share_from:.0%}–{share_to:.0%}: {rows_written:,} rows in {time.perf_counter() - started:.0f} s",
              flush=True)


# --- measuring ---------------------------------------------------------------------------------------------
def client_of(user):
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def measure(client, path, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "mean": statistics.mean(times),
            "queries": len(queries)}


BASELINE_SQL = {
    "活动场次": "SELECT COUNT(*) FROM events_event e WHERE {held}",
    "签到人次": "SELECT COUNT(*) FROM events_checkin c JOIN events_event e ON e.id = c.event_id WHERE {held}",
    "培训人次": ("SELECT COUNT(*) FROM events_checkin c JOIN events_event e ON e.id = c.event_id"
                 " JOIN common_dictitem k ON k.id = e.kind_id WHERE {held} AND k.code IN ('training', 'seminar')"),
    "会员企业": ("SELECT COUNT(DISTINCT m.enterprise_id) FROM members_membership m WHERE m.federation_id = %(fed)s"
                 " AND m.kind = 'enterprise' AND {in_force}"),
    "参与会员企业": ("SELECT COUNT(DISTINCT c.enterprise_id) FROM events_checkin c JOIN events_event e ON e.id = c.event_id"
                     " WHERE {held} AND c.enterprise_id IN (SELECT m.enterprise_id FROM members_membership m"
                     " WHERE m.federation_id = %(fed)s AND m.kind = 'enterprise' AND {in_force})"),
    "企业": "SELECT COUNT(*) FROM members_enterprise WHERE federation_id = %(fed)s",
    "参与企业": ("SELECT COUNT(DISTINCT c.enterprise_id) FROM events_checkin c JOIN events_event e ON e.id = c.event_id"
                 " JOIN members_enterprise x ON x.id = c.enterprise_id WHERE {held} AND x.federation_id = %(fed)s"),
}


def baseline(user, year, requests):
    """The figures of `year` for the federation by hand-written SQL: (values, p50 ms, p95 ms of the whole set)."""
    from django.db import connection

    from shanglian.common.periods import Period

    start, end = Period.year(year).bounds
    held = ("e.federation_id = %(fed)s AND e.starts_at >= %(start)s AND e.starts_at < %(end)s"
            " AND e.status NOT IN ('draft', 'cancelled')")
    in_force = ("m.joined <= %(on)s AND (m.\"left\" IS NULL OR m.\"left\" > %(on)s)"
                " AND (m.suspended_on IS NULL OR m.suspended_on > %(on)s)")
    adapt = connection.ops.adapt_datetimefield_value  # the stored form (SQLite: UTC text)
    params = {"fed": user.federation_id, "start": adapt(start), "end": adapt(end), "on": date(year, 12, 31)}
    times, values = [], {}
    for _ in range(requests + 1):
        began = time.perf_counter()
        with connection.cursor() as cursor:
            for name, sql in BASELINE_SQL.items():
                cursor.execute(sql.format(held=held, in_force=in_force), params)
                values[name] = cursor.fetchone()[0]
        times.append((time.perf_counter() - began) * 1000)
    return values, percentile(times[1:], 0.5), percentile(times[1:], 0.95)


def check_baseline(user, year, values):
    from shanglian.common.periods import Period
    from shanglian.events import figures

    report = figures.period_report(user, Period.year(year))
    ours = {"活动场次": report.all.events, "签到人次": report.all.attendance, "培训人次": report.trainings.attendance,
            "会员企业": report.participation.members, "参与会员企业": report.participation.members_attending,
            "企业": report.participation.enterprises, "参与企业": report.participation.enterprises_attending}
    if ours != values:
        raise SystemExit(f"the page's figures differ from the hand SQL: {ours} vs {values}")
    return ours


def run_step(label, writer, users, requests):
    from django.db import connection

    from shanglian.common.dbstats import refresh_planner_statistics
    from shanglian.events.models import CheckIn, Event

    refresh_planner_statistics()
    today = writer.today
    last = today.year - 1
    programme = writer.programmes[last]
    pages = [
        ("staff", "/events/statistics/"),
        ("staff", f"/events/statistics/?year={last}"),
        ("staff", f"/events/statistics/?year={last}&programme={programme}"),
        ("staff", f"/events/statistics/?start={last - 2}-01-01&end={last}-12-31"),
        ("staff", f"/events/statistics/records/events.attendance/?year={last}"),
        ("chamber1", "/events/statistics/"),
        ("chamber1", f"/events/statistics/?year={last}"),
    ]
    clients = {name: client_of(users[name]) for name in ("staff", "chamber1")}
    rows = [(who, path, measure(clients[who], path, requests)) for who, path in pages]
    values, base_p50, base_p95 = baseline(users["staff"], last, requests)
    check_baseline(users["staff"], last, values)
    sizes = {"events": Event.objects.count(), "checkins": CheckIn.objects.count(),
             "checkins_last_year": CheckIn.objects.filter(event__starts_at__year=last).count()}
    connection.close()
    return {"label": label, "rows": rows, "baseline": (values, base_p50, base_p95), "sizes": sizes}


def report(steps, meta):
    lines = [f"# 活动统计 over {YEARS} years: {meta['events']:,} events, ~{meta['checkins']:,} check-ins (issue 20), "
             f"{meta['date']}", "",
             "Script: `bench/bench_event_stats.py` (SQLite, in process through Django's test client, DEBUG off, one "
             f"warm-up then {meta['requests']} requests per page; the query count of one more request).",
             f"District: {meta['enterprises']:,} firms (`members.demo` core + stream); events written directly "
             f"(`write_rows`): {meta['events']:,} events and ~{meta['checkins']:,} check-ins over {YEARS} years, in two "
             f"steps. Machine: {meta['machine']}.",
             ""]
    for step in steps:
        s = step["sizes"]
        lines += [f"## {step['label']}: {s['events']:,} events, {s['checkins']:,} check-ins "
                  f"({s['checkins_last_year']:,} last year)", "",
                  "| page | login | p50 ms | p95 ms | queries |", "|---|---|---:|---:|---:|"]
        for who, path, r in step["rows"]:
            lines.append(f"| `{path}` | {who} | {r['p50']:.0f} | {r['p95']:.0f} | {r['queries']} |")
        worst = max(r["p95"] for _who, path, r in step["rows"] if "/records/" not in path)
        lines += ["", f"Worst p95 of the statistics page: {worst:.0f} ms — "
                      f"{'within' if worst <= 200 else '**over**'} the aim of 200 ms."]
        values, p50, p95 = step["baseline"]
        lines += ["", f"Baseline, hand-written SQL of last year's figures (7 statements, equal to the page's): "
                      f"p50 {p50:.0f} ms, p95 {p95:.0f} ms — " + "，".join(f"{k} {v:,}" for k, v in values.items()), ""]
    flat = all(a[2]["queries"] == b[2]["queries"] for a, b in zip(steps[0]["rows"], steps[-1]["rows"], strict=True))
    lines += ["## Query counts", "", "The same at both sizes: " + ("yes" if flat else "**no**"), ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2000, help="events over the ten years")
    parser.add_argument("--checkins", type=int, default=100_000, help="check-ins over the ten years (about)")
    parser.add_argument("--name", default="", help="added to the results' file name")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--var", default="", help="var dir of the database (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    var = args.var or tempfile.mkdtemp(prefix="eventstats-")
    Path(var, "staticfiles").mkdir(parents=True, exist_ok=True)
    setup_django(var)
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    call_command("migrate", verbosity=0)
    result = build_district(args.enterprises)
    writer = EventWriter(result, args.events / YEARS, args.checkins / args.events, timezone.localdate())
    steps = []
    writer.write(0, FIRST_STEP)
    steps.append(run_step(f"{FIRST_STEP:.0%} of the events", writer, result.users, args.requests))
    writer.write(FIRST_STEP, 1)
    steps.append(run_step("100 % of the events", writer, result.users, args.requests))
    meta = {"date": timezone.localdate().isoformat(), "requests": args.requests, "enterprises": args.enterprises,
            "events": args.events, "checkins": args.checkins, "machine": f"{os.cpu_count()} cores, load average "
                                             f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end"}
    text = report(steps, meta)
    print(text)
    out = Path(args.out) / f"event-stats-{meta['date']}{'-' + args.name if args.name else ''}.md"
    out.write_text(text + "\n", encoding="utf-8")
    print(f"written: {out}")
    if not args.keep and not args.var:
        import shutil

        shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
