"""Benchmark: the plan service's cached feed throughput against nginx, and a posted fact's latency.

Two measurements, each against a baseline measured in the same run:

1. **Throughput.** ``plancycle serve --workers 2`` (on an SQLite database with Stavanger's 2027
   term stored) answering one feed from its cache, against nginx (two worker processes) serving
   the very same bytes from a file. Both are loaded by the same real load generator, ``wrk``
   (Debian's ``wrk``: two threads, 64 keep-alive connections), for a few seconds per repeat; the
   median requests/s of the repeats and their ratio are reported. wrk counts non-2xx answers;
   there must be none.
2. **A posted fact reaches the feed.** With a token for Stavanger, ``POST …/facts`` records a
   fact (alternately replacing its date) and a ``GET`` of the feed right after must carry the new
   date: the median time from the start of the POST to the end of that GET, on SQLite and on
   PostgreSQL (a throwaway cluster on a Unix socket, when PostgreSQL's binaries are there), and,
   as the baseline, a GET of the cached feed alone.

    python benchmarks/bench_service.py [--seconds 5] [--repeats 3] [--posts 30]

Needs ``wrk`` and ``nginx`` (``apt-get install wrk nginx``). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FEED = "/feeds/1103.ics?election=2027"
STARTED = re.compile(r"https?://[^\s/]+:(\d+)/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _plancycle(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "plancycle", *args], capture_output=True,
                          text=True, timeout=120, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"plancycle {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


@contextmanager
def _serve(database: str, workers: int) -> Iterator[int]:
    """``plancycle serve`` on a free port; its port, read from its start-up line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "plancycle", "serve", "--database", database, "--port", "0",
         "--workers", str(workers), "--quiet", "--lang", "en"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                raise RuntimeError("plancycle serve ended before it served")
            if match := STARTED.search(line):
                port = int(match.group(1))
        if port is None:
            raise RuntimeError("plancycle serve did not start within 60 s")
        _wait_ready(port)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = _get(port, "/healthz")
            if status == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no answer on port {port}")


@contextmanager
def _nginx(folder: Path, body: bytes) -> Iterator[int]:
    """nginx with two workers serving ``body`` at the feed's path (the query is ignored)."""
    port = _free_port()
    (folder / "www" / "feeds").mkdir(parents=True)
    (folder / "www" / "feeds" / "1103.ics").write_bytes(body)
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(f"""{user}
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/calendar ics; }}
    client_body_temp_path {folder}/tmp;
    proxy_temp_path {folder}/tmp;
    fastcgi_temp_path {folder}/tmp;
    uwsgi_temp_path {folder}/tmp;
    scgi_temp_path {folder}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/www;
        etag on;
    }}
}}
""")
    process = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if _get(port, "/feeds/1103.ics")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


@contextmanager
def _postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL cluster on a Unix socket (no TCP port); None without binaries."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if os.environ.get("PLANCYCLE_TEST_POSTGRES_URL"):
        url = os.environ["PLANCYCLE_TEST_POSTGRES_URL"]
        yield _fresh_pg_database(url)
        return
    if not bins:
        yield None
        return
    root = Path(tempfile.mkdtemp())
    root.chmod(0o755)
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    pg = bins[-1]
    subprocess.run([*prefix, str(pg / "initdb"), "-D", str(root / "data"), "-U", "plancycle",
                    "-A", "trust", "-E", "UTF8"], check=True, capture_output=True)
    subprocess.run([*prefix, str(pg / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"),
                    "-w", "-o", f"-c listen_addresses='' -k {root}", "start"], check=True,
                   capture_output=True)
    try:
        yield _fresh_pg_database(f"postgresql+psycopg://plancycle@/postgres?host={root}")
    finally:
        subprocess.run([*prefix, str(pg / "pg_ctl"), "-D", str(root / "data"), "-m", "fast",
                        "stop"], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def _fresh_pg_database(url: str) -> str:
    import sqlalchemy as sa

    name = f"bench_{os.getpid()}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _wrk(port: int, path: str, seconds: float) -> tuple[float, int]:
    """wrk's requests/s and its count of failed or non-2xx answers."""
    done = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds:g}s", f"http://127.0.0.1:{port}{path}"],
                          capture_output=True, text=True, timeout=seconds + 60, check=True)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", done.stdout)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       done.stdout)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate: {done.stdout}")
    failed = int(bad.group(1)) if bad else 0
    if errors:
        failed += sum(int(n) for n in errors.groups())
    return float(rate.group(1)), failed


def _throughput(port: int, path: str, args: argparse.Namespace) -> tuple[float, int]:
    _wrk(port, path, 1)  # warm-up
    rates, failed = [], 0
    for _ in range(args.repeats):
        rate, bad = _wrk(port, path, args.seconds)
        rates.append(rate)
        failed += bad
    return statistics.median(rates), failed


def _prepare(database: str, env: dict[str, str]) -> str:
    """A database at head with Stavanger's 2027 term and a token for it; the token."""
    _plancycle("db", "upgrade", "--database", database, env=env)
    term = Path(__file__).resolve().parent.parent / "examples" / "terms" / "stavanger-2027.toml"
    _plancycle("db", "import", "--database", database, str(term), env=env)
    out = _plancycle("token", "create", "--municipality", "1103", "--label", "bench",
                     "--database", database, env=env)
    return out.splitlines()[0].strip()


def _post_latency(port: int, token: str, posts: int) -> tuple[float, float]:
    """Median ms from POST to the updated feed, and of a GET of the unchanged feed (the same
    connection pattern: a new connection per request, as a subscriber's client makes)."""
    days = (dt.date(2030, 4, 30), dt.date(2030, 5, 6))
    milestone = "action_economy_plan.2030.tertial_report_1"
    for _ in range(4):  # every worker has built the unchanged feed
        _get(port, FEED)
    gets = []
    for _ in range(posts):
        start = time.perf_counter()
        _get(port, FEED)
        gets.append((time.perf_counter() - start) * 1000)
    latencies = []
    for n in range(posts):
        day = days[n % 2]
        body = json.dumps({"milestone": milestone, "date": day.isoformat(), "replace": True})
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", "/api/v1/terms/1103/2027/facts", body=body,
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status not in (200, 201):
            raise RuntimeError(f"POST answered {response.status}")
        status, feed = _get(port, FEED)
        latencies.append((time.perf_counter() - start) * 1000)
        if status != 200 or day.strftime("%Y%m%d").encode() not in feed:
            raise RuntimeError("the feed did not carry the posted fact")
    return statistics.median(latencies), statistics.median(gets)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per wrk repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--posts", type=int, default=30, help="facts posted per database")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            print(f"bench_service: {tool} is not installed (apt-get install {tool})",
                  file=sys.stderr)
            return 2
    env = {**os.environ}
    rows: list[str] = []
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = f"sqlite:///{folder / 'bench.db'}"
        token = _prepare(database, env)
        with _serve(database, workers=2) as port:
            status, body = _get(port, FEED)
            assert status == 200, status
            served, bad1 = _throughput(port, FEED, args)
            latency, get = _post_latency(port, token, args.posts)
        with _nginx(folder, body) as port:
            nginx, bad2 = _throughput(port, "/feeds/1103.ics", args)
        failed += bad1 + bad2
        if bad1 or bad2:
            print(f"failed or non-2xx answers under load: plancycle {bad1}, nginx {bad2}",
                  file=sys.stderr)
        rows.append(f"| cached feed, requests/s (median of {args.repeats} × {args.seconds:g} s, "
                    f"wrk -t2 -c64) | {served:,.0f} | nginx, same {len(body):,} bytes: "
                    f"{nginx:,.0f} | {served / nginx:.2f}× |")
        rows.append(f"| posted fact → updated feed, SQLite (median of {args.posts}) | "
                    f"{latency:.1f} ms | GET of the unchanged feed: {get:.1f} ms | {latency / get:.1f}× |")
        with _postgres() as pg_url:
            if pg_url is None:
                rows.append("| posted fact → updated feed, PostgreSQL | not measured: no "
                            "PostgreSQL binaries | | |")
            else:
                token = _prepare(pg_url, env)
                with _serve(pg_url, workers=2) as port:
                    latency, get = _post_latency(port, token, args.posts)
                rows.append(f"| posted fact → updated feed, PostgreSQL (median of {args.posts}) "
                            f"| {latency:.1f} ms | GET of the unchanged feed: {get:.1f} ms | "
                            f"{latency / get:.1f}× |")
    print("| measurement | plancycle serve | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    for row in rows:
        print(row)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
