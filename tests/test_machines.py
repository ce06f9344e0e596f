"""The state machines: legal paths, strict refusal, recorded violations, history, sound graphs."""

from __future__ import annotations

import datetime as dt

import pytest

from plancycle import (
    ElectionPeriod,
    InputError,
    InvalidTransitionError,
    ProcessInstance,
    RuleViolation,
    build_schedule,
    definition,
    definitions,
)
from plancycle.machine import graph_problems, transitions_of
from plancycle.processes import PROCESS_MODELS, PROCESS_NAMES, ProcessDefinition

PERIOD = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))


def _instances(model: str, mode: str = "strict") -> list[ProcessInstance]:
    out = []
    for name in PROCESS_NAMES:
        d = definition(name, model)  # type: ignore[arg-type]
        years = range(2027, 2032) if d.yearly else [None]
        for part in d.parts():  # the governance duties run one machine each
            out.extend(ProcessInstance(part, PERIOD, year=y, mode=mode)  # type: ignore[arg-type]
                       for y in years)
    return out


def _fire_as_planned(instance: ProcessInstance, model: str) -> None:
    """Drive the machine through its steps on the schedule's planned dates."""
    schedule = build_schedule(PERIOD, None, model)  # type: ignore[arg-type]
    by_id = {m.id: m for m in schedule.milestones}
    for step in instance.steps:
        milestone = by_id.get(instance.milestone_id(step))
        if milestone is None:  # outside the schedule window (after 31 Oct 2031)
            pytest.skip("cycle runs beyond the term")
        instance.fire(step.trigger, milestone.start)
        if step.end_trigger:
            instance.fire(step.end_trigger, milestone.end)


@pytest.mark.parametrize("model", PROCESS_MODELS)
def test_every_machine_reaches_its_final_state_on_the_planned_dates(model: str) -> None:
    for instance in _instances(model):
        if instance.name.endswith("2031"):
            continue
        _fire_as_planned(instance, model)
        assert instance.is_finished, instance.name
        assert instance.violations == []
        assert [h.state for h in instance.history][-1] == instance.final_state


@pytest.mark.parametrize("model", PROCESS_MODELS)
@pytest.mark.parametrize("name", PROCESS_NAMES)
def test_machine_graphs_have_no_unreachable_or_trap_states(model: str, name: str) -> None:
    d = definition(name, model)  # type: ignore[arg-type]
    for term_year in range(5) if d.yearly else [0]:
        steps = d.steps_in_year(term_year) if d.yearly else d.steps
        assert graph_problems(d, steps) == []


def test_a_definition_with_a_trap_state_cannot_be_declared() -> None:
    from dataclasses import replace

    from plancycle.processes.declaration import Transition

    d = definition("samfunnsdel", "classic")
    with pytest.raises(ValueError) as caught:
        replace(d, extra=(*d.extra, Transition("withdraw", "drafting", "withdrawn", "planprogram"),
                          Transition("orphan_exit", "nowhere", "adopted", "planprogram")))
    assert "'withdrawn' is a trap" in str(caught.value)
    assert "'nowhere' is unreachable" in str(caught.value)


def test_graph_check_finds_trap_and_unreachable_states_of_a_restricted_machine() -> None:
    d = definition("samfunnsdel", "reform")  # order_new_hearing: consulted -> public_consultation
    steps = tuple(s for s in d.steps if s.milestone != "public_consultation")
    problems = graph_problems(d, steps)
    assert "samfunnsdel: state 'consulted' is unreachable" in problems
    assert "samfunnsdel: state 'public_consultation' is a trap (cannot reach 'announced')" \
        in problems


def _to_proposal(instance: ProcessInstance) -> None:
    instance.fire("complete_public_health_overview", dt.date(2027, 6, 1))
    instance.fire("start_work", dt.date(2027, 11, 4))
    instance.fire("publish_proposal", dt.date(2028, 1, 10))
    instance.fire("open_consultation", dt.date(2028, 1, 10))
    instance.fire("close_consultation", dt.date(2028, 2, 28))


def test_strict_mode_refuses_a_late_planstrategi_and_names_rule_dates_and_fix() -> None:
    instance = ProcessInstance(definition("planstrategi", "classic"), PERIOD, mode="strict")
    _to_proposal(instance)
    with pytest.raises(RuleViolation) as caught:
        instance.fire("adopt", dt.date(2028, 10, 25))
    message = str(caught.value)
    assert "planstrategi-deadline" in message and "§ 10-1" in message
    assert "2028-10-25" in message and "2028-10-21" in message
    assert "on or before 2028-10-21" in message
    assert instance.state == "consulted"  # unchanged


def test_record_mode_lets_it_happen_and_records_the_violation() -> None:
    instance = ProcessInstance(definition("planstrategi", "classic"), PERIOD, mode="record")
    _to_proposal(instance)
    found = instance.fire("adopt", dt.date(2028, 10, 25))
    assert instance.state == "adopted" and instance.is_finished
    assert [(v.rule, v.days_late, v.limit) for v in found] == [
        ("planstrategi-deadline", 4, dt.date(2028, 10, 21))]
    assert instance.violations == found


def test_short_notice_is_recorded_with_the_days_it_was_late() -> None:
    instance = ProcessInstance(definition("planstrategi", "classic"), PERIOD, mode="record")
    instance.fire("complete_public_health_overview", dt.date(2027, 6, 1))
    instance.fire("start_work", dt.date(2027, 11, 4))
    instance.fire("publish_proposal", dt.date(2028, 6, 13))
    instance.fire("open_consultation", dt.date(2028, 6, 13))
    instance.fire("close_consultation", dt.date(2028, 6, 20))
    found = instance.fire("adopt", dt.date(2028, 7, 1))
    notice = [v for v in found if v.rule == "planstrategi-notice"]
    assert len(notice) == 1 and notice[0].days_late == 12


def test_too_short_statutory_hearing_is_refused_in_strict_mode() -> None:
    instance = ProcessInstance(definition("samfunnsdel", "reform"), PERIOD, mode="strict")
    instance.fire("complete_challenge_picture", dt.date(2027, 6, 18))
    instance.fire("open_workshops", dt.date(2027, 11, 11))
    instance.fire("close_workshops", dt.date(2027, 12, 2))
    instance.fire("start_drafting", dt.date(2027, 12, 3))
    instance.fire("finish_draft", dt.date(2028, 2, 10))
    instance.fire("open_public_consultation", dt.date(2028, 2, 11))
    with pytest.raises(RuleViolation, match="kommuneplan-hearing"):
        instance.fire("close_public_consultation", dt.date(2028, 3, 10))
    instance.fire("close_public_consultation", dt.date(2028, 3, 24))
    assert instance.state == "consulted"


def test_new_hearing_loops_back_and_history_is_kept() -> None:
    instance = ProcessInstance(definition("samfunnsdel", "reform"), PERIOD, mode="record")
    steps = [("complete_challenge_picture", "2027-06-18"), ("open_workshops", "2027-11-11"),
             ("close_workshops", "2027-12-02"), ("start_drafting", "2027-12-03"),
             ("finish_draft", "2028-02-10"), ("open_public_consultation", "2028-02-11"),
             ("close_public_consultation", "2028-03-31"), ("order_new_hearing", "2028-04-20"),
             ("close_public_consultation", "2028-06-01"), ("adopt", "2028-08-24"),
             ("announce", "2028-08-31")]
    for trigger, day in steps:
        instance.fire(trigger, dt.date.fromisoformat(day))
    assert instance.is_finished
    assert [h.trigger for h in instance.history] == [t for t, _ in steps]
    assert instance.history[7].state == "public_consultation"
    assert instance.violations == []


def test_trigger_out_of_order_is_a_clear_error() -> None:
    instance = ProcessInstance(definition("planstrategi", "samskaping"), PERIOD)
    with pytest.raises(InvalidTransitionError, match="allowed: complete_public_health_overview"):
        instance.fire("adopt", dt.date(2028, 3, 1))


def test_yearly_cycle_checks_budget_deadline_and_notice() -> None:
    d = definition("action_economy_plan", "classic")
    instance = ProcessInstance(d, PERIOD, year=2029, mode="record")
    schedule = build_schedule(PERIOD, None, "classic")
    for step in instance.steps[:-3]:
        instance.fire(step.trigger, schedule.milestone(instance.milestone_id(step)).start)
    instance.fire("publish_recommendation", dt.date(2029, 12, 28))
    found = instance.fire("adopt", dt.date(2030, 1, 3))
    assert {v.rule for v in found} == {"budget-adoption", "budget-notice"}


def test_a_second_hearing_is_measured_from_its_own_opening() -> None:
    instance = ProcessInstance(definition("samfunnsdel", "reform"), PERIOD, mode="record")
    for trigger, day in [("complete_challenge_picture", "2027-06-18"),
                         ("open_workshops", "2027-11-11"), ("close_workshops", "2027-12-02"),
                         ("start_drafting", "2027-12-03"), ("finish_draft", "2028-02-10"),
                         ("open_public_consultation", "2028-02-11"),
                         ("close_public_consultation", "2028-03-31"),
                         ("order_new_hearing", "2028-04-20")]:
        instance.fire(trigger, dt.date.fromisoformat(day))
    found = instance.fire("close_public_consultation", dt.date(2028, 4, 24))
    assert [(v.rule, v.limit) for v in found] == [("kommuneplan-hearing", dt.date(2028, 6, 1))]


def _every_definition() -> list[ProcessDefinition]:
    return [d for model in PROCESS_MODELS for county in (False, True)
            for d in definitions(model, county=county)]


@pytest.mark.parametrize("process", _every_definition(),
                         ids=lambda d: f"{d.model}-{d.name}")
def test_instances_carry_none_of_the_methods_transitions_injects(process: ProcessDefinition) -> None:
    for year in range(2027, 2032) if process.yearly else [None]:
        instance = ProcessInstance(process, PERIOD, year=year, mode="strict")
        edges = transitions_of(process, instance.steps, all_extras=True)
        triggers = {t["trigger"] for t in edges}
        states = {process.initial} | {t["dest"] for t in edges} | {t["source"] for t in edges}
        injected = {"trigger", *triggers, *(f"may_{t}" for t in triggers),
                    *(f"to_{s}" for s in states), *(f"is_{s}" for s in states)}
        assert "adopt" in triggers or process.name in ("election", "governance")
        assert sorted(n for n in injected if hasattr(instance, n)) == [], instance.name


def test_state_is_read_only_and_moves_only_through_fire() -> None:
    instance = ProcessInstance(definition("planstrategi", "classic"), PERIOD)
    with pytest.raises(AttributeError):
        instance.state = "adopted"  # type: ignore[misc]
    assert instance.state == "not_started" and instance.history == []


@pytest.mark.parametrize("day", ["2028-01-01", dt.datetime(2028, 1, 1, 12, 0), 20280101, None],
                         ids=["string", "datetime", "int", "none"])
def test_fire_and_check_refuse_anything_but_a_date_and_change_nothing(day: object) -> None:
    instance = ProcessInstance(definition("planstrategi", "classic"), PERIOD, mode="record")
    instance.fire("complete_public_health_overview", dt.date(2027, 6, 1))
    before = instance.snapshot()
    for call in (instance.fire, instance.check):
        with pytest.raises(InputError) as caught:
            call("start_work", day)  # type: ignore[arg-type]
        message = str(caught.value)
        assert "\n" not in message and "day" in message and "datetime.date" in message
        assert type(day).__name__ in message
    with pytest.raises(InputError):
        instance.fire("adopt", "2028-01-01")  # type: ignore[arg-type]
    assert instance.snapshot() == before


def test_a_date_error_reads_in_norwegian_too() -> None:
    instance = ProcessInstance(definition("planstrategi", "classic"), PERIOD)
    with pytest.raises(InputError) as caught:
        instance.fire("complete_public_health_overview", "2027-06-01")  # type: ignore[arg-type]
    assert "må være en datetime.date" in caught.value.in_language("nb")
    assert "må vere ein datetime.date" in caught.value.in_language("nn")


def test_unknown_trigger_with_a_valid_date_is_still_an_invalid_transition() -> None:
    instance = ProcessInstance(definition("planstrategi", "classic"), PERIOD)
    with pytest.raises(InvalidTransitionError, match="'no_such_trigger' is not possible"):
        instance.fire("no_such_trigger", dt.date(2028, 1, 1))


def test_violations_are_written_in_the_instance_language() -> None:
    instance = ProcessInstance(definition("planstrategi", "classic"), PERIOD, mode="record",
                               lang="nb")
    _to_proposal(instance)
    [found] = instance.fire("adopt", dt.date(2028, 10, 25))
    assert found.message.startswith("regel planstrategi-deadline (")
    assert "lovpålagt) brutt:" in found.message and "etter fristen 2028-10-21" in found.message
    restored = ProcessInstance.restore(instance.definition, PERIOD, instance.snapshot(), lang="nn")
    assert restored.lang == "nn" and restored.violations == instance.violations


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(InputError, match="xx"):
        ProcessInstance(definition("planstrategi", "classic"), PERIOD, lang="xx")  # type: ignore[arg-type]
