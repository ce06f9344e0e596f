"""Every milestone of the schedule is always in every output (issue "Hardening", items 1-3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plancycle import ElectionPeriod, ScheduleOptions, build_schedule, find_municipality, to_ical
from plancycle.cli import run
from plancycle.planning import term_slots

PERIOD = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
BERGEN = find_municipality("4601")


def _meetings(start: dt.date, end: dt.date, skip: tuple[dt.date, dt.date] | None = None
              ) -> tuple[dt.date, ...]:
    """A council meeting every second Thursday from ``start`` to ``end`` (outside July),
    leaving out the stretch ``skip``."""
    day = start + dt.timedelta(days=(3 - start.weekday()) % 7)
    out = []
    while day <= end:
        if day.month != 7 and not (skip and skip[0] <= day <= skip[1]):
            out.append(day)
        day += dt.timedelta(weeks=2)
    return tuple(out)


def _ids(schedule_options: ScheduleOptions, period: ElectionPeriod = PERIOD) -> list[str]:
    return [m.id for m in build_schedule(period, BERGEN, "samskaping", schedule_options).milestones]


def test_a_gap_in_the_meeting_plan_keeps_every_decision_flagged_on_its_planned_day() -> None:
    gap = (dt.date(2031, 2, 15), dt.date(2031, 11, 15))
    options = ScheduleOptions(council_meetings=_meetings(dt.date(2027, 10, 1),
                                                         dt.date(2031, 12, 31), gap))
    plain = build_schedule(PERIOD, BERGEN, "samskaping")
    schedule = build_schedule(PERIOD, BERGEN, "samskaping", options)
    assert [m.id for m in schedule.milestones] == [m.id for m in plain.milestones] or \
        sorted(m.id for m in schedule.milestones) == sorted(m.id for m in plain.milestones)
    accounts = schedule.milestone("action_economy_plan.2031.accounts_adopted")
    assert "no_council_meeting" in accounts.flags
    assert accounts.start == plain.milestone("action_economy_plan.2031.accounts_adopted").start
    assert any("action_economy_plan.2031.accounts_adopted" in w for w in schedule.warnings)
    ics = to_ical(schedule).decode()
    assert ics.count("BEGIN:VEVENT") == len(plain.milestones)
    assert "⚠" in ics


def test_a_plan_of_a_later_term_drops_nothing_from_an_earlier_one() -> None:
    period = ElectionPeriod.for_year(2023, constituted=dt.date(2023, 10, 19))
    options = ScheduleOptions(council_meetings=_meetings(dt.date(2027, 1, 1),
                                                         dt.date(2029, 12, 31)))
    assert sorted(_ids(options, period)) == sorted(_ids(ScheduleOptions(), period))


def test_a_late_first_meeting_leaves_earlier_decisions_where_they_were_and_in_order() -> None:
    options = ScheduleOptions(council_meetings=_meetings(dt.date(2027, 12, 14),
                                                         dt.date(2031, 12, 31)))
    plain = build_schedule(PERIOD, BERGEN, "samskaping")
    schedule = build_schedule(PERIOD, BERGEN, "samskaping", options)
    # the old council's accounts adoption, due 30 June 2027, is planned as without a plan
    accounts = schedule.milestone("action_economy_plan.2027.accounts_adopted")
    assert accounts.start == plain.milestone("action_economy_plan.2027.accounts_adopted").start
    assert accounts.start <= dt.date(2027, 6, 30) and not accounts.flags
    framework = schedule.milestone("action_economy_plan.2027.framework")
    proposal = schedule.milestone("action_economy_plan.2027.proposal_public")
    assert framework.start < proposal.start


@pytest.mark.parametrize("model", ["classic", "samskaping", "reform"])
def test_no_step_is_placed_before_the_one_it_follows(model: str) -> None:
    options = ScheduleOptions(council_meetings=_meetings(dt.date(2027, 12, 14),
                                                         dt.date(2029, 6, 1)))
    schedule = build_schedule(PERIOD, BERGEN, model, options)  # type: ignore[arg-type]
    by_id = {m.id: m for m in schedule.milestones}
    for slot in term_slots(PERIOD, model).values():  # type: ignore[arg-type]
        if slot.full_id in by_id and slot.previous:
            before = slot.previous[0]
            milestone, _, end = before.partition(":")
            if milestone in by_id:
                earlier = by_id[milestone].end if end else by_id[milestone].start
                assert by_id[slot.full_id].start >= earlier, (slot.full_id, before)


@pytest.mark.parametrize("years", [(2019, 2022), (2033, 2035)])
def test_a_meeting_plan_outside_the_term_is_named_in_a_warning(
        years: tuple[int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("date\n" + "\n".join(d.isoformat() for d in _meetings(
        dt.date(years[0], 1, 1), dt.date(years[1], 12, 31))) + "\n", encoding="utf-8")
    code = run(["schedule", "--election-year", "2027", "--municipality", "4601",
                 "--meetings", str(plan), "--lang", "en", "--format", "json"])
    assert code == 0
    assert "0 council meetings in the term" in capsys.readouterr().err
