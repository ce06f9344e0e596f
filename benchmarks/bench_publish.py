"""Benchmark: ``plancycle publish`` for all 357 municipalities and 14 county authorities, with one
process and with all cores, against bare icalendar serialisation of the same events.

plancycle's figure is the wall time of the real command (a fresh ``python -m plancycle publish``
process, interpreter start-up, all 371 feeds and the index page written atomically with fsync).
Baseline, measured in the same run: read back the published feeds, take every VEVENT's
properties, and build and serialise the very same calendars with icalendar alone (in this
process, no files written). Reported: medians of the repeats and the ratios plancycle / baseline.

    python benchmarks/bench_publish.py [--repeats 3] [--year 2027] [--model samskaping]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from icalendar import Calendar, Event

Properties = list[tuple[str, object]]


def _publish(out: Path, year: int, model: str, jobs: int) -> float:
    command = [sys.executable, "-m", "plancycle", "publish", "--election-year", str(year),
               "--model", model, "--out-dir", str(out), "--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def _precompute(out: Path) -> list[tuple[Properties, list[Properties]]]:
    """Calendar-level and VEVENT properties of every published feed, decoded."""
    feeds = []
    for path in sorted((out / "feeds").rglob("*.ics")):
        calendar = Calendar.from_ical(path.read_bytes())
        head = [(k.lower(), v) for k, v in calendar.property_items(recursive=False)[1:-1]]
        events = []
        for event in calendar.walk("VEVENT"):
            props: Properties = []
            for name in ("UID", "DTSTAMP", "LAST-MODIFIED", "DTSTART", "DTEND", "SUMMARY",
                         "DESCRIPTION", "STATUS", "TRANSP", "SEQUENCE"):
                value = event.decoded(name) if name in (
                    "DTSTAMP", "LAST-MODIFIED", "DTSTART", "DTEND", "SEQUENCE") else str(event[name])
                props.append((name.lower(), value))
            props.append(("categories", [str(c) for c in event["CATEGORIES"].cats]))
            events.append(props)
        feeds.append((head, events))
    return feeds


def _baseline(feeds: list[tuple[Properties, list[Properties]]]) -> int:
    size = 0
    for head, events in feeds:
        calendar = Calendar()
        for key, value in head:
            calendar.add(key, value)
        for props in events:
            event = Event()
            for name, value in props:
                event.add(name, value)
            calendar.add_component(event)
        size += len(calendar.to_ical())
    return size


def _median(fn: Callable[[], float], repeats: int) -> float:
    return statistics.median(fn() for _ in range(repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--model", default="samskaping")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        one = _median(lambda: _publish(out, args.year, args.model, 1), args.repeats)
        every = _median(lambda: _publish(out, args.year, args.model, cores), args.repeats)
        feeds = _precompute(out)
        events = sum(len(e) for _, e in feeds)

        def timed_baseline() -> float:
            start = time.perf_counter()
            _baseline(feeds)
            return time.perf_counter() - start

        base = _median(timed_baseline, args.repeats)
        size = sum(p.stat().st_size for p in (out / "feeds").rglob("*.ics"))
    print(f"feeds: {len(feeds)} ({events} events, {size / 1e6:.1f} MB), cores: {cores}, "
          f"repeats: {args.repeats} (medians)")
    print(f"bare icalendar serialisation (baseline): {base:.2f} s")
    print(f"plancycle publish --jobs 1:              {one:.2f} s  ratio {one / base:.2f}")
    print(f"plancycle publish --jobs {cores}:              {every:.2f} s  ratio {every / base:.2f}")


if __name__ == "__main__":
    main()
