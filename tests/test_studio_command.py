"""`manage.py db_studio` as a person runs it: serves the studio on loopback, asks to log in, stops on a signal."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from .conftest import ROOT
from .helpers import uri


def _env(params) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SCHEMAKIT_TEST_PGDATA",)}
    env.update({"DATABASE_URL": uri(params), "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": str(ROOT),
                "DJANGO_SUPERUSER_PASSWORD": "pw"})
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_db_studio_serves_login_then_pages(fresh_db):
    env = _env(fresh_db)
    assert _manage("migrate", "-v", "0", env=env).returncode == 0
    assert _manage("createsuperuser", "--noinput", "--username", "root", "--email", "r@example.com", env=env).returncode == 0
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "db_studio", "--port", str(port), "--no-browser"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                page = opener.open(f"{base}/").read().decode()  # redirected to the login page
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            raise AssertionError("db_studio did not start: " + proc.stderr.read() if proc.poll() is not None else "")
        assert 'name="username"' in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": "root", "password": "pw", "next": "/", "csrfmiddlewaretoken": token})
        req = urllib.request.Request(f"{base}/login/", data.encode(), headers={"Referer": f"{base}/login/"})
        page = opener.open(req).read().decode()
        assert "Tables and views" in page
        with opener.open(f"{base}/diagram/") as r:
            assert r.headers["X-Frame-Options"] == "DENY"
        for url, data in ((f"{base}/no-such-page/", None), (f"{base}/sql/", b"sql=SELECT+1")):  # 404; no CSRF token
            try:
                opener.open(urllib.request.Request(url, data, headers={"Referer": f"{base}/sql/"}))
            except urllib.error.HTTPError as exc:
                assert exc.code in (403, 404) and "frame-ancestors 'none'" in exc.headers["Content-Security-Policy"]
                assert exc.headers["Cache-Control"] == "no-store" and 'id="error"' in exc.read().decode()
            else:
                raise AssertionError(f"{url} answered 200")
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert f"schemakit studio on http://127.0.0.1:{port}/" in out
    assert "Traceback" not in err


def test_db_studio_port_in_use_is_one_line(fresh_db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        r = _manage("db_studio", "--port", str(s.getsockname()[1]), "--no-browser", env=_env(fresh_db))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "cannot serve" in r.stderr
