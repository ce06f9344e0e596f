"""County authorities (regional planstrategi) and decisions placed on real council meetings."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from plancycle import ElectionPeriod, build_schedule, find_county, find_municipality, to_ical
from plancycle.schedule import ScheduleOptions

K = dt.date(2027, 10, 21)
PERIOD = ElectionPeriod.for_year(2027, constituted=K)


def test_county_schedule_has_regional_planstrategi_and_budget_but_no_municipal_plans() -> None:
    schedule = build_schedule(PERIOD, find_county("Vestland"), "samskaping", lang="en")
    processes = {m.process for m in schedule.milestones}
    assert processes == {"election", "regional_planstrategi", "action_economy_plan", "governance"}
    governance = {m.id for m in schedule.milestones if m.process == "governance"}
    assert "governance.lay_judges" not in governance  # a municipal duty (domstolloven § 66)
    assert "governance.ownership_report" in governance  # koml § 26-1 binds both
    adopted = schedule.milestone("regional_planstrategi.adopted")
    assert adopted.due == K + relativedelta(years=1)
    assert adopted.start <= adopted.due
    hearing = schedule.milestone("regional_planstrategi.consultation")
    assert (hearing.end - hearing.start).days >= 42
    assert "county council" in schedule.milestone("election.constituent_meeting").title
    assert b"UID:f46-t2027-regional_planstrategi.adopted@plancycle.no" in to_ical(schedule)


def test_oslo_has_no_county_authority() -> None:
    import pytest

    from plancycle import UnknownMunicipalityError

    with pytest.raises(UnknownMunicipalityError):
        find_county("Oslo")


def _meetings(*days: str) -> ScheduleOptions:
    return ScheduleOptions(council_meetings=tuple(dt.date.fromisoformat(d) for d in days))


def test_planstrategi_lands_on_a_real_meeting_with_notice_30_days_before_or_earlier() -> None:
    options = _meetings("2027-12-14", "2028-03-15", "2028-06-14", "2028-09-20", "2028-12-13")
    schedule = build_schedule(PERIOD, find_municipality("Bergen"), "samskaping", options)
    adopted = schedule.milestone("planstrategi.adopted")
    assert adopted.start == dt.date(2028, 3, 15)
    notice = schedule.milestone("planstrategi.proposal_public")
    assert notice.due == adopted.start - dt.timedelta(days=30)
    assert notice.start <= notice.due
    assert adopted.papers is not None and (adopted.start - adopted.papers).days >= 10
    assert not schedule.warnings or all("planstrategi" not in w for w in schedule.warnings)


def test_budget_adoption_and_recommendation_follow_the_december_meeting() -> None:
    options = _meetings("2027-12-16", "2028-06-14", "2028-12-18")
    schedule = build_schedule(PERIOD, None, "classic", options)
    adopted = schedule.milestone("action_economy_plan.2028.adopted")
    assert adopted.start == dt.date(2028, 12, 18)
    recommendation = schedule.milestone("action_economy_plan.2028.recommendation_public")
    assert recommendation.due == dt.date(2028, 12, 4)
    assert recommendation.start <= recommendation.due


def test_no_meeting_before_the_deadline_is_a_warning_and_a_flag_not_a_crash() -> None:
    # no meeting between the 30-day notice and K + 1 year (21 Oct 2028)
    options = _meetings("2027-12-14", "2028-11-15", "2028-12-13")
    schedule = build_schedule(PERIOD, None, "samskaping", options, lang="en")
    adopted = schedule.milestone("planstrategi.adopted")
    assert "no_council_meeting" in adopted.flags
    assert any("No council meeting before the deadline" in w and "planstrategi.adopted" in w
               for w in schedule.warnings)
    ics = to_ical(schedule).decode()
    assert "SUMMARY:⚠ Planning strategy adopted by the council" in ics


def test_an_earlier_meeting_is_used_when_the_next_one_is_too_late() -> None:
    # planned after the consultation; the meeting after that is too late, one before fits
    options = _meetings("2028-03-08", "2028-11-01")
    schedule = build_schedule(PERIOD, None, "classic", options)
    adopted = schedule.milestone("planstrategi.adopted")
    assert adopted.start == dt.date(2028, 3, 8)
    assert adopted.flags == ()
    consultation = schedule.milestone("planstrategi.consultation")
    assert consultation.end < adopted.start


def test_a_meeting_plan_only_governs_decisions_up_to_its_last_meeting() -> None:
    options = _meetings("2027-12-14", "2028-03-15", "2028-06-14")
    schedule = build_schedule(PERIOD, None, "samskaping", options)
    without = build_schedule(PERIOD, None, "samskaping")
    later = schedule.milestone("action_economy_plan.2029.adopted")
    assert later == without.milestone("action_economy_plan.2029.adopted")
    assert not any(m.flags for m in schedule.milestones if m.start > dt.date(2028, 6, 14))


def test_june_decisions_share_the_june_meeting_and_budget_takes_the_nearest_december_one() -> None:
    options = _meetings("2028-05-10", "2028-06-12", "2028-08-30", "2028-11-29", "2028-12-14")
    schedule = build_schedule(PERIOD, None, "classic", options)
    assert schedule.milestone("action_economy_plan.2028.framework").start == dt.date(2028, 6, 12)
    accounts = schedule.milestone("action_economy_plan.2028.accounts_adopted")
    assert accounts.start == dt.date(2028, 6, 12) and accounts.flags == ()
    assert schedule.milestone("action_economy_plan.2028.adopted").start == dt.date(2028, 12, 14)
