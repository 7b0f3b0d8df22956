"""gunicorn settings of one Shanglian app server (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py
shanglian.wsgi:application`, one per port behind nginx.

Environment: SHANGLIAN_BIND (default 127.0.0.1:8001), SHANGLIAN_WORKERS (default 2 × cores + 1), SHANGLIAN_PIDFILE
(none by default; systemd tracks the master itself). Sync workers: a request holds a worker for its whole time, so
the slow work (imports, the annual report, kept boards) runs in the Huey workers, not here."""

import multiprocessing
import os

bind = os.environ.get("SHANGLIAN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("SHANGLIAN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
preload_app = True  # Django is loaded once in the master and the workers forked from it: quicker (re)starts, shared memory
timeout = 60  # a worker silent for a minute is killed and replaced
graceful_timeout = 30  # on SIGTERM / a restart: requests under way get this long to finish
# Each worker is replaced after about 2,000 requests (jittered so that they do not all go at once): whatever a
# request leaves in memory does not pile up over weeks.
max_requests = 2000
max_requests_jitter = 200
pidfile = os.environ.get("SHANGLIAN_PIDFILE") or None
worker_tmp_dir = "/dev/shm"  # noqa: S108 — the heartbeat files in memory (gunicorn's advice), not on a slow disk
forwarded_allow_ips = "127.0.0.1"  # nginx on the same machine
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sµs'


def pre_fork(server, worker):
    """With preload_app the master has loaded Django — in production `shanglian/wsgi.py` runs the production check,
    which reads the database — so it holds a database connection. A worker forked with it would share the socket
    with its siblings and their answers would cross (psycopg: "lost synchronization with server"; measured by
    bench/bench_deploy.py before this hook). Closed before every fork: each worker opens its own."""
    from django.db import connections

    connections.close_all()
