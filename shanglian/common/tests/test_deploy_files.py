"""deploy/: render-nginx.sh fills every placeholder of nginx.conf and lists the app servers (nginx itself checks the
result where it is installed); gunicorn.conf.py closes the master's database connections before a fork."""

import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_render_nginx_fills_every_placeholder_and_lists_the_app_servers(tmp_path):
    subprocess.run([str(DEPLOY / "render-nginx.sh"), str(tmp_path / "nginx"), "127.0.0.1:8443", "/etc/ssl/a.pem",
                    "/etc/ssl/a.key", "/srv/static", "127.0.0.1:8001", "127.0.0.1:8002"], check=True,
                   capture_output=True)
    conf = (tmp_path / "nginx" / "nginx.conf").read_text()
    assert "@" not in conf.replace("$proxy_add_x_forwarded_for", "")
    assert f"include {tmp_path / 'nginx' / 'upstreams.conf'};" in conf and "alias /srv/static/;" in conf
    assert (tmp_path / "nginx" / "upstreams.conf").read_text().splitlines() == [
        "server 127.0.0.1:8001 max_fails=1 fail_timeout=5s;", "server 127.0.0.1:8002 max_fails=1 fail_timeout=5s;"]


def test_render_nginx_without_its_arguments_prints_its_usage():
    done = subprocess.run([str(DEPLOY / "render-nginx.sh")], capture_output=True, text=True)
    assert done.returncode == 2 and "render-nginx.sh OUT_DIR" in done.stderr


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                    reason="nginx is not installed here (make bench-deploy installs it)")
def test_nginx_accepts_the_rendered_configuration(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=t",
                    "-keyout", str(tmp_path / "k"), "-out", str(tmp_path / "c")], check=True, capture_output=True)
    subprocess.run([str(DEPLOY / "render-nginx.sh"), str(tmp_path / "nginx"), "127.0.0.1:18443", str(tmp_path / "c"),
                    str(tmp_path / "k"), str(tmp_path), "127.0.0.1:8001", "127.0.0.1:8002"], check=True,
                   capture_output=True)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    done = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx" / "nginx.conf")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_gunicorn_closes_the_masters_database_connections_before_a_fork(monkeypatch):
    from django.db import connections

    namespace = {}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    namespace["pre_fork"](server=None, worker=None)
    assert closed == [True] and namespace["preload_app"] is True and namespace["graceful_timeout"] == 30
