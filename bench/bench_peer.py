"""Shanglian beside a peer (issue 26): the appeals API and pages against django-helpdesk 2.6.1's ticket list, API and
dashboard, each served by gunicorn (the same number of sync workers) on loopback against one PostgreSQL, with the
same number of tickets as appeals, loaded by wrk — at each `--scale` in turn, so that what slows with the data shows.

    scripts/with-postgres.sh .venv/bin/python bench/bench_peer.py [--scale district city] [--seconds 20]
    make bench-peer                                              # the same

Ours: `gen_scale --scale S --lean` (district: 2,000 enterprises, ~20,000 appeals; city: 100,000 / ~1,000,000),
served in the production profile by deploy/gunicorn.conf.py; the district's staff member, its leader and the city's
leader signed in (bench_deploy's build: every password made unusable first). The peer: django-helpdesk in its own
virtualenv (.venv-peer, from bench/peer_helpdesk/requirements.txt, made when missing), a minimal site
(bench/peer_helpdesk/) in a second database of the same cluster, filled by bench/peer_helpdesk/fill.py with as many
tickets as there are appeals, a superuser signed in (it sees every ticket, as our city leader sees every appeal).

Each page is first asked once cold and once warm (when the cold one took under 30 s: a board computed by the first
is kept and served to the second), its status and the warm time kept (a page answering other than 200 is a
failure); one that takes longer than `--slow` seconds is not loaded but reported with that one time (a request per that many seconds per
worker is all it could serve; given up after `--cap` seconds). The others are asked twice per worker more (warm),
timed once more, then get `--seconds` of wrk (`--threads` threads, `--connections`
connections, keep-alive), its requests/s and latency percentiles. Both servers run at once, only one is loaded.

Output: a table on stdout, bench/results/peer-<date>.md (-2, -3 … when taken) and the same figures as JSON beside it
(peer-<date>.json), which `make bench` gathers into bench/results/latest.json. The exit code is 1 when a page of
ours failed.
"""

import argparse
import base64
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench_deploy import free_port, healthy, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PEER_VENV = ROOT / ".venv-peer"
PEER_REQUIREMENTS = ROOT / "bench" / "peer_helpdesk" / "requirements.txt"
SCALES = {"district": "2,000 enterprises, ~20,000 appeals", "city": "100,000 enterprises, ~1,000,000 appeals"}
# base64 of helpdesk's default ticket-list query (open and reopened, by creation date), as its page asks for it
TICKET_QUERY = base64.b64encode(json.dumps({"filtering": {"status__in": [1, 2]}, "sorting": "created",
                                            "search_string": "", "sortreverse": False}).encode()).decode()
PAGES = [  # (side, what, path, who)
    ("ours", "appeals API list (district staff)", "/api/v1/appeals/", "staff"),
    ("ours", "appeals API list (city leader: every appeal)", "/api/v1/appeals/", "city"),
    ("ours", "appeals list page (district staff)", "/appeals/", "staff"),
    ("ours", "appeals list page (city leader)", "/appeals/", "city"),
    ("ours", "dashboard (district leader)", "/reports/dashboard/", "leader"),
    ("ours", "dashboard (city leader)", "/reports/dashboard/", "city"),
    ("peer", "ticket list data (datatables JSON, 25 rows)", f"/datatables_ticket_list/{TICKET_QUERY}"
                                                             "?draw=1&start=0&length=25", "staff"),
    ("peer", "ticket list page", "/tickets/", "staff"),
    ("peer", "dashboard", "/dashboard/", "staff"),
    ("peer", "tickets API list (/api/tickets/)", "/api/tickets/", "staff"),  # last: it may hold a worker to --cap
]


def ensure_tools():
    if shutil.which("wrk") is None:
        if os.geteuid() != 0:
            raise SystemExit("wrk is missing: apt-get install wrk (or run as root)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)


def ensure_peer_venv():
    """.venv-peer with the pinned requirements (made again when the requirements file changed)."""
    stamp = PEER_VENV / ".requirements"
    wanted = PEER_REQUIREMENTS.read_text()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print("  making .venv-peer (django-helpdesk and its dependencies)", flush=True)
    subprocess.run(["python3", "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "--no-input",
                    "-r", str(PEER_REQUIREMENTS)], check=True)
    stamp.write_text(wanted)


def database_url(base, name):
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(base, name):
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def run(command, env, what, log=None):
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=log is None, text=True,
                          stdout=log, stderr=subprocess.STDOUT if log else None)
    if done.returncode:
        if log is None:
            sys.stderr.write((done.stdout or "") + (done.stderr or ""))
        raise SystemExit(f"{what} failed" + (f": see {log.name}" if log else ""))
    return done.stdout


class Servers:
    """Both gunicorns for one scale; `stop()` ends them."""

    def __init__(self, work, base_url, scale, workers, cap):
        self.work, self.workers, self.cap = work, workers, cap
        self.ours_url, self.peer_url = database_url(base_url, f"ours_{scale}"), database_url(base_url, f"peer_{scale}")
        self.ours_port, self.peer_port = free_port(), free_port()
        self.processes = []
        self.ours_env = {
            **os.environ, "SHANGLIAN_ENV": "production", "DJANGO_SETTINGS_MODULE": "shanglian.settings",
            "SHANGLIAN_VAR_DIR": str(work / f"var-{scale}"), "DATABASE_URL": self.ours_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "TRUSTED_PROXY_COUNT": "1", "SECRET_KEY": secrets.token_urlsafe(50),
            "SHANGLIAN_FIELD_KEYS": "k1=" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "SHANGLIAN_BLIND_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "SHANGLIAN_AUDIT_CHAIN_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "SHANGLIAN_WORKERS": str(workers), "SHANGLIAN_BIND": f"127.0.0.1:{self.ours_port}",
        }
        for name in ("DEBUG", "SHANGLIAN_DEMO", "HUEY_IMMEDIATE", "REDIS_URL"):
            self.ours_env.pop(name, None)
        (work / f"var-{scale}").mkdir(exist_ok=True)
        self.peer_env = {**os.environ, "PEER_DATABASE_URL": self.peer_url, "PEER_STATIC_ROOT": str(work / "peer-static"),
                         "DJANGO_SETTINGS_MODULE": "bench.peer_helpdesk.settings"}

    def build(self, scale):
        """Both databases; returns (appeals, tickets, {who: cookie header})."""
        for url in (self.ours_url, self.peer_url):
            recreate_database(self.ours_env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", urlsplit(url).path[1:])
        began = time.perf_counter()
        run([str(BIN / "python"), "manage.py", "migrate", "--noinput"], self.ours_env, "migrate")
        run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], self.ours_env, "collectstatic")
        demo = {**self.ours_env, "SHANGLIAN_DEMO": "1"}
        demo.pop("SHANGLIAN_ENV")
        with (self.work / f"gen_scale-{scale}.log").open("w") as log:
            run([str(BIN / "python"), "manage.py", "gen_scale", "--scale", scale, "--lean"], demo, "gen_scale", log)
        built = json.loads(run([str(BIN / "python"), str(ROOT / "bench" / "bench_deploy.py"), "--child-build", "-1"],
                               self.ours_env, "signing in").strip().splitlines()[-1])
        appeals = int(run([str(BIN / "python"), "manage.py", "shell", "-c",
                           "from shanglian.appeals.models import Appeal; print(Appeal.objects.count())"],
                          self.ours_env, "counting").strip().splitlines()[-1])
        print(f"  ours ({scale}): {appeals:,} appeals in {time.perf_counter() - began:.0f} s", flush=True)
        began = time.perf_counter()
        peer_python = str(PEER_VENV / "bin" / "python")
        run([peer_python, "-m", "django", "migrate", "--noinput", "-v0"], self.peer_env, "the peer's migrate")
        run([peer_python, "-m", "django", "collectstatic", "--noinput", "-v0"], self.peer_env, "collectstatic")
        filled = json.loads(run([peer_python, "-m", "bench.peer_helpdesk.fill", str(appeals),
                                 str(max(1, appeals // 20000))], self.peer_env, "filling the peer").strip()
                            .splitlines()[-1])
        print(f"  peer ({scale}): {filled['tickets']:,} tickets in {time.perf_counter() - began:.0f} s", flush=True)
        cookies = {("ours", who): f"{built['cookie']}={session}" for who, session in built["sessions"].items()}
        cookies["peer", "staff"] = f"{filled['cookie']}={filled['session']}"
        return appeals, filled["tickets"], cookies

    def start(self):
        log = (self.work / "gunicorn.log").open("ab")
        self.processes.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "shanglian.wsgi:application"],
            env=self.ours_env, cwd=ROOT, stdout=log, stderr=log))
        self.processes.append(subprocess.Popen(
            [str(PEER_VENV / "bin" / "gunicorn"), "-w", str(self.workers), "--preload", "--timeout",
             f"{self.cap + 10:g}", "-b", f"127.0.0.1:{self.peer_port}", "bench.peer_helpdesk.wsgi:application"],
            env=self.peer_env, cwd=ROOT, stdout=log, stderr=log))
        wait_for(lambda: healthy(self.ours_port), "our app server")
        wait_for(lambda: _answers(self.peer_port), "the peer's app server")

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def _answers(port):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/tickets/", timeout=5)  # noqa: S310 (loopback)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}  # ours sits behind nginx in production


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def once(port, path, cookie, timeout):
    """(status or error, seconds) of one request."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={**HEADERS, "Cookie": cookie})
    began = time.perf_counter()
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=timeout) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except TimeoutError:
        status = "timeout"
    except urllib.error.URLError as error:
        status = "timeout" if isinstance(error.reason, TimeoutError) else type(error.reason).__name__
    except OSError as error:
        status = type(error).__name__
    return status, time.perf_counter() - began


def wrk(port, path, cookie, args):
    """{rps, p50, p90, p99 (ms), requests, errors} of wrk on one path."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds:g}s", "--latency",
               "--timeout", f"{args.cap:g}s", "-H", f"Cookie: {cookie}"]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    text = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                          check=True).stdout

    def ms(label):
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not found:
            return None
        return float(found[1]) * {"us": 0.001, "ms": 1, "s": 1000}[found[2]]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    errors += int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1]), "p50": ms(50), "p90": ms(90),
            "p99": ms(99), "requests": int(re.search(r"(\d+) requests in", text)[1]), "errors": errors}


def measure(servers, cookies, args):
    rows = []
    for side, what, path, who in PAGES:
        port = servers.ours_port if side == "ours" else servers.peer_port
        cookie = cookies[side, who]
        status, first = once(port, path, cookie, args.cap)  # cold: caches, a board computed and kept
        seconds = first
        if status == 200 and first <= 30:  # warm: a kept board is served from here on
            status, seconds = once(port, path, cookie, args.cap)
        if status == 200 and seconds <= args.slow:  # every worker warmed, then one request timed
            for _ in range(2 * args.workers):
                once(port, path, cookie, args.cap)
            status, seconds = once(port, path, cookie, args.cap)
        row = {"side": side, "page": what, "path": path.split("?")[0][:60], "status": status,
               "cold_ms": first * 1000, "first_ms": seconds * 1000}
        if status == 200 and seconds <= args.slow:
            row.update(wrk(port, path, cookie, args))
        elif status == 200:
            row.update({"rps": args.workers / seconds, "note": f"one request took {seconds:.1f} s: not loaded"})
        elif status == "timeout":
            row.update({"rps": args.workers / args.cap, "note": f"no answer within {args.cap:g} s: given up"})
        print(f"    {side} {what}: {status}, {seconds * 1000:.0f} ms"
              + (f", {row['rps']:.1f} requests/s" if "rps" in row else ""), flush=True)
        rows.append(row)
    return rows


def result_paths():
    base = ROOT / "bench" / "results" / f"peer-{date.today().isoformat()}"
    stem, n = base, 2
    while stem.with_suffix(".md").exists():
        stem, n = Path(f"{base}-{n}"), n + 1
    return stem.with_suffix(".md"), stem.with_suffix(".json")


def fmt(value, pattern="{:.1f}"):
    return "—" if value is None else pattern.format(value)


def report(args, runs):
    lines = [f"# Shanglian beside django-helpdesk, {date.today().isoformat()}", "",
             "Script: `bench/bench_peer.py` — "
             + subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
             .stdout.strip()
             + f". One PostgreSQL (scripts/with-postgres.sh); each side a gunicorn of {args.workers} sync workers on "
             f"loopback; wrk {args.threads} threads × {args.connections} connections for {args.seconds:g} s a page. "
             f"{os.cpu_count()} cores. django-helpdesk 2.6.1 in its own virtualenv.", ""]
    for scale, appeals, tickets, rows in runs:
        lines += [f"## {scale}: {appeals:,} appeals, {tickets:,} tickets", "",
                  "| side | page | status | first request ms | one request ms | requests/s | p50 ms | p99 ms | errors |",
                  "|---|---|---|---:|---:|---:|---:|---:|---:|"]
        for row in rows:
            lines.append(f"| {row['side']} | {row['page']} | {row['status']} | {row['cold_ms']:.0f} | "
                         f"{row['first_ms']:.0f} | "
                         f"{fmt(row.get('rps'))} | {fmt(row.get('p50'))} | {fmt(row.get('p99'))} | "
                         f"{row.get('errors', '—') if 'note' not in row else row['note']} |")
        lines.append("")
    if len(runs) > 1:
        (small, *_), (large, *_) = runs[0], runs[-1]
        lines += [f"## What slows with the data: one request at {large} ÷ at {small}", "",
                  "| side | page | ms | ms | × |", "|---|---|---:|---:|---:|"]
        for first, last in zip(runs[0][3], runs[-1][3], strict=True):
            lines.append(f"| {first['side']} | {first['page']} | {first['first_ms']:.0f} | {last['first_ms']:.0f} | "
                         f"{last['first_ms'] / max(first['first_ms'], 0.001):.1f} |")
        lines.append("")
    ratios = []
    for scale, _, _, rows in runs:
        ours = next(r for r in rows if r["page"].startswith("appeals API list (city"))
        peer = next(r for r in rows if r["page"].startswith("ticket list data"))
        if ours.get("rps") and peer.get("rps"):
            ratios.append(f"{scale}: our appeals API (every appeal) {ours['rps']:.0f} requests/s, helpdesk's ticket "
                          f"list data {peer['rps']:.0f} — {ours['rps'] / peer['rps']:.1f}×")
    lines += ["Throughput of the list (both sides seeing every record): " + "; ".join(ratios) + "."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", nargs="+", choices=list(SCALES), default=["district", "city"])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers of each side")
    parser.add_argument("--slow", type=float, default=2, help="a page slower than this (s) is not loaded")
    parser.add_argument("--cap", type=float, default=120, help="a request is given up after this many seconds")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if urlsplit(base).scheme not in ("postgres", "postgresql"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database: scripts/with-postgres.sh "
                         ".venv/bin/python bench/bench_peer.py")
    ensure_tools()
    ensure_peer_venv()
    work = Path(tempfile.mkdtemp(prefix="bench-peer-"))
    runs = []
    for scale in args.scale:
        servers = Servers(work, base, scale, args.workers, args.cap)
        appeals, tickets, cookies = servers.build(scale)
        try:
            servers.start()
            print(f"  {scale}: measuring", flush=True)
            runs.append((scale, appeals, tickets, measure(servers, cookies, args)))
        finally:
            servers.stop()
    text = report(args, runs)
    markdown, figures = result_paths()
    markdown.write_text(text)
    figures.write_text(json.dumps({"benchmark": "peer", "date": date.today().isoformat(), "runs": [
        {"scale": scale, "appeals": appeals, "tickets": tickets, "pages": rows}
        for scale, appeals, tickets, rows in runs]}, ensure_ascii=False, indent=1))
    print(text)
    print(f"  written to {markdown.relative_to(ROOT)} and {figures.name}; logs in {work}")
    return 1 if any(row["status"] != 200 for *_, rows in runs for row in rows if row["side"] == "ours") else 0


if __name__ == "__main__":
    sys.exit(main())
