"""Deployment on loopback (issue 26): the production layout of `deploy/` — PostgreSQL, Redis, a Huey worker and two
gunicorn app servers behind nginx (TLS), in the production profile (`SHANGLIAN_ENV=production`) — under a bounded
load of mixed requests while `deploy/rolling-restart.sh` restarts the app servers one after the other; every answer
is counted. The claim it checks: a rolling restart under load fails no request.

    scripts/with-postgres.sh .venv/bin/python bench/bench_deploy.py [--seconds 60] [--clients 6] [--rounds 2]
    make bench-deploy                                            # the same

PostgreSQL is the one DATABASE_URL names (scripts/with-postgres.sh: a throw-away cluster); Redis, nginx and the app
servers are started here on free loopback ports from Debian's packages (installed when missing, as root) and
stopped at the end; the secrets are generated for the run. The data: a district of `testing.make_cast` plus
`--appeals` appeals (submitted through the service), a staff member and a leader signed in (session rows, as after the login page).

The load: `--clients` threads for `--seconds`, each its own keep-alive HTTPS connection to nginx, cycling through
  GET /healthz/ · GET /accounts/login/ (anonymous) · GET /appeals/ (staff) · GET /api/v1/appeals/ (staff) ·
  GET /reports/dashboard/ (leader) · GET a static file (nginx) · POST /notifications/read-all/ (staff, CSRF)
A GET that finds its keep-alive connection closed before any byte of an answer is sent again once on a new
connection, as browsers do (counted as "resent"); a POST always goes on a new connection and is never resent.
Anything else that is not a 2xx/3xx answer — a 5xx, a 4xx, a reset, a timeout — is a failure. After `--warmup`
seconds the rolling restart runs `--rounds` times (each: both app servers, one at a time); its log is kept.

The soak (`make bench-soak`: `--rounds 0 --sample 30 --seconds 3600`): the same stack and load for an hour with no
restart, the memory (proportional set size) of every component (each app server with its workers, the Huey worker, nginx, Redis,
PostgreSQL with its backends) sampled every `--sample` seconds: first, peak, last and the trend in MB per hour (least
squares). After every run the audit chain is verified (`manage.py verify_audit_chain`); the exit code is 1 when it
is broken.

The data (`--scale`): `district` is a district of `make_cast` with `--appeals` appeals; `city` is `gen_scale --scale
city --lean` (100,000 enterprises, ~1,000,000 appeals). gen_scale is a demo builder, which the production profile
refuses, so it runs once in the development profile with the demo switched on, against the same database and with
the same keys as the stack; then, back in the production profile, every password is made unusable (the demo's
known password is not left on a server in the production profile) and the staff member and leader of the demo
district and the city's leader are signed in. `--rate` bounds the load (requests per second over all clients).

Output: a table on stdout and bench/results/deploy-<date>.md (-2, -3 … when that name exists), with requests,
failures, resent, p50/p95/max round trip overall and while a restart ran. Figures are printed; the exit code is 1
when a request failed or a restart did not complete.
"""

import argparse
import base64
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
PACKAGES = {"nginx": "nginx", "redis-server": "redis-server", "openssl": "openssl", "curl": "curl"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_packages():
    missing = [package for command, package in PACKAGES.items() if shutil.which(command) is None
               and not Path(f"/usr/sbin/{command}").exists()]
    if missing:
        if os.geteuid() != 0:
            raise SystemExit(f"missing: {' '.join(missing)} (apt-get install them, or run as root)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, stdout=subprocess.DEVNULL)


def wait_for(check, what, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not come up within {seconds} s")


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def healthy(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/healthz/")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


# --- the stack ---------------------------------------------------------------------------------------------------
class Stack:
    """Redis, the Huey worker, two app servers and nginx, from a scratch directory; `stop()` ends them all."""

    def __init__(self, work, database_url, workers):
        self.work = work
        self.processes = {}
        self.redis_port, self.https_port = free_port(), free_port()
        self.app_ports = [free_port(), free_port()]
        var = work / "var"
        var.mkdir()
        self.env = {
            **os.environ, "SHANGLIAN_ENV": "production", "DJANGO_SETTINGS_MODULE": "shanglian.settings",
            "SHANGLIAN_VAR_DIR": str(var), "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.https_port}",
            "TRUSTED_PROXY_COUNT": "1", "SECRET_KEY": secrets.token_urlsafe(50),
            "SHANGLIAN_FIELD_KEYS": "k1=" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "SHANGLIAN_BLIND_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "SHANGLIAN_AUDIT_CHAIN_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "SHANGLIAN_WORKERS": str(workers), "BENCH_DEPLOY_DIR": str(work), "BIN": str(BIN),
        }
        for name in ("DEBUG", "SHANGLIAN_DEMO", "HUEY_IMMEDIATE"):
            self.env.pop(name, None)

    def manage(self, *args):
        done = subprocess.run([str(BIN / "python"), "manage.py", *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode:
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(f"manage.py {' '.join(args)} failed")
        return done.stdout

    def _start(self, name, command, **kwargs):
        log = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process's life)
        self.processes[name] = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=log, **kwargs)

    def app(self, port, *action):
        """Start, restart or stop (`"stop"`) the app server on `port` as rolling-restart.sh does
        (bench/deploy_app.sh: a daemon with a pid file)."""
        subprocess.run([str(ROOT / "bench" / "deploy_app.sh"), str(port), *action], env=self.env, cwd=ROOT,
                       check=True)

    def start(self):
        self._start("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"])
        wait_for(lambda: port_open(self.redis_port), "redis")
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "-v0")
        self._start("worker", [str(BIN / "python"), "manage.py", "run_huey", "--workers", "1", "--quiet"])
        for port in self.app_ports:
            self.app(port)
        for port in self.app_ports:
            wait_for(lambda port=port: healthy(port), f"the app server on {port}")
        cert, key = self.work / "tls.pem", self.work / "tls.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        self.nginx_dir = self.work / "nginx"
        subprocess.run([str(DEPLOY / "render-nginx.sh"), str(self.nginx_dir), f"127.0.0.1:{self.https_port}",
                        str(cert), str(key), str(self.work / "var" / "staticfiles"),
                        *[f"127.0.0.1:{port}" for port in self.app_ports]], check=True, capture_output=True)
        self._start("nginx", ["nginx", "-c", str(self.nginx_dir / "nginx.conf"), "-g", "daemon off;"])
        wait_for(lambda: port_open(self.https_port), "nginx")

    def stop(self):
        for port in self.app_ports:
            subprocess.run([str(ROOT / "bench" / "deploy_app.sh"), str(port), "stop"], env=self.env, cwd=ROOT)
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


# --- the data (a child process in the production profile) ----------------------------------------------------------
def build(appeals):
    """A district, `appeals` appeals, a signed-in staff member and leader (or, `appeals` < 0, the city gen_scale
    built: passwords made unusable, the demo's staff and leader and the city's leader signed in). Prints the JSON
    the load needs."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client

    if appeals < 0:
        users = get_user_model().objects
        users.update(password=make_password(None))  # the demo's known password: unusable, one statement
        chosen = {"staff": users.get(username="staff"), "leader": users.get(username="leader"),
                  "city": users.get(username="city")}
    else:
        from shanglian import testing
        from shanglian.appeals.tests.factories import submit

        testing.ensure_reference_data()
        cast = testing.make_cast()
        for n in range(appeals):  # through the service: numbered, audited (the chain is verified afterwards)
            submit(cast, title=f"压测诉求{n:05d}")
        chosen = {"staff": cast.users.staff, "leader": cast.users.leader}
    sessions = {}
    for name, user in chosen.items():
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(json.dumps({"sessions": sessions, "cookie": settings.SESSION_COOKIE_NAME,
                      "csrf_cookie": settings.CSRF_COOKIE_NAME}))


# --- memory of the processes (the soak) ------------------------------------------------------------------------------
def process_tree():
    """{parent pid: [child pids]} of every process, and {pid: command name}, read from /proc."""
    children, names = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        pid = int(stat.parent.name)
        names[pid] = name
        children.setdefault(int(rest[1]), []).append(pid)
    return children, names


def pss_mb(pid, children):
    """Memory of `pid` and every process under it, in MB: the proportional set size (/proc/PID/smaps_rollup: a page
    shared by n processes counts 1/n in each), so PostgreSQL's shared buffers, touched by every backend, and the
    pages a preloaded app server's workers share with their master count once, not once per process as the resident
    size would (resident size where smaps_rollup is not readable)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            found = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{current}/smaps_rollup").read_text(), re.M)
            if found is None:
                found = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{current}/status").read_text(), re.M)
            total += int(found[1]) if found else 0
        except OSError:
            pass
        todo += children.get(current, [])
    return total / 1024


def memory(stack):
    """{component: MB} now: each app server (its master and workers, found again after a restart), the Huey worker,
    nginx, Redis and PostgreSQL (every postmaster and its backends)."""
    children, names = process_tree()
    found = {}
    for port in stack.app_ports:
        pidfile = stack.work / f"app-{port}.pid"
        if pidfile.exists():
            found[f"app server :{port}"] = pss_mb(int(pidfile.read_text().strip()), children)
    for name in ("worker", "nginx", "redis"):
        if name in stack.processes:
            found[name] = pss_mb(stack.processes[name].pid, children)
    parents = {child: parent for parent, kids in children.items() for child in kids}
    postmasters = [pid for pid, name in names.items() if name == "postgres" and names.get(parents.get(pid)) != "postgres"]
    found["postgresql"] = sum(pss_mb(pid, children) for pid in postmasters)
    return found


def growth(samples, name):
    """(first, peak, last, MB per hour by least squares) of one component over the samples [(seconds, {name: MB})]."""
    points = [(t, values[name]) for t, values in samples if name in values]
    if len(points) < 2:
        return None
    n = len(points)
    mean_t, mean_v = sum(t for t, _ in points) / n, sum(v for _, v in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points) or 1
    slope = sum((t - mean_t) * (v - mean_v) for t, v in points) / spread
    return points[0][1], max(v for _, v in points), points[-1][1], slope * 3600


# --- the load ------------------------------------------------------------------------------------------------------
class Load:
    def __init__(self, port, built, static_path, rate=0.0, clients=1):
        self.port = port
        self.built = built
        self.interval = clients / rate if rate else 0.0  # seconds between two requests of one client
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE
        self.csrf = secrets.token_hex(16)  # a CSRF cookie of our own: Django accepts a well-formed one
        self.mix = [("GET", "/healthz/", None), ("GET", "/accounts/login/", None), ("GET", "/appeals/", "staff"),
                    ("GET", "/api/v1/appeals/", "staff"), ("GET", "/reports/dashboard/", "leader"),
                    ("GET", static_path, None), ("POST", "/notifications/read-all/", "staff")]
        if "city" in built["sessions"]:
            self.mix.insert(5, ("GET", "/reports/dashboard/", "city"))
        self.results = []  # (started, seconds, method, path (who), status or error, resent)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def _connection(self):
        return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=self.context)

    def _headers(self, who, method):
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "bench-deploy"}
        cookies = []
        if who:
            cookies.append(f"{self.built['cookie']}={self.built['sessions'][who]}")
        if method == "POST":
            cookies.append(f"{self.built['csrf_cookie']}={self.csrf}")
            origin = f"https://127.0.0.1:{self.port}"
            headers.update({"X-CSRFToken": self.csrf, "Origin": origin, "Referer": origin + "/notifications/",
                            "Content-Type": "application/x-www-form-urlencoded"})
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        return headers

    def _once(self, connection, method, path, who):
        connection.request(method, path, body="" if method == "POST" else None, headers=self._headers(who, method))
        response = connection.getresponse()
        response.read()
        return response.status

    def client(self, offset):
        connection = self._connection()
        n = offset
        while not self.stop.is_set():
            method, path, who = self.mix[n % len(self.mix)]
            n += 1
            began = time.perf_counter()
            resent = False
            try:
                if method == "POST":
                    fresh = self._connection()
                    try:
                        status = self._once(fresh, method, path, who)
                    finally:
                        fresh.close()
                else:
                    try:
                        status = self._once(connection, method, path, who)
                    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                        connection.close()  # the keep-alive connection was closed: once more on a new one
                        connection = self._connection()
                        resent = True
                        status = self._once(connection, method, path, who)
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = self._connection()
            with self.lock:
                self.results.append((began, time.perf_counter() - began, method, f"{path} ({who})" if who else path,
                                     status, resent))
            if self.interval:
                self.stop.wait(max(0.0, began + self.interval - time.perf_counter()))
        connection.close()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def failed(status):
    return not isinstance(status, int) or not 200 <= status < 400


def summarise(results, windows):
    def row(name, rows):
        times = [r[1] * 1000 for r in rows]
        return {"name": name, "requests": len(rows), "failures": sum(failed(r[4]) for r in rows),
                "resent": sum(r[5] for r in rows), "p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
                "max": max(times, default=0.0)}

    during = [r for r in results if any(start <= r[0] <= end for start, end in windows)]
    paths = sorted({(r[2], r[3]) for r in results})
    return ([row("all requests", results)] + ([row("while restarting", during)] if windows else [])
            + [row(f"{method} {path}", [r for r in results if (r[2], r[3]) == (method, path)])
               for method, path in paths])


def result_path():
    base = ROOT / "bench" / "results" / f"deploy-{date.today().isoformat()}"
    path, n = base.with_suffix(".md"), 2
    while path.exists():
        path, n = Path(f"{base}-{n}.md"), n + 1
    return path


def _git(*args):
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "?"


DATA = {"district": "a district of make_cast", "city": "a city of gen_scale --lean (100,000 enterprises, ~1,000,000 "
                                                "appeals)"}


def report(args, rows, restarts, failures_seen, elapsed, samples, chain):
    lines = [f"# Rolling restart under load on loopback, {date.today().isoformat()}", "",
             f"Script: `bench/bench_deploy.py` — branch `{_git('rev-parse', '--abbrev-ref', 'HEAD')}` at "
             f"{_git('rev-parse', '--short', 'HEAD')}. PostgreSQL (scripts/with-postgres.sh), Redis, a Huey worker, "
             f"two gunicorn app servers (deploy/gunicorn.conf.py, {args.workers} sync workers each) behind nginx "
             "(deploy/nginx.conf, TLS), production profile; "
             f"Data: {DATA[args.scale]}. "
             f"{args.clients} clients{f' at {args.rate:g} requests/s in all' if args.rate else ''} for {elapsed:.0f} s; "
             f"deploy/rolling-restart.sh ran {len(restarts)} time(s) "
             f"(each restarts both app servers one at a time). {os.cpu_count()} cores.", "",
             "| requests | count | failed | resent (closed keep-alive) | p50 ms | p95 ms | max ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['name']} | {row['requests']:,} | {row['failures']} | {row['resent']} | "
                     f"{row['p50']:.1f} | {row['p95']:.1f} | {row['max']:.0f} |")
    if restarts:
        lines += ["", "Restarts: " + "; ".join(f"{r['seconds']:.1f} s, exit {r['exit']}" for r in restarts) + "."]
    lines += ["", f"Audit chain after the run (`manage.py verify_audit_chain`): exit {chain[0]} — "
                  f"{' '.join(chain[1])}"]
    if samples:
        names = sorted({name for _, values in samples for name in values})
        lines += ["", f"Memory (proportional set size, each component with its child processes), sampled every {args.sample:.0f} s "
                      f"({len(samples)} samples):", "",
                  "| process | first MB | peak MB | last MB | trend MB/hour |", "|---|---:|---:|---:|---:|"]
        for name in names:
            found = growth(samples, name)
            if found:
                first, peak, last, per_hour = found
                lines.append(f"| {name} | {first:.0f} | {peak:.0f} | {last:.0f} | {per_hour:+.0f} |")
    if failures_seen:
        lines += ["", "Failures (first 20):", ""] + [f"- {f}" for f in failures_seen[:20]]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2, help="rolling restarts during the run")
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--pause", type=float, default=5, help="seconds between two rolling restarts")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--appeals", type=int, default=300, help="appeals of the district (--scale district)")
    parser.add_argument("--scale", choices=sorted(DATA), default="district")
    parser.add_argument("--rate", type=float, default=0, help="requests per second over all clients (0: unbounded)")
    parser.add_argument("--sample", type=float, default=0,
                        help="the soak: sample every process's memory every this many seconds (0: not at all)")
    parser.add_argument("--child-build", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build is not None:
        build(args.child_build)
        return 0
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in ("postgres", "postgresql"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database: scripts/with-postgres.sh "
                         ".venv/bin/python bench/bench_deploy.py")
    ensure_packages()
    work = Path(tempfile.mkdtemp(prefix="bench-deploy-"))
    work.chmod(0o755)  # nginx's workers (www-data) serve the static files from it
    stack = Stack(work, database_url, args.workers)
    try:
        print(f"  starting the stack in {work}", flush=True)
        stack.start()
        if args.scale == "city":
            began = time.perf_counter()
            demo = {**stack.env, "SHANGLIAN_DEMO": "1"}
            demo.pop("SHANGLIAN_ENV")
            with (work / "gen_scale.log").open("w") as log:
                built = subprocess.run([str(BIN / "python"), "manage.py", "gen_scale", "--scale", "city", "--lean"],
                                       env=demo, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            if built.returncode:
                raise SystemExit(f"gen_scale failed: see {work / 'gen_scale.log'}")
            print(f"  gen_scale --scale city --lean: {time.perf_counter() - began:.0f} s", flush=True)
        done = subprocess.run([str(BIN / "python"), __file__, "--child-build",
                               str(-1 if args.scale == "city" else args.appeals)], env=stack.env,
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit("building the data failed")
        built = json.loads(done.stdout.strip().splitlines()[-1])
        static = next((stack.work / "var" / "staticfiles" / "shanglian").glob("app*.css"))
        load = Load(stack.https_port, built, f"/static/shanglian/{static.name}", args.rate, args.clients)
        threads = [threading.Thread(target=load.client, args=(n,), daemon=True) for n in range(args.clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.warmup)
        restarts, windows = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            rolled = subprocess.run([str(DEPLOY / "rolling-restart.sh"), str(stack.nginx_dir),
                                     f"{ROOT / 'bench' / 'deploy_app.sh'} {{port}}"], env=stack.env, cwd=ROOT,
                                    capture_output=True, text=True)
            with (work / "rolling-restart.log").open("a") as log:
                log.write(rolled.stderr)
            rolled = rolled.returncode
            end = time.perf_counter()
            windows.append((start, end))
            restarts.append({"seconds": end - start, "exit": rolled})
            print(f"  rolling restart: {end - start:.1f} s, exit {rolled}", flush=True)
            time.sleep(args.pause)
        samples = []
        while time.perf_counter() - began < args.seconds:
            if args.sample:
                samples.append((time.perf_counter() - began, memory(stack)))
            time.sleep(min(args.sample or 1, max(0.0, args.seconds - (time.perf_counter() - began))))
        if args.sample:
            samples.append((time.perf_counter() - began, memory(stack)))
        load.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.perf_counter() - began
        chain = subprocess.run([str(BIN / "python"), "manage.py", "verify_audit_chain"], env=stack.env, cwd=ROOT,
                               capture_output=True, text=True)
        chain = (chain.returncode, (chain.stdout + chain.stderr).strip().splitlines()[-1:])
        print(f"  audit chain: {chain}", flush=True)
    finally:
        stack.stop()
    rows = summarise(load.results, windows)
    failures_seen = [f"{r[2]} {r[3]}: {r[4]}" for r in load.results if failed(r[4])]
    text = report(args, rows, restarts, failures_seen, elapsed, samples, chain)
    path = result_path()
    path.write_text(text)
    print(text)
    print(f"  written to {path.relative_to(ROOT)}; logs in {work}")
    return 1 if failures_seen or any(r["exit"] for r in restarts) or chain[0] else 0


if __name__ == "__main__":
    sys.exit(main())
