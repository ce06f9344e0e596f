"""Benchmark: schedule + calendar for all 357 municipalities for one term, against bare icalendar.

Baseline (measured in the same run, same process): build and serialise the very same VEVENTs
(same properties and values, precomputed) with icalendar alone. plancycle is measured twice:

- cached: the path a feed, `plancycle ics` or `publish` takes (build_schedule → to_ical), where the
  schedule is computed once per term and each distinct VEVENT is serialised once per kind of
  owner, so later municipalities only splice their UID in;
- uncached: every cache cleared before each municipality, so plancycle plans, describes and
  serialises everything itself: the honest measure of what plancycle adds on top of icalendar.

Reported: medians of several repeats, time per municipality and the ratios against the
baseline (target for the uncached ratio: ≤ 1.30).

    python benchmarks/bench_calendars.py [--repeats 5] [--model samskaping]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from icalendar import Calendar, Event

from plancycle import ElectionPeriod, build_schedule, ical, municipalities, to_ical
from plancycle.ical import to_calendar
from plancycle.schedule import clear_caches


def _clear_caches() -> None:
    clear_caches()
    ical.describe.cache_clear()
    ical._event_bytes.cache_clear()


def _plancycle_run(period: ElectionPeriod, model: str, *, cached: bool) -> int:
    size = 0
    for municipality in municipalities():
        if not cached:
            _clear_caches()
        size += len(to_ical(build_schedule(period, municipality, model)))  # type: ignore[arg-type]
    return size


def _precompute(period: ElectionPeriod, model: str) -> list[list[list[tuple[str, object]]]]:
    """The property lists of every VEVENT of every municipality, taken from plancycle's output."""
    out = []
    for municipality in municipalities():
        calendar = to_calendar(build_schedule(period, municipality, model))  # type: ignore[arg-type]
        events = []
        for event in calendar.walk("VEVENT"):
            props = []
            for name in ("UID", "DTSTAMP", "LAST-MODIFIED", "DTSTART", "DTEND", "SUMMARY",
                         "DESCRIPTION", "STATUS", "TRANSP", "SEQUENCE"):
                props.append((name.lower(), event.decoded(name) if name in (
                    "DTSTAMP", "LAST-MODIFIED", "DTSTART", "DTEND") else str(event[name])))
            props.append(("categories", [str(c) for c in event["CATEGORIES"].cats]))
            events.append(props)
        out.append(events)
    return out


def _baseline_run(precomputed: list[list[list[tuple[str, object]]]], head: Calendar) -> int:
    size = 0
    for events in precomputed:
        calendar = Calendar()
        for key, value in head.property_items(recursive=False)[1:-1]:
            calendar.add(key, value)
        for props in events:
            event = Event()
            for name, value in props:
                event.add(name, value)
            calendar.add_component(event)
        size += len(calendar.to_ical())
    return size


def _median(fn: Callable[[], int], repeats: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        size = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", default="samskaping")
    parser.add_argument("--year", type=int, default=2027)
    args = parser.parse_args()
    period = ElectionPeriod.for_year(args.year, constituted=dt.date(args.year, 10, 21))
    count = len(municipalities())

    clear_caches()
    start = time.perf_counter()
    cold = build_schedule(period, None, args.model)
    cold_ms = (time.perf_counter() - start) * 1e3
    precomputed = _precompute(period, args.model)
    head = to_calendar(cold)
    events = sum(len(e) for e in precomputed)

    base_s, base_size = _median(lambda: _baseline_run(precomputed, head), args.repeats)
    cold_s, cold_size = _median(lambda: _plancycle_run(period, args.model, cached=False),
                                args.repeats)
    ours_s, ours_size = _median(lambda: _plancycle_run(period, args.model, cached=True),
                                args.repeats)
    print(f"municipalities: {count}, events: {events} ({events // count} each), "
          f"repeats: {args.repeats} (medians)")
    print(f"first schedule (cold cache): {cold_ms:.2f} ms")
    print(f"bare icalendar:  {base_s:.3f} s  {base_s / count * 1e3:.2f} ms/municipality  "
          f"{base_size / 1e6:.1f} MB")
    print(f"plancycle uncached: {cold_s:.3f} s  {cold_s / count * 1e3:.2f} ms/municipality  "
          f"{cold_size / 1e6:.1f} MB")
    print(f"plancycle cached:   {ours_s:.3f} s  {ours_s / count * 1e3:.2f} ms/municipality  "
          f"{ours_size / 1e6:.1f} MB")
    print(f"ratio uncached / bare icalendar: {cold_s / base_s:.2f} (target <= 1.30)")
    print(f"ratio cached / bare icalendar:   {ours_s / base_s:.3f}")


if __name__ == "__main__":
    main()
