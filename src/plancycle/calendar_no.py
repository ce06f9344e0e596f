"""Norwegian calendar facts: election days, public holidays, working days and hearing padding.

Public holidays are the days helligdagsloven § 2 lists, computed for any year (fixed days and the
days counted from Easter, ``dateutil.easter``): the ``holidays`` package stops at 2100, and a
schedule of the 2099 term reaches 2103 (issue 12). Election days come from
``data/election_days.toml`` (official) or the custom of rule ``election-day`` (the second Monday of
September), then marked provisional; :func:`next_election_day` also gives the one after the last
election year the library accepts.
"""

from __future__ import annotations

import datetime as dt
import reprlib
from functools import cache
from typing import Literal

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta, weekday
from pydantic import BaseModel, ConfigDict

from plancycle.errors import InputError
from plancycle.i18n import load_data_toml
from plancycle.rules import Confidence, rule_table

FIRST_ELECTION_YEAR = 2011
LAST_ELECTION_YEAR = 2099
HolidayPeriod = Literal["july", "easter", "christmas"]
HOLIDAY_PERIODS: tuple[HolidayPeriod, ...] = ("july", "easter", "christmas")


class ElectionDay(BaseModel):
    """An election day and how sure we are of it."""

    model_config = ConfigDict(frozen=True)

    date: dt.date
    provisional: bool
    confidence: Confidence


def check_election_year(year: int) -> int:
    """Return ``year`` if municipal elections are held in it (2011, 2015, … up to 2099).

    Anything but an ``int`` (a string, a float, a bool) is refused with :class:`InputError` too.
    """
    if not isinstance(year, int) or isinstance(year, bool):
        raise InputError(key="election_year_type", given=reprlib.repr(year),
                         kind=type(year).__name__)
    if year < FIRST_ELECTION_YEAR or year > LAST_ELECTION_YEAR:
        raise InputError(key="year_out_of_range", year=year, first=FIRST_ELECTION_YEAR,
                         last=LAST_ELECTION_YEAR)
    if (year - FIRST_ELECTION_YEAR) % 4:
        before = year - (year - FIRST_ELECTION_YEAR) % 4
        raise InputError(key="not_election_year", year=year, first=FIRST_ELECTION_YEAR,
                         second=FIRST_ELECTION_YEAR + 4, before=before, after=before + 4)
    return year


@cache
def _official_election_days() -> dict[int, ElectionDay]:
    raw = load_data_toml("election_days.toml")
    return {
        int(entry["year"]): ElectionDay(
            date=dt.date.fromisoformat(entry["date"]),
            provisional=False,
            confidence=entry["confidence"],
        )
        for entry in raw["official"]
    }


def election_day(year: int) -> ElectionDay:
    """The municipal election day of ``year`` (valgloven § 9-2).

    Official where listed; otherwise the custom (rule ``election-day``: by default the second Monday
    of September), marked provisional.
    """
    check_election_year(year)
    return _election_day_of(year)


def next_election_day(year: int) -> ElectionDay:
    """The election day after that of election year ``year``: four years on, by the same custom
    (a Monday), provisional unless listed, also after :data:`LAST_ELECTION_YEAR` (2099 → 2103-09-10,
    not election day + 4 years, which is a Friday)."""
    check_election_year(year)
    return _election_day_of(year + 4)


def _election_day_of(year: int) -> ElectionDay:
    official = _official_election_days().get(year)
    if official is not None:
        return official
    rule = rule_table().get("election-day")
    first = dt.date(year, rule.int_param("month"), 1)
    nth_weekday = weekday(rule.int_param("weekday"), rule.int_param("nth"))
    return ElectionDay(date=first + relativedelta(weekday=nth_weekday), provisional=True,
                       confidence="P")


#: Fixed public holidays (helligdagsloven § 2; 1 and 17 May by lov 26. april 1947 nr. 1).
_FIXED_HOLIDAYS: tuple[tuple[int, int], ...] = ((1, 1), (5, 1), (5, 17), (12, 25), (12, 26))
#: Holidays counted from Easter Sunday, in days: Maundy Thursday, Good Friday, Easter Sunday and
#: Monday, Ascension Day, Whit Sunday and Monday.
_EASTER_OFFSETS: tuple[int, ...] = (-3, -2, 0, 1, 39, 49, 50)


@cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    sunday = easter(year)
    return frozenset({dt.date(year, month, day) for month, day in _FIXED_HOLIDAYS}
                     | {sunday + dt.timedelta(days=offset) for offset in _EASTER_OFFSETS})


def is_public_holiday(day: dt.date) -> bool:
    """True on a Norwegian public holiday (helligdagsloven; Sundays are not listed here)."""
    return day in _public_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_day_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def holiday_span(period: HolidayPeriod, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a holiday period that starts in ``year``.

    July: 1–31 July. Easter: Maundy Thursday to Easter Monday. Christmas: 24 December to 1 January.
    """
    if period == "july":
        return dt.date(year, 7, 1), dt.date(year, 7, 31)
    if period == "easter":
        sunday = easter(year)
        return sunday - dt.timedelta(days=3), sunday + dt.timedelta(days=1)
    return dt.date(year, 12, 24), dt.date(year + 1, 1, 1)


def overlapped_holidays(start: dt.date, end: dt.date) -> tuple[HolidayPeriod, ...]:
    """Holiday periods that share at least one day with ``start``–``end`` (inclusive)."""
    found: list[HolidayPeriod] = []
    for period in HOLIDAY_PERIODS:
        for year in range(start.year - 1, end.year + 1):
            first, last = holiday_span(period, year)
            if first <= end and start <= last:
                found.append(period)
                break
    return tuple(found)


def in_july(day: dt.date) -> bool:
    return day.month == 7


def council_day_on_or_after(day: dt.date) -> dt.date:
    """The first working day on or after ``day`` outside July (councils do not meet in July)."""
    if in_july(day):
        day = dt.date(day.year, 8, 1)
    return working_day_on_or_after(day)


def council_day_on_or_before(day: dt.date) -> dt.date:
    """The last working day on or before ``day`` outside July."""
    if in_july(day):
        day = dt.date(day.year, 6, 30)
    return working_day_on_or_before(day)

