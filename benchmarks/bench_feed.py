"""Benchmark: requests per second of the feed server, cached and cold, against a static file server.

Three servers run as separate processes on loopback, each serving the very same calendar bytes:

- baseline: Python's own static file server (``python -m http.server``, threading) serving the
  feed written to a file;
- cached: ``plancycle serve`` answering one feed over and over from its in-memory cache;
- cold: ``plancycle serve --cache-size 0``, every request building a feed (cycling through all
  municipalities, so no two consecutive requests are for the same feed).

A load generator (a pool of client threads in this process, one new connection per request)
runs for a bounded time per scenario. Every response is checked (status 200 and the exact
length); the run reports errors, which must be zero. Reported: median
requests/s over the repeats and the ratio against the static server measured in the same run.

    python benchmarks/bench_feed.py [--seconds 3] [--repeats 3] [--clients 8]

The Python client threads are themselves the limit near 1,000 requests/s: for the service's
throughput against nginx with a real load generator, see ``bench_service.py``.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from plancycle import ElectionPeriod, build_schedule, find_municipality, municipalities, to_ical


@contextmanager
def _server(command: list[str], pattern: str, stream: str) -> Iterator[int]:
    """Start a server process, read its port from its start-up line, stop it afterwards. Only
    the stream with that line is a pipe; the other goes nowhere, so logs cannot block a server."""
    pipe, null = subprocess.PIPE, subprocess.DEVNULL
    process = subprocess.Popen(command, stdout=pipe if stream == "stdout" else null,
                               stderr=pipe if stream == "stderr" else null, text=True)
    try:
        source = process.stdout if stream == "stdout" else process.stderr
        assert source is not None
        line = source.readline()
        match = re.search(pattern, line)
        if match is None:
            raise RuntimeError(f"server did not start: {line!r}")
        yield int(match.group(1))
    finally:
        process.terminate()
        process.wait(timeout=10)


def _load(port: int, targets: Callable[[int], str], expected: Callable[[str], int], seconds: float,
          clients: int) -> tuple[int, int, float]:
    """Requests answered correctly, errors, and elapsed seconds, for ``clients`` threads."""
    done, errors = [0] * clients, [0] * clients
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        n = index
        while time.perf_counter() < stop:
            target = targets(n)
            n += clients
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", target)
                response = connection.getresponse()
                body = response.read()
                connection.close()
                ok = response.status == 200 and len(body) == expected(target)
            except OSError:
                ok = False
            if ok:
                done[index] += 1
            else:
                errors[index] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), sum(errors), time.perf_counter() - start


def _scenario(name: str, port: int, targets: Callable[[int], str], expected: Callable[[str], int],
              args: argparse.Namespace) -> tuple[float, int]:
    _load(port, targets, expected, 0.5, args.clients)  # warm-up (caches, connections)
    rates, errors = [], 0
    for _ in range(args.repeats):
        count, failed, elapsed = _load(port, targets, expected, args.seconds, args.clients)
        rates.append(count / elapsed)
        errors += failed
    rate = statistics.median(rates)
    print(f"{name:<34} {rate:9.0f} req/s   errors: {errors}")
    return rate, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    args = parser.parse_args()

    python = sys.executable
    database = Path(tempfile.mkdtemp()) / "bench.db"  # the service's store: empty, at head
    serve = [python, "-m", "plancycle", "serve", "--port", "0", "--quiet", "--lang", "en",
             "--election-year", "2027", "--database", f"sqlite:///{database}"]
    started = r"127\.0\.0\.1:(\d+)/"
    feed = to_ical(build_schedule(ElectionPeriod.for_year(2027), find_municipality("1103")))
    numbers = [m.number for m in municipalities()]
    sizes: dict[str, int] = {}

    def size_of(target: str) -> int:
        if target not in sizes:
            number = target.split("/")[-1].split(".")[0]
            sizes[target] = len(to_ical(build_schedule(ElectionPeriod.for_year(2027),
                                                       find_municipality(number))))
        return sizes[target]

    for number in numbers:
        size_of(f"/feeds/{number}.ics")
    print(f"feed size {len(feed)} bytes; {args.clients} client threads; {args.repeats} x "
          f"{args.seconds:.0f} s per scenario (medians)")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "feeds").mkdir()
        (Path(folder) / "feeds" / "1103.ics").write_bytes(feed)
        static_cmd = [python, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
                      "--directory", folder]
        with _server(static_cmd, r"port (\d+)", "stdout") as port:
            static, e1 = _scenario("static file server (baseline)", port,
                                   lambda n: "/feeds/1103.ics", lambda t: len(feed), args)
        with _server(serve, started, "stderr") as port:
            cached, e2 = _scenario("plancycle serve, cached feed", port,
                                   lambda n: "/feeds/1103.ics", size_of, args)
        with _server([*serve, "--cache-size", "0"], started, "stderr") as port:
            cold, e3 = _scenario("plancycle serve, cold feed", port,
                                 lambda n: f"/feeds/{numbers[n % len(numbers)]}.ics", size_of,
                                 args)
    print(f"ratio cached / static: {cached / static:.2f}")
    print(f"ratio cold / static:   {cold / static:.2f}")
    return 1 if e1 + e2 + e3 else 0


if __name__ == "__main__":
    sys.exit(main())
