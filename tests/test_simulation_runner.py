"""The runner: planned dates without events, propagation along the DateSpec references, clear errors,
the start state, the clock, and seeded variation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from plancycle import build_schedule
from plancycle.processes import PROCESS_MODELS
from plancycle.simulation import Run, Scenario, ScenarioError, compare, run_report, simulate
from plancycle.simulation.report import percentile

D = dt.date.fromisoformat
K = {"type": "constituted", "date": "2027-10-21"}


def _scenario(model: str = "samskaping", events: list[dict[str, Any]] | None = None,
              **fields: Any) -> Scenario:
    return Scenario.model_validate({"election_year": 2027, "model": model,
                                    "events": [K, *(events or [])], **fields})


def _run(scenario: Scenario) -> Run:
    run = Run(scenario)
    run.advance()
    return run


@pytest.mark.parametrize("model", PROCESS_MODELS)
def test_no_events_reproduce_the_schedule_dates_and_break_no_rule(model: str) -> None:
    scenario = _scenario(model)
    run = _run(scenario)
    schedule = build_schedule(scenario.period(), None, model)  # type: ignore[arg-type]
    expected = {}
    for m in schedule.milestones:
        expected[m.id] = m.start
        if m.kind == "phase":
            expected[m.id + ":end"] = m.end
    fired = run.adjust.fired
    assert {k: v for k, v in expected.items() if v <= scenario.term[1]} == fired
    assert run_report(run).violations == ()


def test_a_delay_moves_everything_planned_from_it_and_nothing_else() -> None:
    plain = _run(_scenario("reform"))
    late = _run(_scenario("reform", [{"type": "delay", "milestone": "samfunnsdel.adopted",
                                      "days": 10}]))
    moved = {k for k in plain.adjust.fired if plain.adjust.fired[k] != late.adjust.fired.get(k)}
    # the announcement is planned one week after the adoption (DateSpec ms:samfunnsdel.adopted)
    assert moved == {"samfunnsdel.adopted", "samfunnsdel.announced"}
    assert late.adjust.fired["samfunnsdel.adopted"] == D("2028-05-02")  # 2028-04-20 + 10 → Tue
    assert late.adjust.fired["samfunnsdel.announced"] == D("2028-05-09")


def test_a_longer_phase_makes_the_next_step_wait_for_it() -> None:
    run = _run(_scenario("reform", variation={"runs": 1, "phases": [
        {"milestone": "samfunnsdel.drafting", "length_weeks": [20, 20]}]}))
    fired = run.adjust.fired
    assert fired["samfunnsdel.drafting:end"] == D("2027-12-03") + dt.timedelta(weeks=20)
    assert fired["samfunnsdel.public_consultation"] == fired["samfunnsdel.drafting:end"]


def test_a_delay_known_after_the_step_happened_is_a_clear_error() -> None:
    scenario = _scenario("reform", [{"type": "delay", "milestone": "samfunnsdel.drafting",
                                     "weeks": 2, "date": "2028-01-10"}])
    with pytest.raises(ScenarioError, match=r"events\[1\]: delay samfunnsdel.drafting by 14 days: "
                                            r"samfunnsdel.drafting already happened on 2027-12-03"):
        _run(scenario)


@pytest.mark.parametrize(("events", "field", "problem"), [
    ([{"type": "delay", "milestone": "samfunnsdel.adopted", "days": 3, "date": "2032-01-05"}],
     "events[1].date", "outside the term 2027-01-01 … 2031-10-31"),
    ([{"type": "delay", "milestone": "samfunnsdel.nonsense", "days": 3}],
     "events[1].milestone", "unknown milestone 'samfunnsdel.nonsense'"),
    ([{"type": "published", "milestone": "samfunnsdel.adopted", "days_before": 3}],
     "events[1].milestone", "not a publication"),
    ([{"type": "fire", "process": "samfunnsdel", "trigger": "explode", "date": "2028-01-05"}],
     "events[1].trigger", "samfunnsdel has no trigger 'explode'"),
    ([{"type": "meeting_cancelled", "date": "2028-05-01"},
      {"type": "meeting_cancelled", "date": "2028-04-01"}],
     "events[2].date", "before events[1] (2028-05-01): list events in date order"),
    ([{"type": "constituted", "date": "2027-10-28"}], "events[1]", "held once"),
])
def test_bad_events_name_the_field_and_the_problem(events: list[dict[str, Any]], field: str,
                                                   problem: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        Run(_scenario("samskaping", events))
    assert caught.value.field == field
    assert problem in caught.value.problem


def test_a_cancelled_meeting_without_decisions_is_noted_not_ignored() -> None:
    report = run_report(_run(_scenario(events=[{"type": "meeting_cancelled",
                                                "date": "2028-01-05"}])))
    assert [str(note) for note in report.notes] == [
        "events[1] (meeting 2028-01-05 cancelled): no council decision was planned that day; "
        "nothing moved"]


def test_the_start_state_is_the_plan_up_to_the_start_day() -> None:
    scenario = _scenario(start="2028-04-01", events=[
        {"type": "delay", "milestone": "samfunnsdel.public_consultation", "weeks": 3}])
    run = Run(scenario)
    run.advance(D("2028-03-31"))
    assert run.instance("samfunnsdel").state == "drafting"
    assert [p.index for p in run.pending] == [1]  # the delay applies from the start day
    run.advance()
    assert run.adjust.fired["samfunnsdel.public_consultation"] == D("2028-06-01")
    with pytest.raises(ScenarioError, match="before the scenario start 2028-04-01"):
        Run(_scenario(start="2028-04-01", events=[
            {"type": "meeting_cancelled", "date": "2028-03-02"}]))


def test_advancing_in_steps_gives_the_same_result_as_one_go() -> None:
    scenario = _scenario("classic", [{"type": "published", "milestone":
                                      "planstrategi.proposal_public", "days_before": 20}])
    whole = _run(scenario)
    stepwise = Run(scenario)
    for day in ("2027-06-01", "2028-04-29", "2028-05-19", "2029-12-31"):
        stepwise.advance(D(day))
        assert stepwise.clock == D(day)
    stepwise.advance()
    assert stepwise.finished
    assert run_report(stepwise) == run_report(whole)


def test_the_same_seed_gives_the_same_report_and_another_seed_does_not() -> None:
    variation = {"seed": 3, "runs": 20, "phases": [
        {"milestone": "samfunnsdel.drafting", "length_weeks": [8, 16]},
        {"milestone": "action_economy_plan.adopted", "delay_days": [0, 0, 10]}]}
    first = simulate(_scenario(variation=variation, municipalities=["Bodø"]))
    again = simulate(_scenario(variation=variation, municipalities=["Bodø"]))
    other = simulate(_scenario(variation={**variation, "seed": 4}, municipalities=["Bodø"]))
    assert first == again
    assert first.aggregates != other.aggregates
    draws = first.runs[0].draws
    # a yearly milestone without its year is varied in every year of the term
    assert {k for k in draws if k.startswith("action_economy_plan")} == {
        f"action_economy_plan.{year}.adopted:delay" for year in range(2027, 2032)}


def test_compared_models_get_the_same_random_draws() -> None:
    report = compare(_scenario(variation={"seed": 1, "runs": 3, "phases": [
        {"milestone": "samfunnsdel.drafting", "length_weeks": [8, 16]}]}), keep_runs=True)
    by_run: dict[int, set[int]] = {}
    for run in report.runs:
        by_run.setdefault(run.run, set()).add(run.draws["samfunnsdel.drafting:length"])
    assert all(len(values) == 1 for values in by_run.values())
    assert [a.model for a in report.overall] == list(PROCESS_MODELS)


def test_percentiles_interpolate_between_ranks() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]
    assert (percentile(values, 0.1), percentile(values, 0.5), percentile(values, 0.9)) == (
        2.0, 6.0, 10.0)
    assert percentile([4.0, 8.0], 0.25) == 5.0
    assert percentile([7.0], 0.9) == 7.0


def test_measures_follow_the_seed_s_definitions() -> None:
    report = run_report(_run(_scenario("samskaping")))
    m = report.measures
    assert m.samfunnsdel_adopted == D("2028-08-01")
    assert m.days_to_samfunnsdel == (D("2028-08-01") - D("2027-09-13")).days
    # governed with its own samfunnsdel from adoption to 31 Oct 2031, of K → 31 Oct 2031
    share = (D("2031-10-31") - D("2028-08-01")).days / (D("2031-10-31") - D("2027-10-21")).days
    assert m.own_samfunnsdel_share == round(share, 4)
    assert m.first_budget_year_after_samfunnsdel == 2029  # the 2028 cycle adopts budget 2029
    assert m.planstrategi_due == D("2028-10-21") and m.planstrategi_on_time


@pytest.mark.parametrize("weeks", [-2, 6])
def test_a_fire_event_may_be_dated_before_or_after_the_planned_day(weeks: int) -> None:
    planned = _run(_scenario("reform")).adjust.fired["samfunnsdel.adopted"]
    day = planned + dt.timedelta(weeks=weeks)
    run = _run(_scenario("reform", [{"type": "fire", "process": "samfunnsdel",
                                     "trigger": "adopt", "date": day.isoformat()}]))
    assert run.adjust.fired["samfunnsdel.adopted"] == day
    # what is planned from the adoption moves with it (announced one week later)
    assert run.adjust.fired["samfunnsdel.announced"] >= day + dt.timedelta(weeks=1)
