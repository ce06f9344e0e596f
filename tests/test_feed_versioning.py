"""Updates reach subscribers: SEQUENCE, DTSTAMP and LAST-MODIFIED from a dated history of inputs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from plancycle import ElectionPeriod, build_schedule, find_county, find_municipality, to_ical
from plancycle.errors import DataError, InputError
from plancycle.feed.register import load_register
from plancycle.ical import Revision, dtstamp, versioned_calendar, versioned_ical
from plancycle.models import Schedule
from plancycle.rules import rule_table

STAVANGER = find_municipality("1103")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
T1 = dt.datetime(2027, 6, 10, 12, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2027, 8, 15, 9, 30, tzinfo=dt.UTC)
T3 = dt.datetime(2027, 9, 1, 7, 0, tzinfo=dt.UTC)
#: The rule data's revision date as an iCalendar UTC stamp (read from the data, never pinned).
REVISED_STAMP = rule_table().revised.strftime("%Y%m%dT000000Z")


def _schedule(constituted: dt.date | None, owner: object = STAVANGER,
              model: str = "samskaping") -> Schedule:
    return build_schedule(ElectionPeriod.for_year(2027, constituted=constituted), owner,  # type: ignore[arg-type]
                          model, lang="en")  # type: ignore[arg-type]


def _events(data: bytes) -> dict[str, bytes]:
    """Each VEVENT's exact bytes, by UID."""
    blocks = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.DOTALL)
    return {re.search(rb"\r\nUID:(.*?)\r\n", b).group(1).decode(): b for b in blocks}  # type: ignore[union-attr]


def _prop(block: bytes, name: str) -> str:
    match = re.search(rf"\r\n{name}:(.*?)\r\n".encode(), block)
    assert match is not None, name
    return match.group(1).decode()


def _feed(*states: tuple[dt.datetime, dt.date | None]) -> bytes:
    return versioned_ical([Revision(stamp, _schedule(k)) for stamp, k in states])


def test_without_history_every_event_is_sequence_0_stamped_with_the_rule_data() -> None:
    data = to_ical(_schedule(None))
    assert data == _feed((EPOCH, None))
    for block in _events(data).values():
        assert _prop(block, "SEQUENCE") == "0"
        assert _prop(block, "DTSTAMP") == _prop(block, "LAST-MODIFIED") == REVISED_STAMP
    assert dtstamp() == dt.datetime.strptime(REVISED_STAMP, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def test_moving_k_raises_sequence_of_moved_events_and_leaves_the_others_byte_identical() -> None:
    before = _events(_feed((EPOCH, None), (T1, dt.date(2027, 10, 19))))
    after = _events(_feed((EPOCH, None), (T1, dt.date(2027, 10, 19)), (T2, dt.date(2027, 10, 26))))
    old, new = _schedule(dt.date(2027, 10, 19)), _schedule(dt.date(2027, 10, 26))
    moved = {m.id for m in new.milestones} - {m.id for m in old.milestones if m in new.milestones}
    assert "planstrategi.adopted" in moved and "election.constituent_meeting" in moved
    assert len(moved) < len(new.milestones)  # e.g. the budget cycle does not depend on K
    assert before.keys() == after.keys()
    for uid, block in after.items():
        milestone_id = uid.split("-", 2)[2].split("@")[0]
        if milestone_id in moved:
            assert int(_prop(block, "SEQUENCE")) == int(_prop(before[uid], "SEQUENCE")) + 1
            assert _prop(block, "DTSTAMP") == _prop(block, "LAST-MODIFIED") == "20270815T093000Z"
        else:
            assert block == before[uid]


def test_moving_back_is_another_change_not_a_rollback() -> None:
    there_and_back = _events(_feed((EPOCH, None), (T1, dt.date(2027, 10, 19)),
                                   (T2, dt.date(2027, 10, 26)), (T3, dt.date(2027, 10, 19))))
    block = there_and_back["k1103-t2027-election.constituent_meeting@plancycle.no"]
    assert _prop(block, "SEQUENCE") == "3"  # assumed 21 Oct → 19 → 26 → 19
    assert _prop(block, "DTSTART;VALUE=DATE") == "20271019"
    assert _prop(block, "LAST-MODIFIED") == "20270901T070000Z"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=14, max_value=31), min_size=1, max_size=5))
def test_sequence_never_drops_and_rises_exactly_when_an_event_changes(days: list[int]) -> None:
    stamps = [T1 + dt.timedelta(days=i) for i in range(len(days))]
    states: list[tuple[dt.datetime, dt.date | None]] = [(EPOCH, None)]
    previous = _events(_feed(*states))
    for stamp, day in zip(stamps, days, strict=True):
        states.append((stamp, dt.date(2027, 10, day)))
        current = _events(_feed(*states))
        for uid, block in current.items():
            old = previous[uid]
            content = [line for line in block.split(b"\r\n")
                       if not line.startswith((b"SEQUENCE", b"DTSTAMP", b"LAST-MODIFIED"))]
            old_content = [line for line in old.split(b"\r\n")
                           if not line.startswith((b"SEQUENCE", b"DTSTAMP", b"LAST-MODIFIED"))]
            if content == old_content:
                assert block == old
            else:
                assert int(_prop(block, "SEQUENCE")) == int(_prop(old, "SEQUENCE")) + 1
        previous = current


def test_alarms_are_display_reminders_on_deadlines_and_parse_strictly() -> None:
    schedule = _schedule(dt.date(2027, 10, 21))
    data = to_ical(schedule, alarms=[7, 0])
    with_due = {m.id for m in schedule.milestones if m.due is not None}
    for uid, block in _events(data).items():
        milestone_id = uid.split("-", 2)[2].split("@")[0]
        assert block.count(b"BEGIN:VALARM") == (2 if milestone_id in with_due else 0)
    assert b"TRIGGER:-P6DT15H" in data and b"TRIGGER:PT9H" in data  # 09:00, 7 days before / on the day
    assert b"DESCRIPTION:In 7 days: " in data
    calendar = IcsCalendarStream.calendar_from_ics(data.decode())
    assert sum(len(e.alarm) for e in calendar.events) == 2 * len(with_due)
    with pytest.raises(InputError, match="outside 0"):
        to_ical(schedule, alarms=[400])


@pytest.mark.parametrize(("revisions", "message"), [
    ([], "at least one revision"),
    ([(T2, STAVANGER), (T1, STAVANGER)], "not in time order"),
    ([(T1.replace(tzinfo=None), STAVANGER)], "no time zone"),
    ([(T1, STAVANGER), (T2, find_county("46"))], "share owner"),
])
def test_bad_histories_are_refused(revisions: list[tuple[dt.datetime, object]],
                                   message: str) -> None:
    with pytest.raises(InputError, match=message):
        versioned_ical([Revision(stamp, _schedule(None, owner)) for stamp, owner in revisions])


REGISTER = """
[meeting_patterns]
"simrishamn.ics" = "^KF "

[[decision]]
municipality = "Stavanger"
election_year = 2027
recorded = 2027-06-10T12:00:00Z
constituted = 2027-10-19

[[decision]]
county = "46"
election_year = 2027
recorded = 2027-06-11T12:00:00+02:00
meetings = "vestland.csv"

[[decision]]
municipality = "1103"
election_year = 2027
recorded = 2027-08-15T09:30:00Z
meetings = "stavanger.ics"
"""


def test_register_accumulates_decisions_per_owner_and_term(tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(REGISTER, encoding="utf-8")
    register = load_register(path)
    history = register.history(STAVANGER, 2027)
    assert [s.recorded for s in history] == [T1, T2]
    assert history[1].constituted == dt.date(2027, 10, 19)  # kept from the first decision
    assert history[1].meetings == "stavanger.ics"
    assert register.history(find_county("Vestland"), 2027)[0].recorded == dt.datetime(
        2027, 6, 11, 10, 0, tzinfo=dt.UTC)
    assert register.history(STAVANGER, 2031) == ()
    assert register.meeting_patterns == {"simrishamn.ics": "^KF "}


@pytest.mark.parametrize(("text", "message"), [
    ("[[decision]]\nmunicipality='1103'\nelection_year=2027\nrecorded=2027-06-10T12:00:00Z\n"
     "[[decision]]\nmunicipality='1103'\nelection_year=2027\nrecorded=2027-06-01T12:00:00Z\n",
     "only grows forward"),
    ("[[decision]]\nelection_year=2027\nrecorded=2027-06-10T12:00:00Z\n", "exactly one of"),
    ("[[decision]]\nmunicipality='1103'\nelection_year=2027\nrecorded=2027-06-10T12:00:00\n",
     "no time zone"),
    ("[[decision]]\nmunicipality='1103'\nelection_year=2027\nrecorded=2027-06-10T12:00:00Z\n"
     "constituted='soon'\n", "must be a date"),
    ("[[decision]]\nmunicipality='1103'\nelection_year=2027\nrecorded=2027-06-10T12:00:00Z\n"
     "meetings='../x.ics'\n", "not a meeting-plan name"),
    ("[[decision]]\nmunicipality='1103'\nyear=2027\n", "unknown or wrong key 'year'"),
    ("decision = [", "cannot be read"),
])
def test_broken_register_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "register.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises((DataError, InputError)) as caught:
        load_register(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("owner", ["1103", "5501", "Kautokeino", "fylke:46", "fylke:55", None])
@pytest.mark.parametrize("model", ["classic", "reform"])
def test_fast_serialisation_gives_exactly_the_bytes_of_icalendar(owner: str | None,
                                                                 model: str) -> None:
    """Events are serialised once per kind of owner and the owner put into the UID afterwards;
    the result must be byte for byte what icalendar writes for the whole calendar."""
    found = (find_county(owner.split(":")[1]) if owner and owner.startswith("fylke:")
             else find_municipality(owner) if owner else None)
    revisions = [Revision(EPOCH, _schedule(None, found, model)),
                 Revision(T1, _schedule(dt.date(2027, 10, 19), found, model))]
    for alarms in ((), (14, 0)):
        fast = versioned_ical(revisions, alarms=alarms)
        assert fast == bytes(versioned_calendar(revisions, alarms=alarms).to_ical())
