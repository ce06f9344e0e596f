"""Invariants of the simulation, for generated scenarios (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancycle import build_schedule
from plancycle.errors import PlanCycleError
from plancycle.processes import PROCESS_MODELS
from plancycle.simulation import Run, RunReport, Scenario, run_report, simulate
from plancycle.simulation.persistence import parse, restore, snapshot, to_json

FIRST, LAST = dt.date(2028, 1, 1), dt.date(2031, 6, 30)
PHASES = ("planstrategi.consultation", "samfunnsdel.political_workshop", "samfunnsdel.drafting",
          "samfunnsdel.public_consultation")
MILESTONES = (*PHASES, "planstrategi.start", "planstrategi.adopted", "samfunnsdel.adopted",
              "action_economy_plan.2028.adopted", "action_economy_plan.2029.framework")
DECISION_DAYS = ("2028-03-02", "2028-04-20", "2028-05-19", "2028-08-01", "2028-12-12",
                 "2029-03-16", "2029-06-15", "2030-06-14")
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

days = st.dates(min_value=FIRST, max_value=LAST)
delays = st.builds(
    lambda milestone, end, n: {"type": "delay", "milestone": milestone, "days": n,
                               "edge": "end" if end and milestone in PHASES else "start"},
    st.sampled_from(MILESTONES), st.booleans(),
    st.integers(-10, 60).filter(lambda n: n != 0))
cancellations = st.builds(
    lambda day: {"type": "meeting_cancelled", "date": day},
    st.one_of(st.sampled_from(DECISION_DAYS).map(dt.date.fromisoformat), days))
publications = st.builds(
    lambda milestone, n: {"type": "published", "milestone": milestone, "days_before": n},
    st.sampled_from(("planstrategi.proposal_public",
                     "action_economy_plan.2029.recommendation_public")), st.integers(0, 40))
new_hearings = st.builds(
    lambda day: {"type": "fire", "process": "samfunnsdel", "trigger": "order_new_hearing",
                 "date": day},
    # days just after a samfunnsdel hearing closes in reform, samskaping and classic, or any day
    st.one_of(st.sampled_from(("2028-04-06", "2028-07-10", "2029-02-20")).map(
        dt.date.fromisoformat), days))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    model = draw(st.sampled_from(PROCESS_MODELS))
    constituted = draw(st.dates(dt.date(2027, 9, 27), dt.date(2027, 10, 31)))
    events = draw(st.lists(st.one_of(delays, cancellations, publications, new_hearings),
                           max_size=5))
    undated = [e for e in events if "date" not in e]
    dated = sorted((e for e in events if "date" in e), key=lambda e: e["date"])
    return Scenario.model_validate({
        "election_year": 2027, "model": model,
        "events": [{"type": "constituted", "date": constituted}, *undated, *dated]})


def _outcome(run: Run, until: dt.date | None = None) -> RunReport | str:
    """Run to the end (saving and loading at ``until``); the report, or the error it gave."""
    try:
        if until is not None:
            run.advance(until)
            run = restore(parse(to_json(snapshot(run))))
        run.advance()
        return run_report(run)
    except PlanCycleError as exc:
        return f"{type(exc).__name__}: {exc}"


@SETTINGS
@given(scenarios(), st.dates(dt.date(2027, 1, 1), dt.date(2031, 10, 31)))
def test_save_load_continue_gives_the_same_report_as_running_straight_through(
        scenario: Scenario, pause: dt.date) -> None:
    assert _outcome(Run(scenario), pause) == _outcome(Run(scenario))


@SETTINGS
@given(st.sampled_from(PROCESS_MODELS), st.dates(dt.date(2027, 9, 27), dt.date(2027, 10, 31)),
       st.booleans())
def test_no_events_reproduce_the_planned_dates_and_no_violations(
        model: str, constituted: dt.date, notice: bool) -> None:
    scenario = Scenario.model_validate({
        "election_year": 2027, "model": model, "handlingsdel_notice": notice,
        "events": [{"type": "constituted", "date": constituted}]})
    run = Run(scenario)
    run.advance()
    schedule = build_schedule(scenario.period(), None, model, scenario.options())  # type: ignore[arg-type]
    planned: dict[str, dt.date] = {}
    for m in schedule.milestones:
        planned[m.id] = m.start
        if m.kind == "phase":
            planned[m.id + ":end"] = m.end
    assert run.adjust.fired == {k: v for k, v in planned.items() if v <= scenario.term[1]}
    assert run_report(run).violations == ()


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 4), st.sampled_from(PROCESS_MODELS))
def test_the_same_seed_gives_the_same_aggregate(seed: int, runs: int, model: str) -> None:
    data: dict[str, Any] = {
        "election_year": 2027, "model": model, "municipalities": ["Lom"],
        "variation": {"seed": seed, "runs": runs, "phases": [
            {"milestone": "samfunnsdel.drafting", "length_weeks": [8, 16]},
            {"milestone": "planstrategi.adopted", "delay_days": [0, 7, 60]}]}}
    first = simulate(Scenario.model_validate(data), keep_runs=False)
    second = simulate(Scenario.model_validate(data), keep_runs=False)
    assert first.aggregates == second.aggregates and first.overall == second.overall


def test_a_constituent_meeting_too_soon_after_the_election_cannot_be_called_before_it() -> None:
    """K one day after E: the 14-day notice cannot be given before election day, so the schedule
    plans it on election day (after its due date, with a warning) and the machine records the
    short notice. K is therefore kept at least 14 days after E in the property above."""
    scenario = Scenario.model_validate({"election_year": 2027, "model": "classic", "events": [
        {"type": "constituted", "date": dt.date(2027, 9, 14)}]})
    run = Run(scenario)
    run.advance()
    assert run.adjust.fired["election.constituent_meeting_notice"] == dt.date(2027, 9, 13)
    assert [(v.rule, v.days_late) for v in run_report(run).violations] == [
        ("constitution-notice", 13)]
