"""Benchmark: re-planning a followed term after one new fact, against planning it from scratch.

Baseline (same run, same process): ``build_schedule`` of the same term with its caches cleared, so
it plans every milestone from the rules. Measured: ``Term.schedule()`` of the term after one more
fact (the path a web request or ``plancycle record`` takes: the term's plan is already known, the
fact re-dates what depends on it), and ``Term.status()`` for the same term.

Reported: medians over repeats, in milliseconds, and the ratios against the baseline (target for
re-planning: at most 1x).

    python benchmarks/bench_replan.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.term import Term

K = dt.date(2027, 10, 21)
FACTS = (("election.constituent_meeting", K), ("planstrategi.start", dt.date(2027, 11, 8)))
NEW = ("samfunnsdel.public_consultation", dt.date(2028, 6, 12))


def _median_ms(work: Callable[[], object], repeats: int, before: Callable[[], None]) -> float:
    times = []
    for _ in range(repeats):
        before()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    period = ElectionPeriod.for_year(2027, constituted=K)
    bergen = find_municipality("4601")
    term = Term(election_year=2027, municipality="4601", constituted=K)
    for milestone, day in FACTS:
        term = term.record(milestone, day)
    term.schedule(lang="nb")  # the term's plan is known before the new fact comes in
    later = term.record(*NEW)

    from plancycle.schedule import clear_caches

    def scratch() -> object:
        return build_schedule(period, bergen, "samskaping", lang="nb")

    baseline = _median_ms(scratch, args.repeats, clear_caches)
    replan = _median_ms(lambda: later.schedule(lang="nb"), args.repeats, lambda: None)
    record = _median_ms(lambda: term.record(*NEW).schedule(lang="nb"), args.repeats,
                        lambda: None)
    status = _median_ms(lambda: later.status(dt.date(2028, 6, 20), lang="nb"), args.repeats,
                        lambda: None)
    print(f"build_schedule from scratch (baseline): median {baseline:.2f} ms")
    print(f"re-plan after one fact (Term.schedule): median {replan:.2f} ms "
          f"= {replan / baseline:.2f}x baseline (target <= 1x)")
    print(f"record one fact + re-plan:              median {record:.2f} ms "
          f"= {record / baseline:.2f}x baseline")
    print(f"status with violations and forecast:    median {status:.2f} ms "
          f"= {status / baseline:.2f}x baseline")


if __name__ == "__main__":
    main()
