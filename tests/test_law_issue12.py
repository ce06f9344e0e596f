"""Issue 12: the law table's fixed errors, the duties of every term, and the rules' periods.

Each golden value is a fact a person can check: a date in the law or in a calendar, a paragraph
of the act in force at the time (see docs/research/law-check.md for the sources).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from plancycle import ElectionPeriod, build_schedule
from plancycle.calendar_no import (
    FIRST_ELECTION_YEAR,
    LAST_ELECTION_YEAR,
    is_public_holiday,
    next_election_day,
)
from plancycle.models import Milestone, Schedule
from plancycle.municipalities import County
from plancycle.output import to_csv
from plancycle.processes import PROCESS_MODELS
from plancycle.rules import rule_table

ELECTION_YEARS = range(FIRST_ELECTION_YEAR, LAST_ELECTION_YEAR + 1, 4)
MUNICIPAL_GOVERNANCE = ("councils", "risk_analysis", "delegation_regulation", "audit_plan",
                        "ownership_control_plan", "lay_judges", "alcohol_licences",
                        "financial_regulation", "ownership_report")
COUNTY_GOVERNANCE = ("councils", "delegation_regulation", "audit_plan", "ownership_control_plan",
                     "financial_regulation", "ownership_report")


def _county() -> County:
    return County(number="46", name="Vestland", has_county_authority=True)


def _schedule(year: int, *, county: bool = False, model: str = "samskaping") -> Schedule:
    return build_schedule(ElectionPeriod.for_year(year), _county() if county else None,
                          model)  # type: ignore[arg-type]


def _by_id(schedule: Schedule) -> dict[str, Milestone]:
    return {m.id: m for m in schedule.milestones}


# -- an independent holiday calendar: Easter by the anonymous Gregorian algorithm -------------------
def _easter(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _holidays(year: int) -> set[dt.date]:
    sunday = _easter(year)
    fixed = {dt.date(year, 1, 1), dt.date(year, 5, 1), dt.date(year, 5, 17),
             dt.date(year, 12, 25), dt.date(year, 12, 26)}
    return fixed | {sunday + dt.timedelta(days=n) for n in (-3, -2, 0, 1, 39, 49, 50)}


def test_independent_easter_formula_matches_known_dates() -> None:
    assert _easter(2024) == dt.date(2024, 3, 31)
    assert _easter(2101) == dt.date(2101, 4, 17)
    assert _easter(2100) == dt.date(2100, 3, 28)


@pytest.mark.parametrize("year", range(FIRST_ELECTION_YEAR, LAST_ELECTION_YEAR + 5))
def test_public_holidays_of_every_year_a_schedule_reaches(year: int) -> None:
    expected = _holidays(year)
    day = dt.date(year, 1, 1)
    while day.year == year:
        assert is_public_holiday(day) == (day in expected), day
        day += dt.timedelta(days=1)


def test_good_friday_2101_is_a_holiday_and_the_2101_audit_report_avoids_it() -> None:
    assert is_public_holiday(dt.date(2101, 4, 15))  # Good Friday 2101, the audit report due date
    audit = _by_id(_schedule(2099))["action_economy_plan.2101.audit_report"]
    assert audit.start.weekday() < 5 and audit.start not in _holidays(2101)


def test_next_election_of_the_2099_term_is_a_monday() -> None:
    assert next_election_day(2099).date == dt.date(2103, 9, 10)
    assert next_election_day(2099).provisional
    assert next_election_day(2019).date == dt.date(2023, 9, 11)


def test_schedule_of_2099_plans_the_next_election_on_monday_2103_09_10() -> None:
    assert _by_id(_schedule(2099))["election.next_day"].start == dt.date(2103, 9, 10)


# -- rules of their time ----------------------------------------------------------------------------
def _laws(m: Milestone) -> set[str]:
    return {f"{b.law} {b.section}" for b in m.basis}


def test_budget_decided_in_december_2019_cites_kommuneloven_2018() -> None:
    adopted = _by_id(_schedule(2019))["action_economy_plan.2019.adopted"]
    assert "koml § 14-2" in _laws(adopted)
    assert not any(b.law == "koml 1992" for b in adopted.basis)
    earlier = _by_id(_schedule(2015))["action_economy_plan.2018.adopted"]
    assert "koml 1992 § 44" in _laws(earlier)


def test_reports_before_2019_cite_the_1992_act() -> None:
    items = _by_id(_schedule(2015))
    for ident in ("action_economy_plan.2017.annual_report_presented",
                  "action_economy_plan.2017.audit_report",
                  "action_economy_plan.2017.accounts_adopted",
                  "action_economy_plan.2017.sent_to_statsforvalter"):
        assert not any(b.law == "koml" for b in items[ident].basis), ident


@pytest.mark.parametrize("year", [2011, 2015, 2019, 2023])
def test_county_schedules_cite_no_kommuneplan_rule(year: int) -> None:
    for m in _schedule(year, county=True).milestones:
        sections = _laws(m)
        assert "pbl § 11-4 annet ledd" not in sections, m.id
        assert "pbl § 11-1 fjerde ledd" not in sections, m.id
    adopted = _by_id(_schedule(year, county=True))[f"action_economy_plan.{year}.adopted"]
    assert "pbl § 8-1 tredje ledd" in _laws(adopted)


def test_no_public_health_overview_before_folkehelseloven() -> None:
    assert "planstrategi.public_health_overview" not in _by_id(_schedule(2011))
    assert "regional_planstrategi.public_health_overview" not in _by_id(_schedule(2011,
                                                                                 county=True))
    overview = _by_id(_schedule(2015))["planstrategi.public_health_overview"]
    # § 5 with the overview regulation given under it (FOR-2012-06-28-692), and § 6
    assert {"folkehelsel § 5", "folkehelsel § 6"} <= {c.split(";")[0] for c in _laws(overview)}
    assert "regional_planstrategi.public_health_overview" in _by_id(_schedule(2015, county=True))


def test_covid_act_dates_of_2020_and_normal_dates_after() -> None:
    items = _by_id(_schedule(2019))
    assert items["action_economy_plan.2020.audit_report"].due == dt.date(2020, 6, 15)
    assert items["action_economy_plan.2020.accounts_adopted"].due == dt.date(2020, 9, 15)
    assert items["action_economy_plan.2020.compliance_check"].due == dt.date(2020, 9, 15)
    assert items["action_economy_plan.2021.audit_report"].due == dt.date(2021, 4, 15)
    assert items["action_economy_plan.2021.accounts_adopted"].due == dt.date(2021, 6, 30)
    assert items["action_economy_plan.2021.compliance_check"].due == dt.date(2021, 6, 30)
    assert "action_economy_plan.2019.compliance_check" not in items


def test_term_no_longer_cites_the_self_government_clause() -> None:
    for version in rule_table().versions("term"):
        assert all(b.law != "Grl." for b in version.basis)


def test_confidence_labels_corrected() -> None:
    table = rule_table()
    assert table.get("kommuneplan-hearing").confidence == "S"
    assert table.get("accounts-adoption", dt.date(2024, 6, 30)).confidence == "S"
    assert table.get("budget-adoption", dt.date(2015, 12, 31)).confidence == "S"
    assert table.get("budget-reports-statutory", dt.date(2024, 1, 1)).binding == "statutory"
    assert table.get("budget-reports").binding == "practice"


def test_governance_dates_are_those_of_the_law() -> None:
    items = _by_id(_schedule(2023))
    assert items["governance.delegation_regulation"].due == dt.date(2024, 12, 31)
    assert items["governance.lay_judges"].due == dt.date(2024, 7, 1)
    assert items["governance.alcohol_licences"].due == dt.date(2024, 9, 30)
    assert items["action_economy_plan.2024.kostra_report"].due == dt.date(2024, 2, 15)


def test_reform_csv_carries_the_not_in_force_note() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_schedule(2023, model="reform")))))
    assert rows[0][0].startswith("# ") and "ikke i kraft" in rows[0][0]
    assert rows[1][0] == "id"
    plain = list(csv.reader(io.StringIO(to_csv(_schedule(2023, model="classic")))))
    assert plain[0][0] == "id"


# -- properties over every term ---------------------------------------------------------------------
@pytest.mark.parametrize("county", [False, True])
@pytest.mark.parametrize("year", ELECTION_YEARS)
def test_every_rule_in_force_and_every_duty_once(year: int, county: bool) -> None:
    """Milestones do not depend on which municipality or county authority (one computation
    serves all of a term), so one owner per kind stands for every owner of the term."""
    table = rule_table()
    wanted = COUNTY_GOVERNANCE if county else MUNICIPAL_GOVERNANCE
    for model in PROCESS_MODELS:
        schedule = _schedule(year, county=county, model=model)
        ids = [m.id for m in schedule.milestones]
        for m in schedule.milestones:
            for rule in m.rules:
                assert table.in_force(rule, m.start), (m.id, rule, m.start)
        for duty in wanted:
            assert ids.count(f"governance.{duty}") == 1, duty
        governance = [m for m in schedule.milestones if m.process == "governance"]
        assert len(governance) == len(wanted)
        for m in governance:
            assert m.basis and all(b.url for b in m.basis), m.id
            assert m.due is None or m.start <= m.due, (m.id, m.start, m.due)
