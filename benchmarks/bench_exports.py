"""Benchmark: every municipality's schedule of a term as one table (issue 13 item 3).

Baseline (measured in the same run, same process): the analyst's loop the issue describes:
``build_schedule`` for each of the 357 municipalities and ``model_dump`` of every milestone
into one list of dicts, then ``pandas.DataFrame(rows)`` (untyped object columns). Measured
against it: :func:`plancycle.frames.all_schedules` (typed columns), and the CLI's tables
``plancycle schedule --all-municipalities`` in CSV, JSON and Excel (without the process start).
Caches are cleared before each measurement, so every one plans the term from scratch.

Reported: medians of ``--repeats`` runs, in seconds, and each one's ratio to the baseline.

    python benchmarks/bench_exports.py [--repeats 3] [--election-year 2023] [--no-xlsx]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import pandas as pd

from plancycle import ElectionPeriod, build_schedule, municipalities
from plancycle.exports.every import every_csv, every_json, every_schedule, every_xlsx
from plancycle.frames import all_schedules
from plancycle.schedule import clear_caches


def _baseline(year: int) -> int:
    period = ElectionPeriod.for_year(year)
    rows = []
    for place in municipalities(year):
        for m in build_schedule(period, place, "classic").milestones:
            rows.append({"municipality": place.number, "municipality_name": place.name,
                         **m.model_dump()})
    return len(pd.DataFrame(rows))


def _timed(work: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        clear_caches()
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--election-year", type=int, default=2023)
    parser.add_argument("--no-xlsx", action="store_true", help="leave out the Excel table")
    args = parser.parse_args()
    year, repeats = args.election_year, args.repeats
    all_schedules(year)  # import pandas and warm the data files before measuring
    cases: list[tuple[str, Callable[[], object]]] = [
        ("baseline: loop + model_dump + DataFrame", lambda: _baseline(year)),
        ("frames.all_schedules (typed)", lambda: len(all_schedules(year))),
        ("CSV (--all-municipalities)", lambda: len(every_csv(every_schedule(year)))),
        ("JSON (--all-municipalities)", lambda: len(every_json(every_schedule(year)))),
    ]
    if not args.no_xlsx:
        cases.append(("xlsx (--all-municipalities)", lambda: len(every_xlsx(every_schedule(year)))))
    print(f"{len(municipalities(year))} municipalities, term {year}, "
          f"{every_schedule(year).rows} rows, median of {repeats}")
    baseline = 0.0
    for name, work in cases:
        seconds, size = _timed(work, repeats)
        baseline = baseline or seconds
        print(f"{name:42s} {seconds:6.2f} s  ratio {seconds / baseline:5.2f}  ({size})")


if __name__ == "__main__":
    main()
