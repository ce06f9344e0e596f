"""Real ``plancycle serve`` processes (port 0) on one database, SQLite file and PostgreSQL: a
fact posted to one process shows in the other's feed on the next request, also across the
workers of ``--workers 2``; a database not at the schema's head is refused at start; a token
sent in a URL by mistake is refused and never reaches the access log."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

NOW = dt.datetime(2028, 3, 10, 9, 0, tzinfo=dt.UTC)
FEED = "/feeds/1103.ics?election=2027&lang=en"
ADOPTED_DONE = "SUMMARY:✓ Planning strategy adopted by the council"
_URL = re.compile(r"(http://[0-9.]+:[0-9]+)/")


class Served:
    """A ``plancycle serve`` process started by a test: its base URL and its stderr so far."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plancycle", "serve", "--port", "0", "--lang", "en", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})})
        self.lines: list[str] = []
        self.found = threading.Event()
        self.url = ""
        threading.Thread(target=self._drain, daemon=True).start()
        if not self.found.wait(40) or not self.url:
            self.stop()
            pytest.fail("plancycle serve printed no URL: " + "".join(self.lines))

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            line = raw.decode("utf-8", errors="replace")
            self.lines.append(line)
            match = _URL.search(line)
            if match and not self.url:
                self.url = match.group(1)
                self.found.set()
        self.found.set()

    def request(self, method: str, target: str, body: Any = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        host, port = self.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            data = json.dumps(body).encode() if body is not None else None
            connection.request(method, target, body=data, headers={
                **({"Content-Type": "application/json"} if data else {}), **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        time.sleep(0)  # let the drain thread see the end of the pipe
        return "".join(self.lines)


@pytest.fixture
def token(store: Any) -> str:
    plain, _ = store.create_token("municipality", "1103", label="test", now=NOW)
    return str(plain)


@pytest.fixture
def served(database_url: str) -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for server in started:
        server.stop()


def fact(date: str) -> dict[str, str]:
    return {"milestone": "planstrategi.adopted", "date": date}


def test_a_fact_posted_to_one_server_shows_in_the_others_feed(
        database_url: str, token: str, served: list[Served]) -> None:
    first = Served(["--database", database_url, "--quiet"])
    served.append(first)
    second = Served(["--database", database_url, "--quiet"])
    served.append(second)
    assert first.url != second.url
    status, before = second.request("GET", FEED)
    assert status == 200 and ADOPTED_DONE not in before.decode()
    status, body = first.request("POST", "/api/v1/terms/1103/2027/facts", fact("2028-03-09"),
                                 {"Authorization": f"Bearer {token}"})
    assert status == 201, body
    status, after = second.request("GET", FEED)
    assert status == 200 and ADOPTED_DONE in after.decode()
    assert first.request("GET", FEED)[1] == after  # the same bytes from both
    status, body = second.request("GET", "/api/v1/terms/1103/2027/facts")
    assert [f["date"] for f in json.loads(body)["facts"]] == ["2028-03-09"]


def test_two_workers_serve_the_same_bytes_right_after_a_write(
        database_url: str, token: str, served: list[Served]) -> None:
    server = Served(["--database", database_url, "--quiet", "--workers", "2"])
    served.append(server)
    assert "2 process" in "".join(server.lines)
    for _ in range(8):  # both workers cache the feed before the write
        assert ADOPTED_DONE not in server.request("GET", FEED)[1].decode()
    status, body = server.request("POST", "/api/v1/terms/1103/2027/facts", fact("2028-03-09"),
                                  {"Authorization": f"Bearer {token}"})
    assert status == 201, body
    bodies = {server.request("GET", FEED)[1] for _ in range(8)}
    assert len(bodies) == 1 and ADOPTED_DONE in bodies.pop().decode()


def test_a_database_not_at_the_head_is_refused(tmp_path: Path) -> None:
    existing = tmp_path / "old.db"
    existing.write_bytes(b"")  # exists, so it is not created: no schema
    done = subprocess.run([sys.executable, "-m", "plancycle", "serve", "--port", "0", "--lang",
                           "en", "--database", f"sqlite:///{existing}"],
                          capture_output=True, timeout=50, check=False)
    assert done.returncode == 2
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "plancycle db upgrade" in lines[0], lines


def test_a_token_in_a_url_is_refused_and_not_logged(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'fresh.db'}"  # created at the head by serve
    server = Served(["--database", database])
    try:
        secret = "pc_" + "s3cr3t" * 6
        for target in (f"/api/v1/terms/1103/2027/facts?token={secret}",
                       f"/api/v1/terms/1103/2027?access_token={secret}",
                       f"/feeds/1103.ics?token={secret}"):
            status, body = server.request("GET", target)
            assert status == 400 and secret.encode() not in body
        status, _ = server.request("POST", "/api/v1/terms/1103/2027/facts", fact("2028-03-09"),
                                   {"Authorization": f"Bearer {secret}"})
        assert status == 401
        assert server.request("GET", "/healthz")[0] == 200
    finally:
        log = server.stop()
    assert (tmp_path / "fresh.db").exists()
    assert "/api/v1/terms/1103/2027/facts?…" in log  # the access log is on
    assert secret not in log


def test_concurrent_writers_of_one_owner_on_two_servers_lose_and_duplicate_nothing(
        database_url: str, token: str, served: list[Served]) -> None:
    """Eight facts of one owner (the first and second tertial reports of 2028–2031), each posted
    twice at once, alternately to two servers on one database: eight rows, each fact once."""
    from concurrent.futures import ThreadPoolExecutor

    servers = [Served(["--database", database_url, "--quiet"]) for _ in range(2)]
    served.extend(servers)
    facts = [{"milestone": f"action_economy_plan.{year}.tertial_report_{n}",
              "date": f"{year}-{'04-30' if n == 1 else '08-31'}"}
             for year in range(2028, 2032) for n in (1, 2)]
    posts = [(servers[i % 2], fact) for i, fact in enumerate(facts + facts)]

    def post(job: tuple[Served, dict[str, str]]) -> int:
        server, body = job
        status, _ = server.request("POST", "/api/v1/terms/1103/2027/facts", body,
                                   {"Authorization": f"Bearer {token}"})
        return status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, posts))
    assert sorted(statuses) == [200] * 8 + [201] * 8  # each fact written once, repeated once
    status, body = servers[0].request("GET", "/api/v1/terms/1103/2027/facts")
    assert status == 200
    stored = sorted((f["milestone"], f["date"]) for f in json.loads(body)["facts"])
    assert stored == sorted((f["milestone"], f["date"]) for f in facts)
