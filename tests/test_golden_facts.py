"""Golden facts: dates a planner can check by hand against the law."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.calendar_no import election_day
from plancycle.models import Schedule
from plancycle.processes import PROCESS_MODELS
from plancycle.schedule import ScheduleOptions


@pytest.mark.parametrize(("year", "day"), [(2015, dt.date(2015, 9, 14)),
                                            (2019, dt.date(2019, 9, 9)),
                                            (2023, dt.date(2023, 9, 11))])
def test_official_election_days_are_used_and_not_provisional(year: int, day: dt.date) -> None:
    assert election_day(year).date == day
    assert not election_day(year).provisional


def test_future_election_day_follows_custom_and_is_provisional() -> None:
    assert election_day(2027).date == dt.date(2027, 9, 13)
    assert election_day(2031).date == dt.date(2031, 9, 8)
    assert election_day(2027).provisional


def test_default_constituent_meeting_is_assumed_third_thursday_of_october() -> None:
    period = ElectionPeriod.for_year(2027)
    assert period.constituted == dt.date(2027, 10, 21)
    assert period.constituted_assumed


@pytest.mark.parametrize("model", PROCESS_MODELS)
@pytest.mark.parametrize("k", [dt.date(2027, 10, 14), dt.date(2027, 10, 28),
                               dt.date(2027, 9, 30)])
def test_planstrategi_due_one_year_after_constitution(model: str, k: dt.date) -> None:
    schedule = build_schedule(ElectionPeriod.for_year(2027, constituted=k), None, model)  # type: ignore[arg-type]
    adopted = schedule.milestone("planstrategi.adopted")
    assert adopted.due == k + relativedelta(years=1)
    assert adopted.binding == "statutory"
    assert adopted.end <= adopted.due
    assert any(b.url == "https://lovdata.no/lov/2008-06-27-71/§10-1" for b in adopted.basis)


def test_budget_adopted_by_31_december_in_every_year_of_the_term(stavanger_2027: Schedule) -> None:
    for year in range(2027, 2031):
        adopted = stavanger_2027.milestone(f"action_economy_plan.{year}.adopted")
        assert adopted.due == dt.date(year, 12, 31)
        assert adopted.start <= adopted.due
        assert adopted.binding == "statutory"
    # the 2031 budget is adopted after the term's schedule ends (31 October 2031)
    assert not any(m.id == "action_economy_plan.2031.adopted" for m in stavanger_2027.milestones)


def test_accounts_due_22_february_under_the_2018_act(stavanger_2027: Schedule) -> None:
    for year in range(2027, 2032):
        accounts = stavanger_2027.milestone(f"action_economy_plan.{year}.accounts_presented")
        assert accounts.due == dt.date(year, 2, 22)
        assert any(b.url == "https://lovdata.no/lov/2018-06-22-83/§14-6" for b in accounts.basis)


def test_accounts_due_15_february_before_the_2018_act_chapter_14() -> None:
    schedule = build_schedule(ElectionPeriod.for_year(2015), None, "classic")
    assert schedule.milestone("action_economy_plan.2016.accounts_presented").due == \
        dt.date(2016, 2, 15)
    assert schedule.milestone("action_economy_plan.2016.accounts_presented").confidence in "SU"


def _gap(schedule: Schedule, earlier: str, later: str) -> int:
    return (schedule.milestone(later).start - schedule.milestone(earlier).start).days


@pytest.mark.parametrize("model", PROCESS_MODELS)
def test_notice_periods_hold_for_every_planned_date(model: str) -> None:
    schedule = build_schedule(ElectionPeriod.for_year(2027), find_municipality("0301"), model)  # type: ignore[arg-type]
    assert _gap(schedule, "planstrategi.proposal_public", "planstrategi.adopted") >= 30
    assert _gap(schedule, "election.constituent_meeting_notice",
                "election.constituent_meeting") >= 14
    for year in range(2027, 2031):
        prefix = f"action_economy_plan.{year}"
        assert _gap(schedule, f"{prefix}.recommendation_public", f"{prefix}.adopted") >= 14
        assert _gap(schedule, f"{prefix}.proposal_public", f"{prefix}.adopted") >= 30


def test_handlingsdel_notice_can_be_switched_off() -> None:
    period = ElectionPeriod.for_year(2027)
    on = build_schedule(period, None, "classic")
    off = build_schedule(period, None, "classic", ScheduleOptions(handlingsdel_notice=False))
    assert on.milestone("action_economy_plan.2028.proposal_public").due is not None
    assert off.milestone("action_economy_plan.2028.proposal_public").due is None


def test_samskaping_combines_planprogram_with_planstrategi(stavanger_2027: Schedule) -> None:
    plan = stavanger_2027.milestone("samfunnsdel.planning_programme_consultation")
    strategy = stavanger_2027.milestone("planstrategi.consultation")
    assert (plan.start, plan.end) == (strategy.start, strategy.end)
    assert (plan.end - plan.start).days >= 42
    adopted = stavanger_2027.milestone("samfunnsdel.adopted")
    assert adopted.due == dt.date(2028, 10, 21)
    assert adopted.end <= adopted.due


def test_reform_has_no_planprogram_and_says_it_assumes_a_law_change() -> None:
    schedule = build_schedule(ElectionPeriod.for_year(2027), None, "reform", lang="en")
    ids = {m.id for m in schedule.milestones}
    assert "samfunnsdel.planning_programme_consultation" not in ids
    assert "samfunnsdel.planning_programme_adopted" not in ids
    assert any("not in force" in w for w in schedule.warnings)
    assert "reform-no-planprogram" in schedule.milestone("samfunnsdel.adopted").rules


def test_consultation_over_christmas_is_padded_by_a_week() -> None:
    # K on 21 Oct 2027: the combined consultation opens in December and overlaps Christmas
    schedule = build_schedule(ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21)),
                              None, "samskaping")
    window = schedule.milestone("planstrategi.consultation")
    assert window.start < dt.date(2027, 12, 24) <= window.end
    assert [p.holiday for p in window.padding] == ["christmas"]
    assert (window.end - window.start).days >= 42 + 7


def test_constituent_meeting_after_31_october_is_flagged_not_refused() -> None:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 11, 4))
    schedule = build_schedule(period, None, "classic", lang="en")
    meeting = schedule.milestone("election.constituent_meeting")
    assert meeting.start > meeting.due  # type: ignore[operator]
    assert any("31 October" in w for w in schedule.warnings)


def test_practice_dates_can_be_overridden_but_law_cannot() -> None:
    from plancycle import InputError

    period = ElectionPeriod.for_year(2027)
    moved = build_schedule(period, None, "classic", ScheduleOptions(
        practice={"council-budget-meeting": {"planned": "12-03"}}))
    assert moved.milestone("action_economy_plan.2028.adopted").start == dt.date(2028, 12, 1)
    with pytest.raises(InputError, match="only practice rules"):
        build_schedule(period, None, "classic", ScheduleOptions(
            practice={"planstrategi-deadline": {"years": 2}}))
    with pytest.raises(InputError, match="unknown practice rule"):
        build_schedule(period, None, "classic", ScheduleOptions(practice={"nope": {"x": 1}}))


def test_constituent_meeting_soon_after_the_election_gets_a_late_notice_and_a_warning() -> None:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 9, 20))
    schedule = build_schedule(period, None, "classic", lang="en")
    notice = schedule.milestone("election.constituent_meeting_notice")
    assert notice.start == dt.date(2027, 9, 13)  # not before election day
    assert notice.due == dt.date(2027, 9, 6)
    assert any("election.constituent_meeting_notice is planned on 2027-09-13" in w
               for w in schedule.warnings)
