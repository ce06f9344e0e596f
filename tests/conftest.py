from __future__ import annotations

import datetime as dt

import pytest

from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.models import Schedule


@pytest.fixture(scope="session")
def stavanger_2027() -> Schedule:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
    return build_schedule(period, find_municipality("Stavanger"), "samskaping", lang="en")
