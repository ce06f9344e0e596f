"""The governance duties of a term are independent of each other (issue 12).

Each duty runs as a one-step process of its own (``ProcessDefinition.independent``): a fact for one
is never refused, nor implied, because of another's order, a late one moves none of the others,
and a simulated run breaks none of them unless the scenario makes that duty late.
"""

from __future__ import annotations

import datetime as dt

import pytest

from plancycle.processes import PROCESS_MODELS, definition
from plancycle.rules import rule_table
from plancycle.simulation import Scenario
from plancycle.simulation.report import run_report
from plancycle.simulation.runner import Run
from plancycle.term import Term

DUTIES = ("councils", "delegation_regulation", "audit_plan", "ownership_control_plan",
          "lay_judges", "alcohol_licences", "financial_regulation", "ownership_report",
          "risk_analysis")


def _term(model: str = "classic") -> Term:
    return Term(election_year=2027, municipality="5001", model=model)


def _planned(term: Term) -> dict[str, dt.date]:
    return {m.id: m.start for m in term.plan().milestones if m.process == "governance"}


def test_the_definition_declares_independent_one_step_parts() -> None:
    governance = definition("governance", "classic")
    assert governance.independent
    parts = governance.parts()
    assert [p.steps[0].milestone for p in parts] == [s.milestone for s in governance.steps]
    assert all(len(p.steps) == 1 and p.initial == governance.initial for p in parts)
    assert definition("planstrategi", "classic").parts() == (definition("planstrategi", "classic"),)


@pytest.mark.parametrize("model", PROCESS_MODELS)
def test_facts_in_reverse_order_on_their_planned_dates_are_accepted(model: str) -> None:
    term = _term(model)
    planned = _planned(term)
    assert set(planned) == {f"governance.{d}" for d in DUTIES}
    for milestone in sorted(planned, key=planned.__getitem__, reverse=True):
        term = term.record(milestone, planned[milestone])
    status = term.status(dt.date(2031, 10, 1), lang="en")
    for milestone in planned:
        item = status.milestone(milestone)
        assert (item.status, item.inferred, item.actual_start) == ("done", False,
                                                                   planned[milestone])
    assert [v for v in status.violations if v.milestone.startswith("governance.")] == []


def test_a_late_duty_is_accepted_and_pushes_none_of_the_others() -> None:
    term = _term()
    planned = _planned(term)
    late = dt.date(2029, 3, 1)  # the councils set up long after every 2028 duty
    assert all(day < late for key, day in planned.items()
               if key not in ("governance.councils", "governance.ownership_report",
                              "governance.financial_regulation"))
    term = term.record("governance.audit_plan", planned["governance.audit_plan"])
    term = term.record("governance.councils", late)
    current = {m.id: m.start for m in term.schedule("en").milestones if m.process == "governance"}
    assert current["governance.councils"] == late
    assert {k: v for k, v in current.items() if k != "governance.councils"} == {
        k: v for k, v in planned.items() if k != "governance.councils"}
    status = term.status(dt.date(2028, 5, 1), lang="en")
    # a recorded duty implies nothing about the others
    assert status.milestone("governance.delegation_regulation").status == "planned"
    assert status.milestone("governance.risk_analysis").inferred is False


def test_a_duty_past_its_due_date_is_a_violation_of_its_own_rule_only() -> None:
    term = _term().record("governance.lay_judges", dt.date(2028, 9, 1))  # due 1 July 2028
    term = term.record("governance.councils", dt.date(2027, 12, 16))
    status = term.status(dt.date(2028, 9, 2), lang="en")
    governance = [(v.milestone, v.rule) for v in status.violations
                  if v.milestone.startswith("governance.")]
    assert governance == [("governance.lay_judges", "lay-judges")]


@pytest.mark.parametrize("model", PROCESS_MODELS)
@pytest.mark.parametrize("year", [2019, 2023, 2027])
def test_a_run_without_events_breaks_no_governance_rule(model: str, year: int) -> None:
    """Before the duties were independent every classic run broke alcohol-licences and
    lay-judges: the risk analysis, planned with the late classic samfunnsdel, held them back."""
    run = Run(Scenario(name="plain", election_year=year, model=model))
    run.advance()
    report = run_report(run)
    assert [v.rule for v in report.violations] == []
    assert run.instance("governance.lay_judges").is_finished


def test_a_late_risk_analysis_delays_no_other_duty_in_a_simulation() -> None:
    scenario = Scenario.model_validate({
        "name": "late risk analysis", "election_year": 2027, "model": "classic",
        "events": [{"type": "delay", "milestone": "governance.risk_analysis", "days": 200},
                   {"type": "delay", "milestone": "governance.lay_judges", "days": 30}]})
    run = Run(scenario)
    run.advance()
    report = run_report(run)
    assert [(v.milestone, v.rule) for v in report.violations] == [
        ("governance.lay_judges", "lay-judges")]
    alcohol = run.instance("governance.alcohol_licences").history[-1].date
    assert alcohol == run.planned("governance.alcohol_licences")


def test_a_fire_event_names_the_process_and_reaches_its_duty() -> None:
    scenario = Scenario.model_validate({
        "name": "early audit plan", "election_year": 2027, "model": "samskaping",
        "events": [{"type": "fire", "process": "governance", "trigger": "adopt_audit_plan",
                    "date": "2028-02-10"}]})
    run = Run(scenario)
    run.advance()
    assert run.instance("governance.audit_plan").history[-1].date == dt.date(2028, 2, 10)
    assert run.instance("governance.councils").history[-1].date == \
        run.planned("governance.councils")


def test_a_paragraph_of_a_source_outside_lovdata_is_not_added_to_its_page() -> None:
    rule = rule_table().get("audit-report", dt.date(2020, 6, 1))
    covid = [b for b in rule.basis if b.section.startswith("§ 5")]
    assert covid and covid[0].url is not None and "§" not in covid[0].url
    assert any(b.url == "https://lovdata.no/lov/2018-06-22-83/§24-8" for b in rule.basis)
