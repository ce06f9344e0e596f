"""Concurrent writers of one owner's term (issue 9): threads and processes recording the same
fact and different facts lose none and duplicate none, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from plancycle.store import Store
from plancycle.term import Term

NOW = dt.datetime(2028, 10, 20, 8, 15, tzinfo=dt.UTC)
SHARED = ("planstrategi.adopted", dt.date(2028, 10, 19))


def _milestones(count: int) -> list[tuple[str, dt.date]]:
    """One-day steps of Stavanger's plan on their planned days (in the order the law puts
    them, so any of them together is a term that can be), the shared fact's process left out."""
    plan = Term(election_year=2027, municipality="1103").plan()
    steps = [(m.id, m.start) for m in plan.milestones
             if m.start == m.end and not m.id.startswith(("election.", "planstrategi."))]
    assert len(steps) >= count
    return steps[:count]


def _check(store: Store, own: list[tuple[str, dt.date]]) -> None:
    history = store.history("1103", 2027)
    expected = {SHARED, *own}
    assert {(f.milestone, f.date) for f in history} == expected  # none lost
    assert len(history) == len(expected)  # none twice
    assert {(f.milestone, f.date) for f in store.facts("1103", 2027)} == expected
    assert store.version("1103", 2027) == len(expected)
    assert len(store.audit("1103", 2027)) == len(expected)


def test_threads_lose_and_duplicate_nothing(store: Store) -> None:
    own = _milestones(8)
    start = threading.Barrier(len(own))

    def write(item: tuple[str, dt.date]) -> list[bool]:
        start.wait(timeout=30)
        shared = store.record("1103", 2027, *SHARED, now=NOW).created
        mine = store.record("1103", 2027, *item, now=NOW).created
        return [shared, mine, store.record("1103", 2027, *SHARED, now=NOW).created]

    with ThreadPoolExecutor(len(own)) as pool:
        results = list(pool.map(write, own))
    assert sum(result[0] + result[2] for result in results) == 1  # the shared fact once
    assert all(result[1] for result in results)
    _check(store, own)


WRITER = """
import datetime as dt, json, sys
from plancycle.store import Store
url, items = sys.argv[1], json.loads(sys.argv[2])
store = Store.open(url)
now = dt.datetime(2028, 10, 20, 8, 15, tzinfo=dt.UTC)
created = 0
for milestone, day in items:
    created += store.record("1103", 2027, milestone, dt.date.fromisoformat(day), now=now).created
store.close()
print(created)
"""


def test_two_processes_lose_and_duplicate_nothing(store: Store) -> None:
    own = _milestones(10)
    shared = [SHARED[0], SHARED[1].isoformat()]
    halves = [[shared] + [[m, d.isoformat()] for m, d in own[i::2]] + [shared] for i in (0, 1)]
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, store.engine.url
                                   .render_as_string(hide_password=False), json.dumps(half)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for half in halves]
    outputs = [process.communicate(timeout=50) for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode(errors="replace")
    assert sum(int(out) for out, _ in outputs) == len(own) + 1
    _check(store, own)
