"""Benchmark: the door of a 500-person 早餐会 (issue 20) — the scans posted over loopback to the served app.

    .venv/bin/python bench/bench_checkin.py [--invitees 500] [--sessions 12] [--seconds 50] [--workers 2]
    make bench-checkin                                            # the same
    scripts/with-postgres.sh make bench-checkin                   # SQLite, then PostgreSQL too

Each database in a throw-away place: SQLite in a scratch var dir (migrated), PostgreSQL (when DATABASE_URL is
set) in a database created next to the one DATABASE_URL names and dropped afterwards. In it: one 早餐会 under
way, `--invitees` enterprises invited (answered 参加), `--sessions` door staff, each signed in (a session row,
as after the login page). The app is served by gunicorn on 127.0.0.1 (sync workers, `--workers`, as
scripts/serve.sh serves it; DEBUG off) and a bounded load generator — a pool of `--sessions` threads, one
phone each — posts to `events:door_scan` what the door's phones post (payload + nonce, asking for JSON):

  baseline   the same number of scans of a forged code: the same endpoint, session, scope check and one
             logged Scan row, answered 拒绝 — the floor under a check-in, measured in the same run
  check-in   every invitee's code once, each a fresh nonce; ~5 % of them uploaded again later with the same
             nonce (a phone that got no answer sends again); a few invitees scanned again by another phone
             (double scans, fresh nonces) — all spread over `--seconds` (a door, not a benchmark loop;
             --seconds 0: as fast as the pool can post)

Server time is gunicorn's own measure of each request (access log `%(D)s`: from the parsed request to the
last byte of the answer, without the wait in the listen queue); the round trip at the client (queueing
included) is shown beside it. Checked afterwards in the database, the run fails otherwise: every invitee
checked in exactly once (CheckIn rows = invitees = distinct invitations), one 签到成功 per invitee, every double
scan answered 已签到 and logged, every repeated upload answered with its first answer (`repeat`, the same scan
id) and logged once. Output: a table on stdout and bench/results/checkin-<date>.md (-2, -3 … when a run of the
same day wrote that name). Figures are printed, never asserted; the aim is p95 server time ≤ 100 ms on SQLite.
"""

import argparse
import json
import os
import queue
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
AIM_MS = 100
REPEAT_SHARE = 0.05  # uploads sent again with the same nonce
DOUBLE_SCANS = 10  # invitees scanned again by another phone


# --- the database side (run in a child process with Django set up) -------------------------------------------
def setup_django(var_dir, database_url):
    os.environ["SHANGLIAN_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(args):
    """Migrate (SQLite) or create the throw-away database (PostgreSQL), then the event, its invitees and the
    door staff's sessions. Prints the JSON the load generator needs."""
    setup_django(args.var, args.database_url)
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from shanglian import testing
    from shanglian.accounts.roles import Role
    from shanglian.common.dbstats import refresh_planner_statistics
    from shanglian.events import tokens
    from shanglian.events.models import Invitation

    started = time.perf_counter()
    database_url = args.database_url
    if connection.vendor == "postgresql":
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        parts = urlsplit(args.database_url)
        database_url = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        call_command("migrate", verbosity=0)
    testing.ensure_reference_data()
    district = testing.make_federation(name="河西区工商联", level="county", region_code="120103")
    event = testing.make_event(district, kind="breakfast", title="企业家早餐会（压测）",
                               starts_at=timezone.now() - timedelta(minutes=10), hours=3, status="running")
    payloads = []
    for n in range(args.invitees):
        firm = testing.make_enterprise(district, name=f"河西压测企业{n:04d}有限公司")
        invitation = Invitation.objects.create(event=event, enterprise=firm, name=firm.name,
                                               mobile_tail=f"{n % 10000:04d}", status=Invitation.Status.ACCEPTED)
        payloads.append(tokens.for_invitation(invitation))
    cookies = []
    for n in range(args.sessions):
        staff = testing.make_user(Role.STAFF, username=f"door{n:02d}", federation=district)
        client = Client()
        client.force_login(staff)
        cookies.append(client.cookies["sessionid"].value)
    refresh_planner_statistics()
    print(json.dumps({"event": event.pk, "payloads": payloads, "sessions": cookies, "database_url": database_url,
                      "vendor": connection.vendor, "built_s": time.perf_counter() - started}))


def verify(args):
    """The database after the run: what was counted and logged, as JSON."""
    setup_django(args.var, args.database_url)
    from django.db.models import Count

    from shanglian.events.models import CheckIn, Scan

    checkins = CheckIn.objects.filter(event_id=args.event)
    scans = Scan.objects.filter(event_id=args.event)
    print(json.dumps({
        "checkins": checkins.count(),
        "distinct_invitations": checkins.values("invitation").distinct().count(),
        "per_invitation_max": max((row["n"] for row in checkins.values("invitation").annotate(n=Count("id"))
                                   .order_by()), default=0),
        "scans": dict(scans.values_list("result").annotate(n=Count("id")).order_by()),
        "refused_reasons": dict(scans.filter(result="refused").values_list("reason").annotate(n=Count("id"))
                                .order_by()),
        "scans_total": scans.count(),
        "nonces": scans.exclude(nonce=None).values("nonce").distinct().count(),
    }))


def drop(args):
    setup_django(args.var, args.database_url)
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(urlsplit(args.test_url).path.lstrip("/"), verbosity=0)


def child(action, var_dir, database_url, *extra):
    command = [sys.executable, __file__, "--child", action, "--var", str(var_dir), *extra]
    if database_url:
        command += ["--database-url", database_url]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{action} failed (exit {out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else None


# --- the served app ----------------------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the app from the scratch var dir, logging each request's id, status and server time."""

    def __init__(self, var_dir, database_url, workers):
        self.port = free_port()
        self.log = Path(var_dir) / "access.log"
        env = {**os.environ, "SHANGLIAN_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "shanglian.settings"}
        for name in ("DATABASE_URL", "DEBUG", "SHANGLIAN_DEMO"):
            env.pop(name, None)
        if database_url:
            env["DATABASE_URL"] = database_url
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "shanglian.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(workers), "--access-logfile", str(self.log), "--access-logformat", '%({x-bench}i)s %(s)s %(D)s',
             "--error-logfile", str(Path(var_dir) / "error.log"), "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {var_dir}/error.log") from None
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start within 60 s")

    def server_ms(self):
        """{request id: (status, server ms)} from the access log."""
        times = {}
        for line in self.log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] != "-":
                times[parts[0]] = (int(parts[1]), int(parts[2]) / 1000)
        return times

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the load generator -----------------------------------------------------------------------------------
def plan(payloads, sessions, rng, *, baseline):
    """The posts in the order they are due: (kind, payload, nonce, session)."""
    if baseline:
        return [("forged", f"SLQ1:{secrets.token_urlsafe(12)}:{secrets.token_urlsafe(20)}", str(uuid.uuid4()),
                 n % sessions) for n in range(len(payloads))]
    order = list(range(len(payloads)))
    rng.shuffle(order)
    posts = [("scan", payloads[i], str(uuid.uuid4()), n % sessions) for n, i in enumerate(order)]
    # Later in the run: repeated uploads (the same phone, payload and nonce) and double scans (another phone).
    repeats = rng.sample(range(len(posts)), max(1, round(len(posts) * REPEAT_SHARE)))
    doubles = rng.sample(range(len(posts)), min(DOUBLE_SCANS, len(posts)))
    extra = [(original, ("repeat", *posts[original][1:])) for original in repeats]
    extra += [(original, ("double", posts[original][1], str(uuid.uuid4()), (posts[original][3] + 1) % sessions))
              for original in doubles]
    for original, post in sorted(extra, key=lambda item: item[0], reverse=True):
        at = min(len(posts), original + 1 + rng.randint(5, 60))  # some posts after the original
        posts.insert(at, post)
    return posts


def post_scan(port, event, cookie, csrf, payload, nonce, request_id):
    body = urlencode({"payload": payload, "nonce": nonce})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
               "Cookie": f"sessionid={cookie}; csrftoken={csrf}", "X-CSRFToken": csrf, "X-Bench": request_id,
               "Host": f"127.0.0.1:{port}"}
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    try:
        connection.request("POST", f"/events/{event}/checkin/scan/", body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        connection.close()
    answer = json.loads(raw) if response.getheader("Content-Type", "").startswith("application/json") else None
    return response.status, elapsed, answer


def run_load(port, built, posts, *, seconds, pool):
    """Post every planned scan, each not before its due time (spread evenly over `seconds`), from `pool`
    threads. Returns the outcomes in plan order and the wall time."""
    csrf = secrets.token_hex(16)  # the double-submit cookie: the same value in the cookie and the header
    due = queue.Queue()
    for n, post in enumerate(posts):
        due.put((n, post))
    outcomes = [None] * len(posts)
    step = seconds / len(posts) if seconds else 0
    start = time.perf_counter() + 0.2

    def phone():
        while True:
            try:
                n, (kind, payload, nonce, session) = due.get_nowait()
            except queue.Empty:
                return
            wait = start + n * step - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            request_id = f"r{n}-{uuid.uuid4().hex[:8]}"
            try:
                status, elapsed, answer = post_scan(port, built["event"], built["sessions"][session], csrf, payload,
                                                    nonce, request_id)
            except Exception as exc:  # noqa: BLE001 — counted as lost below
                status, elapsed, answer = None, None, {"error": repr(exc)}
            outcomes[n] = {"id": request_id, "kind": kind, "nonce": nonce, "status": status,
                           "client_ms": elapsed, "answer": answer}

    threads = [threading.Thread(target=phone) for _ in range(pool)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, time.perf_counter() - start


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def summarise(outcomes, server_times, wall):
    server = [server_times[o["id"]][1] for o in outcomes if o["id"] in server_times]
    client = [o["client_ms"] for o in outcomes if o["client_ms"] is not None]
    statuses = {}
    for o in outcomes:
        statuses[o["status"]] = statuses.get(o["status"], 0) + 1
    return {"n": len(outcomes), "wall_s": wall, "rate": len(outcomes) / wall if wall else 0,
            "server": [percentile(server, .5), percentile(server, .95), max(server, default=float("nan")),
                       statistics.mean(server) if server else float("nan")],
            "client": [percentile(client, .5), percentile(client, .95), max(client, default=float("nan"))],
            "logged": len(server), "statuses": statuses}


def check(outcomes, db, invitees, *, baseline_n):
    """What must hold after the check-in run (a list of failures; empty when none is lost or doubled)."""
    problems = []
    bad = [o for o in outcomes if o["status"] != 200 or not o["answer"] or "result" not in o["answer"]]
    if bad:
        problems.append(f"{len(bad)} posts without a JSON answer, e.g. {bad[0]}")
        return problems
    firsts = [o for o in outcomes if o["kind"] in ("scan", "double")]
    ok = [o for o in firsts if o["answer"]["result"] == "ok"]
    if len(ok) != invitees:
        problems.append(f"{len(ok)} 签到成功 answers for {invitees} invitees")
    already = [o for o in firsts if o["answer"]["result"] == "already"]
    doubles = [o for o in outcomes if o["kind"] == "double"]
    if len(already) != len(doubles):
        problems.append(f"{len(already)} 已签到 answers for {len(doubles)} double scans")
    by_nonce = {}
    for o in outcomes:
        if o["kind"] in ("scan", "repeat"):
            by_nonce.setdefault(o["nonce"], []).append(o)
    for pair in by_nonce.values():  # an upload and its repetition, whichever the server saw first
        if len(pair) == 1:
            continue
        answers = [o["answer"] for o in pair]
        if (sorted(a["repeat"] for a in answers) != [False, True] or len({a["scan"] for a in answers}) != 1
                or len({a["result"] for a in answers}) != 1):
            problems.append(f"a repeated upload was not answered with its first answer: {answers}")
    if db["checkins"] != invitees or db["distinct_invitations"] != invitees or db["per_invitation_max"] != 1:
        problems.append(f"check-ins in the database: {db['checkins']} rows, {db['distinct_invitations']} invitations,"
                        f" at most {db['per_invitation_max']} per invitation (want {invitees}, {invitees}, 1)")
    want = {"ok": invitees, "already": len(doubles), "refused": baseline_n}
    if {k: db["scans"].get(k, 0) for k in want} != want:
        problems.append(f"scan log {db['scans']}, want {want}")
    return problems


# --- one database -------------------------------------------------------------------------------------------
def run_database(name, args, database_url):
    rng = random.Random(20)
    var_dir = Path(tempfile.mkdtemp(prefix="shanglian-bench-checkin-"))
    built = None
    try:
        print(f"== {name}: building a 早餐会 of {args.invitees} invitees in {var_dir}", flush=True)
        built = child("build", var_dir, database_url, "--invitees", str(args.invitees), "--sessions",
                      str(args.sessions))
        server = Server(var_dir, built["database_url"] if database_url else None, args.workers)
        try:
            print(f"   built in {built['built_s']:.0f} s; gunicorn --workers {args.workers} on 127.0.0.1:{server.port}",
                  flush=True)
            warm = plan(built["payloads"][:args.sessions], args.sessions, rng, baseline=True)
            run_load(server.port, built, warm, seconds=0, pool=args.sessions)  # each session's first request
            base_posts = plan(built["payloads"], args.sessions, rng, baseline=True)
            print(f"   baseline: {len(base_posts)} forged codes over {args.seconds} s …", flush=True)
            base, base_wall = run_load(server.port, built, base_posts, seconds=args.seconds, pool=args.sessions)
            posts = plan(built["payloads"], args.sessions, rng, baseline=False)
            print(f"   check-in: {len(posts)} scans over {args.seconds} s …", flush=True)
            outcomes, wall = run_load(server.port, built, posts, seconds=args.seconds, pool=args.sessions)
            time.sleep(0.5)  # the access log's last lines
            times = server.server_ms()
        finally:
            server.stop()
        db = child("verify", var_dir, built["database_url"] if database_url else None, "--event", str(built["event"]))
        problems = check(outcomes, db, args.invitees, baseline_n=len(base_posts) + len(warm))
        return {"vendor": built["vendor"], "built_s": built["built_s"], "baseline": summarise(base, times, base_wall),
                "checkin": summarise(outcomes, times, wall), "db": db, "problems": problems,
                "mix": {kind: sum(1 for o in outcomes if o["kind"] == kind) for kind in ("scan", "repeat", "double")}}
    finally:
        if built and database_url:
            child("drop", var_dir, database_url, "--test-url", built["database_url"])
        shutil.rmtree(var_dir, ignore_errors=True)


# --- the report -------------------------------------------------------------------------------------------------
def _git(*args):
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    except OSError:
        return "?"


def report(results, args):
    lines = [f"# The door of a {args.invitees}-person 早餐会 — {date.today().isoformat()}", "",
             f"`bench/bench_checkin.py --invitees {args.invitees} --sessions {args.sessions} --seconds {args.seconds} "
             f"--workers {args.workers}` on {_git('rev-parse', '--abbrev-ref', 'HEAD')} at "
             f"{_git('rev-parse', '--short', 'HEAD')} (work tree {'changed' if _git('status', '--porcelain') else 'clean'}),"
             f" {os.cpu_count()} CPUs. gunicorn (sync workers) on loopback, DEBUG off; a pool of {args.sessions} "
             f"threads = {args.sessions} phones, each its own door staff's session; every post asks "
             "`events:door_scan` for JSON.", "",
             f"Load average (1 min) of the machine before and after: {args.load[0][0]:.1f} → {args.load[1][0]:.1f} "
             "(other work on it shows in the times).", "",
             "Server time: gunicorn's measure of each request (access log `%(D)s`); round trip: at the client, the "
             "wait for a free worker included. ms.", "",
             "| database | run | posts | wall s | posts/s | server p50 | server p95 | server max | mean | "
             "round trip p50 | p95 | max | answers |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        for label, key in (("baseline: forged code → 拒绝", "baseline"), ("check-in", "checkin")):
            s = r[key]
            p50, p95, mx, mean = s["server"]
            c50, c95, cmx = s["client"]
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(s["statuses"].items(), key=str))
            lines.append(f"| {r['vendor']} | {label} | {s['n']} | {s['wall_s']:.1f} | {s['rate']:.1f} | {p50:.1f} | "
                         f"**{p95:.1f}** | {mx:.1f} | {mean:.1f} | {c50:.1f} | {c95:.1f} | {cmx:.1f} | {statuses} |")
    lines += [""]
    for r in results:
        db, mix = r["db"], r["mix"]
        p95 = r["checkin"]["server"][1]
        lines += [f"**{r['vendor']}** (built in {r['built_s']:.0f} s): {mix['scan']} first scans, {mix['repeat']} "
                  f"repeated uploads (same nonce), {mix['double']} double scans (another phone, fresh nonce). "
                  f"In the database: {db['checkins']} check-ins of {db['distinct_invitations']} invitations (at most "
                  f"{db['per_invitation_max']} per invitation); scan log {db['scans']} — "
                  + ("none lost or doubled." if not r["problems"] else "PROBLEMS: " + "; ".join(r["problems"]))
                  + f" Check-in p95 server time {p95:.1f} ms: {'within' if p95 <= AIM_MS else 'OVER'} the aim of "
                  f"{AIM_MS} ms.", ""]
    return "\n".join(lines)


def result_path():
    base = ROOT / "bench" / "results" / f"checkin-{date.today().isoformat()}"
    path, n = base.with_suffix(".md"), 2
    while path.exists():
        path = base.parent / f"{base.name}-{n}.md"
        n += 1
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invitees", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=12, help="phones at the door (load generator threads)")
    parser.add_argument("--seconds", type=float, default=50, help="spread the scans over this long (0: at once)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (scripts/serve.sh: 2)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--no-write", action="store_true", help="print only, write no results file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--var", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--test-url", help=argparse.SUPPRESS)
    parser.add_argument("--event", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        {"build": build, "verify": verify, "drop": drop}[args.child](args)
        return
    databases = [("sqlite", None)]
    if os.environ.get("DATABASE_URL"):
        databases.append(("postgresql", os.environ["DATABASE_URL"]))
    load_before = os.getloadavg()
    results = [run_database(name, args, url) for name, url in databases if args.only in (None, name)]
    args.load = (load_before, os.getloadavg())
    text = report(results, args)
    print("\n" + text)
    if not args.no_write:
        path = result_path()
        path.write_text(text + "\n", encoding="utf-8")
        print(f"written to {path.relative_to(ROOT)}")
    if any(r["problems"] for r in results):
        raise SystemExit("lost or doubled check-ins: see above")


if __name__ == "__main__":
    main()
