"""The calendar: parses with icalendar and the strict ical package, one VEVENT per milestone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import icalendar
import pytest
from conftest import FreshProcess
from ical.calendar_stream import IcsCalendarStream

from plancycle import ElectionPeriod, build_schedule, find_county, find_municipality, to_ical
from plancycle.i18n import label
from plancycle.models import Schedule
from plancycle.processes import PROCESS_MODELS
from plancycle.rules import rule_table


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


@pytest.mark.parametrize("model", PROCESS_MODELS)
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_calendar_parses_strictly_with_one_event_per_milestone(model: str, lang: str) -> None:
    schedule = build_schedule(ElectionPeriod.for_year(2027), find_municipality("Trondheim"),
                              model, lang=lang)  # type: ignore[arg-type]
    data = to_ical(schedule)
    assert len(_events(data)) == len(schedule.milestones)
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert len(strict.events) == len(schedule.milestones)


@pytest.mark.parametrize("county", ["Troms", "46", "Innlandet"])
def test_county_calendar_parses_strictly(county: str) -> None:
    schedule = build_schedule(ElectionPeriod.for_year(2023), find_county(county), "classic")
    data = to_ical(schedule)
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert len(strict.events) == len(schedule.milestones) == len(_events(data))


_TWO_RUNS = ("from plancycle import ElectionPeriod, build_schedule, find_municipality, to_ical\n"
             "import sys\n"
             "sys.stdout.buffer.write(to_ical(build_schedule(ElectionPeriod.for_year(2027), "
             "find_municipality('1103'), 'classic', lang='nn')))\n")


def test_two_runs_give_identical_bytes(fresh_process: FreshProcess,
                                       clear_caches: Callable[[], None]) -> None:
    def make() -> bytes:
        return to_ical(build_schedule(ElectionPeriod.for_year(2027), find_municipality("1103"),
                                      "classic", lang="nn"))
    first = make()
    clear_caches()
    assert make() == first  # computed again, not answered from a cache
    assert fresh_process(_TWO_RUNS) == first  # another run of the program


def test_calendar_properties_follow_domain_rules(stavanger_2027: Schedule) -> None:
    data = to_ical(stavanger_2027)
    text = data.decode("utf-8")
    head = text.split("BEGIN:VEVENT")[0]
    assert "METHOD:PUBLISH" in head
    assert "\r\nNAME:" in head and "X-WR-CALNAME:" in head
    assert "REFRESH-INTERVAL;VALUE=DURATION:P1D" in head
    assert "X-PUBLISHED-TTL:P1D" in head
    assert "UID" not in head
    assert "VTIMEZONE" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_events_are_all_day_with_exclusive_end_and_cite_their_rule(
        stavanger_2027: Schedule) -> None:
    by_uid = {str(e["UID"]): e for e in _events(to_ical(stavanger_2027))}
    for m in stavanger_2027.milestones:
        event = by_uid[f"k1103-t2027-{m.id}@plancycle.no"]
        assert event.decoded("DTSTART") == m.start
        assert event.decoded("DTEND") == m.end + dt.timedelta(days=1)
        assert not isinstance(event.decoded("DTSTART"), dt.datetime)
        description = str(event["DESCRIPTION"])
        for basis in m.basis:
            assert basis.section in description
            if basis.url:
                assert basis.url in description
        binding = label(m.binding, stavanger_2027.lang)  # a word, not the id "statutory"
        assert binding[:1].upper() + binding[1:] in [str(c) for c in event["CATEGORIES"].cats]
        revised = rule_table().revised  # the rule data's revision date, whatever it is now
        assert event.decoded("DTSTAMP") == dt.datetime(revised.year, revised.month, revised.day,
                                                       tzinfo=dt.UTC)


def test_padding_is_visible_in_the_description(stavanger_2027: Schedule) -> None:
    padded = [m for m in stavanger_2027.milestones if m.padding]
    assert padded
    events = {str(e["UID"]).split("-", 2)[2].split("@")[0]: e
              for e in _events(to_ical(stavanger_2027))}
    for m in padded:
        assert "extended by" in str(events[m.id]["DESCRIPTION"])
