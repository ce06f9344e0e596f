"""The deployment example (``deploy/``): its nginx configuration, with the upstream pointed at
two real ``plancycle serve`` processes on one database, passes ``nginx -t`` and proxies feeds,
the API and its limits; a fact posted through nginx shows in the feed from either process.
nginx listens on a Unix socket in tmp_path (no port); skipped where nginx is not installed
(CI installs it)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_service_processes import Served

ROOT = Path(__file__).resolve().parent.parent
FEED = "/feeds/1103.ics?election=2027&lang=en"

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None and
                                os.environ.get("PLANCYCLE_REQUIRE_NGINX") != "1",
                                reason="nginx is not installed (apt-get install nginx)")


class UnixConnection(http.client.HTTPConnection):
    """HTTP over the Unix socket nginx listens on."""

    def __init__(self, path: Path) -> None:
        super().__init__("plan.example.no", timeout=30)
        self.path = str(path)

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.path)


def _request(path: Path, method: str, target: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = UnixConnection(path)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _config(folder: Path, upstreams: list[str]) -> Path:
    """deploy/nginx.conf in a whole nginx configuration of its own (temp paths, pid, log)."""
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "server app:8000;" in site and "listen 80;" in site
    site = site.replace("server app:8000;", " ".join(f"server {u};" for u in upstreams))
    site = site.replace("listen 80;", f"listen unix:{folder / 'nginx.sock'};")
    (folder / "site.conf").write_text(site, encoding="utf-8")
    (folder / "tmp").mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(f"""{user}worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'};
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder / 'tmp'};
    proxy_temp_path {folder / 'tmp'};
    fastcgi_temp_path {folder / 'tmp'};
    uwsgi_temp_path {folder / 'tmp'};
    scgi_temp_path {folder / 'tmp'};
    include {folder / 'site.conf'};
}}
""", encoding="utf-8")
    return main


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[tuple[Path, list[Served], str]]:
    database = f"sqlite:///{tmp_path / 'plancycle.db'}"
    env = {"PLANCYCLE_DATABASE": database}
    subprocess.run([sys.executable, "-m", "plancycle", "db", "upgrade"],
                   env={**os.environ, **env}, check=True, capture_output=True, timeout=50)
    made = subprocess.run([sys.executable, "-m", "plancycle", "token", "create",
                           "--municipality", "1103"], env={**os.environ, **env}, check=True,
                          capture_output=True, timeout=50, text=True)
    token = made.stdout.splitlines()[0].strip()
    apps = [Served(["--quiet"], env=env), Served(["--quiet"], env=env)]
    nginx: subprocess.Popen[bytes] | None = None
    try:
        config = _config(tmp_path, [app.url.removeprefix("http://") for app in apps])
        checked = subprocess.run(["nginx", "-t", "-c", str(config)], capture_output=True,
                                 timeout=30, check=False)
        assert checked.returncode == 0, checked.stderr.decode()
        nginx = subprocess.Popen(["nginx", "-c", str(config), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sock = tmp_path / "nginx.sock"
        deadline = time.monotonic() + 20
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sock.exists(), (tmp_path / "error.log").read_text(errors="replace")
        yield sock, apps, token
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=20)
        for app in apps:
            app.stop()


def _post(sock: Path, token: str, fact: dict[str, Any]) -> tuple[int, bytes]:
    return _request(sock, "POST", "/api/v1/terms/1103/2027/facts", json.dumps(fact).encode(),
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})


def test_nginx_proxies_the_service_and_a_posted_fact_reaches_every_process(
        deployment: tuple[Path, list[Served], str]) -> None:
    sock, apps, token = deployment
    status, before = _request(sock, "GET", FEED)
    assert status == 200 and before.startswith(b"BEGIN:VCALENDAR")
    assert _request(sock, "GET", "/healthz")[0] == 200
    status, body = _post(sock, token, {"milestone": "planstrategi.adopted", "date": "2028-03-14"})
    assert status == 201, body
    for app in apps:  # whichever process nginx picks, and each one asked directly
        status, feed = app.request("GET", FEED)
        assert status == 200 and b"DTSTART;VALUE=DATE:20280314" in feed
    for _ in range(4):
        assert b"DTSTART;VALUE=DATE:20280314" in _request(sock, "GET", FEED)[1]


def test_nginx_refuses_a_body_over_the_limit_before_the_app(
        deployment: tuple[Path, list[Served], str]) -> None:
    sock, _, token = deployment
    status, _ = _post(sock, token, {"milestone": "planstrategi.adopted", "date": "2028-03-14",
                                    "source": "x" * 20_000})
    assert status == 413
