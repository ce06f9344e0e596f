from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

import plancycle.ical
import plancycle.schedule
from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.models import Schedule

#: ``fresh_process(code, stdin=b"")``: what ``code`` writes to stdout in a new interpreter.
FreshProcess = Callable[..., bytes]


@pytest.fixture(scope="session")
def stavanger_2027() -> Schedule:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
    return build_schedule(period, find_municipality("Stavanger"), "samskaping", lang="en")


def _in_a_fresh_process(code: str, stdin: bytes = b"") -> bytes:
    """What ``code`` writes to stdout when run by a new interpreter: none of this process's
    caches, and another hash seed (so set and dict order cannot leak into the bytes)."""
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    done = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True,
                          timeout=50, check=False, env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def _clear_caches() -> None:
    """Forget what this process has computed, so the second call computes again."""
    plancycle.schedule.clear_caches()
    plancycle.ical.describe.cache_clear()


@pytest.fixture
def fresh_process() -> FreshProcess:
    """Run code in a new interpreter (see :func:`_in_a_fresh_process`)."""
    return _in_a_fresh_process


@pytest.fixture
def clear_caches() -> Callable[[], None]:
    """Forget this process's cached plans and descriptions."""
    return _clear_caches
