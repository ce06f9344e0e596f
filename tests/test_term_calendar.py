"""A followed term's calendar: done milestones on their actual dates, overdue ones flagged, and
versions a subscriber applies (SEQUENCE and DTSTAMP rise with every recorded fact)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import icalendar
import pytest
from conftest import FreshProcess
from ical.calendar_stream import IcsCalendarStream

from plancycle import ElectionPeriod, build_schedule, find_municipality, to_ical
from plancycle.i18n import Language
from plancycle.ical import dtstamp
from plancycle.term import Term
from plancycle.term_calendar import (
    term_revisions,
    term_schedule,
    term_to_calendar,
    term_to_ical,
)

STAVANGER = find_municipality("1103")
UID = "k1103-t2027-{}@plancycle.no"



def _at(day: str, hour: int = 8) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


#: The facts of a followed term, in the order they become known: (milestone, date, end, recorded).
STEPS: list[tuple[str, dt.date, dt.date | None, dt.datetime, str | None]] = [
    ("election.constituent_meeting", dt.date(2027, 10, 19), None, _at("2027-10-20"), None),
    ("planstrategi.start", dt.date(2027, 11, 4), None, _at("2027-11-05"), None),
    ("planstrategi.consultation", dt.date(2027, 12, 20), None, _at("2027-12-21"), None),
    ("planstrategi.consultation", dt.date(2027, 12, 20), dt.date(2028, 2, 10), _at("2028-02-11"),
     None),
    ("planstrategi.adopted", dt.date(2028, 3, 9), None, _at("2028-03-10"),
     "https://stavanger.kommune.no/sak/2028-17"),
]


def _terms() -> list[Term]:
    """The term after each step of :data:`STEPS`."""
    term = Term(election_year=2027, municipality="1103")
    out = []
    for milestone, date, end, recorded, source in STEPS:
        term = term.record(milestone, date, end=end, recorded=recorded, source=source)
        out.append(term)
    return out


TERMS = _terms()
FOLLOWED = TERMS[-1]


def _events(data: bytes) -> dict[str, Any]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def _parse_both(data: bytes) -> int:
    events = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert len(strict.events) == len(events)
    return len(events)


def test_a_followed_term_parses_with_icalendar_and_strict_ical_and_keeps_the_plan_uids() -> None:
    data = term_to_ical(FOLLOWED, today=dt.date(2028, 4, 1), alarms=(14, 1))
    assert _parse_both(data) > 50
    plan = to_ical(build_schedule(ElectionPeriod.for_year(2027), STAVANGER, "samskaping"))
    assert set(_events(data)) == set(_events(plan))
    assert b"BEGIN:VALARM" in data
    assert bytes(term_to_calendar(FOLLOWED, today=dt.date(2028, 4, 1), alarms=(14, 1))
                 .to_ical()) == data


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_a_term_without_facts_is_the_plan_byte_for_byte(lang: Language) -> None:
    term = Term(election_year=2027, municipality="1103")
    plan = build_schedule(ElectionPeriod.for_year(2027), STAVANGER, "samskaping", lang=lang)
    assert term_to_ical(term, lang=lang) == to_ical(plan)


def test_a_done_milestone_is_on_its_actual_date_and_says_so() -> None:
    events = _events(term_to_ical(FOLLOWED))
    adopted = events[UID.format("planstrategi.adopted")]
    assert adopted.decoded("DTSTART") == dt.date(2028, 3, 9)
    assert adopted.decoded("DTEND") == dt.date(2028, 3, 10)
    assert str(adopted["SUMMARY"]) == ("✓ Kommunal planstrategi vedtatt i kommunestyret – "
                                       "vedtatt 9. mars 2028")
    assert str(adopted["STATUS"]) == "CONFIRMED"
    description = str(adopted["DESCRIPTION"])
    assert description.startswith("✓ Registrert: vedtatt 9. mars 2028.\n"
                                  "Kilde: https://stavanger.kommune.no/sak/2028-17\n\n")
    assert "Kommunestyret vedtar planstrategien" in description  # the to-do text follows
    consultation = events[UID.format("planstrategi.consultation")]  # a phase: its recorded days
    assert consultation.decoded("DTSTART") == dt.date(2027, 12, 20)
    assert consultation.decoded("DTEND") == dt.date(2028, 2, 11)
    assert str(consultation["SUMMARY"]) == "✓ Høring av planstrategien"
    assert str(consultation["DESCRIPTION"]).startswith(
        "✓ Registrert: 20. desember 2027 – 10. februar 2028.")
    implied = events[UID.format("planstrategi.proposal_public")]  # implied by the consultation
    assert str(implied["SUMMARY"]).startswith("✓ ")
    assert "et senere steg i prosessen er registrert" in str(implied["DESCRIPTION"])
    planned = events[UID.format("samfunnsdel.adopted")]
    assert not str(planned["SUMMARY"]).startswith(("✓", "⚠"))


def test_done_texts_in_english_and_nynorsk() -> None:
    english = _events(term_to_ical(FOLLOWED, lang="en"))[UID.format("planstrategi.adopted")]
    assert str(english["SUMMARY"]).endswith(" – adopted 9 March 2028")
    assert str(english["DESCRIPTION"]).startswith("✓ Recorded: adopted 9 March 2028.\nSource: ")
    nynorsk = _events(term_to_ical(FOLLOWED, lang="nn"))[UID.format("planstrategi.adopted")]
    assert str(nynorsk["SUMMARY"]).endswith(" – vedteke 9. mars 2028")
    assert "Kjelde: https://" in str(nynorsk["DESCRIPTION"])


def test_an_open_phase_is_in_progress_from_its_recorded_start() -> None:
    events = _events(term_to_ical(TERMS[2], lang="en"))
    consultation = events[UID.format("planstrategi.consultation")]
    assert consultation.decoded("DTSTART") == dt.date(2027, 12, 20)
    assert str(consultation["SUMMARY"]).endswith(" – started 20 December 2027")
    assert str(consultation["DESCRIPTION"]).startswith("▶ Recorded: started 20 December 2027")


@pytest.mark.parametrize(("lang", "word", "note"), [
    ("nb", "forfalt", "⚠ Forfalt: planlagt "),
    ("nn", "forfallen", "⚠ Forfallen: planlagd "),
    ("en", "overdue", "⚠ Overdue: planned for "),
])
def test_an_overdue_milestone_is_flagged_only_when_today_is_given(lang: Language, word: str,
                                                                  note: str) -> None:
    today = dt.date(2028, 4, 1)
    status = FOLLOWED.status(today, lang=lang)
    overdue = [m.id for m in status.milestones if m.status == "overdue"]
    assert "action_economy_plan.2028.accounts_presented" in overdue
    flagged = _events(term_to_ical(FOLLOWED, today=today, lang=lang))
    plain = _events(term_to_ical(FOLLOWED, lang=lang))
    for uid, event in flagged.items():
        milestone_id = uid.split("-", 2)[2].split("@")[0]
        summary = str(event["SUMMARY"])
        if milestone_id in overdue:
            assert summary.startswith("⚠ ") and summary.endswith(f" – {word}"), summary
            assert str(event["DESCRIPTION"]).startswith(note)
            assert event.decoded("DTSTART") < today
            assert not str(plain[uid]["SUMMARY"]).endswith(word)
        else:
            assert not summary.endswith(f" – {word}")
    # the flag is stamped at midnight UTC of today, and does not name today (stable day to day)
    event = flagged[UID.format("action_economy_plan.2028.accounts_presented")]
    assert event.decoded("DTSTAMP") == dt.datetime(2028, 4, 1, tzinfo=dt.UTC)
    later = _events(term_to_ical(FOLLOWED, today=dt.date(2028, 4, 2), lang=lang))
    same = later[UID.format("action_economy_plan.2028.accounts_presented")]
    assert same["SUMMARY"] == event["SUMMARY"] and same["DESCRIPTION"] == event["DESCRIPTION"]
    assert same["SEQUENCE"] == event["SEQUENCE"]


class Subscriber:
    """A calendar client: events keyed by UID; a fetched event replaces the stored one only if
    its (SEQUENCE, DTSTAMP) is greater (RFC 5546 § 2.1.5)."""

    def __init__(self) -> None:
        self.events: dict[str, tuple[int, dt.datetime, Any]] = {}

    def sync(self, data: bytes) -> None:
        fetched = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
        uids = [str(e["UID"]) for e in fetched]
        assert len(uids) == len(set(uids)), "a feed must not repeat a UID"
        for event in fetched:
            uid = str(event["UID"])
            version = (int(event["SEQUENCE"]), event.decoded("DTSTAMP"))
            stored = self.events.get(uid)
            if stored is None or version > stored[:2]:
                self.events[uid] = (*version, event)

    def on(self, uid: str) -> tuple[dt.date, dt.date]:
        event = self.events[uid][2]
        return event.decoded("DTSTART"), event.decoded("DTEND")


@pytest.mark.parametrize("with_today", [False, True])
def test_a_subscriber_sees_every_recorded_fact_once_on_its_new_dates(with_today: bool) -> None:
    subscriber = Subscriber()
    previous = term_to_ical(Term(election_year=2027, municipality="1103"))
    subscriber.sync(previous)
    for step, term in zip(STEPS, TERMS, strict=True):
        recorded = step[3]
        data = term_to_ical(term, today=recorded.date() if with_today else None)
        before = {uid: (subscriber.events[uid][0], subscriber.on(uid)) for uid in subscriber.events}
        subscriber.sync(data)
        feed = _events(data)
        assert subscriber.events.keys() == feed.keys()  # one event per milestone, no duplicates
        moved = 0
        for uid, event in feed.items():
            # the subscriber holds exactly what the feed says, for every event
            assert subscriber.events[uid][2].to_ical() == event.to_ical(), uid
            dates = (event.decoded("DTSTART"), event.decoded("DTEND"))
            if dates != before[uid][1]:
                moved += 1
                assert subscriber.on(uid) == dates
                assert subscriber.events[uid][0] > before[uid][0], uid
                assert subscriber.events[uid][1] <= recorded  # stamped when it became known
        fact_uid = UID.format(step[0])
        assert subscriber.events[fact_uid][1] == recorded  # the fact's own event: new version
        assert "✓" in str(feed[fact_uid]["SUMMARY"]) or "▶" in str(feed[fact_uid]["DESCRIPTION"])
        if step[0] == "election.constituent_meeting":
            assert moved > 10  # K moved two days: most of the first year moves with it
        previous = data
    del previous


_TERM_CALENDAR = ("import datetime as dt, sys\n"
                  "from plancycle.term import Term\n"
                  "from plancycle.term_calendar import term_to_ical\n"
                  "term = Term.model_validate_json(sys.stdin.buffer.read())\n"
                  "sys.stdout.buffer.write(term_to_ical(term, today=dt.date(2028, 4, 1), "
                  "lang='nn', alarms=(7,)))\n")


def test_the_same_input_gives_the_same_bytes(fresh_process: FreshProcess,
                                             clear_caches: Callable[[], None]) -> None:
    today = dt.date(2028, 4, 1)
    first = term_to_ical(FOLLOWED, today=today, lang="nn", alarms=(7,))
    clear_caches()
    again = term_to_ical(Term.model_validate(FOLLOWED.model_dump()), today=today, lang="nn",
                         alarms=(7,))
    assert first == again  # computed again, not answered from a cache
    saved = FOLLOWED.model_dump_json().encode()
    assert fresh_process(_TERM_CALENDAR, saved) == first  # another run of the program


def test_the_history_is_the_plan_then_each_recording_moment_in_time_order() -> None:
    # facts listed out of time order, two at the same moment, one without a recorded time
    term = Term(election_year=2027, municipality="1103")
    term = term.record("planstrategi.start", dt.date(2027, 11, 4), recorded=_at("2027-11-05"))
    term = term.record("election.constituent_meeting", dt.date(2027, 10, 19),
                       recorded=_at("2027-10-20"))
    term = term.record("election.constituent_meeting_notice", dt.date(2027, 10, 5),
                       recorded=_at("2027-10-20"))
    term = term.record("election.day", dt.date(2027, 9, 13))
    revisions = term_revisions(term, today=dt.date(2027, 11, 5))
    assert [r.stamp for r in revisions] == [
        dt.datetime(1970, 1, 1, tzinfo=dt.UTC), dtstamp(), _at("2027-10-20"), _at("2027-11-05")]
    # the overdue flags of today are merged into the newest revision (stamped later that day)
    assert revisions[-1].schedule == term_schedule(term, today=dt.date(2027, 11, 5))
    events = _events(term_to_ical(term, today=dt.date(2027, 11, 5)))
    assert events[UID.format("election.day")].decoded("DTSTAMP") == dtstamp()
    notice = events[UID.format("election.constituent_meeting_notice")]
    assert notice.decoded("DTSTAMP") == _at("2027-10-20")
    assert events[UID.format("planstrategi.start")].decoded("DTSTAMP") == _at("2027-11-05")


def test_a_naive_recorded_time_is_utc() -> None:
    naive = Term(election_year=2027, municipality="1103").record(
        "election.constituent_meeting", dt.date(2027, 10, 19),
        recorded=dt.datetime(2027, 10, 20, 8, 0))
    aware = TERMS[0]
    assert term_to_ical(naive) == term_to_ical(aware)


def test_a_county_term_uses_county_uids() -> None:
    term = Term(election_year=2027, county="46").record(
        "election.constituent_meeting", dt.date(2027, 10, 19), recorded=_at("2027-10-20"))
    data = term_to_ical(term, lang="en")
    _parse_both(data)
    uids = re.findall(rb"\r\nUID:(\S+)\r\n", data)
    assert uids and all(uid.startswith(b"f46-t2027-") for uid in uids)
    assert b"SUMMARY:\xe2\x9c\x93 " in data  # "✓ "
