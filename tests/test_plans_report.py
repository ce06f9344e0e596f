"""The plan reports (issue 10, item 4) on hand-made registers and milestones a person can check:
the stale-plan report, the plans in force after a repeal, the load per quarter and its capacity
warning, overlapping hearings and the next step of each plan."""

from __future__ import annotations

import datetime as dt

from plancycle.models import Milestone
from plancycle.plans import Decision, Plan, PlanRegister
from plancycle.plans.report import (
    Quarter,
    default_stale_limit,
    in_force,
    next_steps,
    plan_load,
    stale_plans,
    term_quarters,
)

D = dt.date


def _m(plan: str, step: str, start: dt.date, end: dt.date | None = None,
       kind: str = "event") -> Milestone:
    return Milestone(id=f"plan.{plan}.{step}", process="plan", kind=kind, title=step,
                     start=start, end=end or start, due=None, binding="practice", basis=(),
                     confidence="P", provisional=False)


def _process(plan: str, start: dt.date, hearing: tuple[dt.date, dt.date],
             adopted: dt.date) -> list[Milestone]:
    """A practice plan: start, drafting, a consultation, adoption."""
    return [_m(plan, "started", start),
            _m(plan, "drafting", start + dt.timedelta(days=1), hearing[0] - dt.timedelta(days=1),
               kind="phase"),
            _m(plan, "consultation", *hearing, kind="phase"),
            _m(plan, "adopted", adopted)]


def test_a_plan_adopted_in_2012_with_no_decision_is_stale() -> None:
    register = PlanRegister(plans=(
        Plan(id="tp-kulturminne", title="Kulturminneplan", type="temaplan", owner="Kultur",
             adopted=D(2012, 3, 29)),
        Plan(id="tp-bolig", title="Boligplan", type="temaplan", owner="Plan",
             adopted=D(2012, 5, 1)),
        Plan(id="tp-ny", title="Barnehageplan", type="temaplan", owner="Oppvekst",
             adopted=D(2023, 1, 1)),
    ), decisions=(Decision(plan="tp-bolig", decision="keep"),))
    stale = stale_plans(register, election_year=2027, today=D(2029, 1, 1))
    assert default_stale_limit(2027) == D(2023, 1, 1)
    assert [(s.plan.id, s.reasons) for s in stale] == [("tp-kulturminne", ("old",))]


def test_period_ended_no_owner_and_no_date_are_reported() -> None:
    register = PlanRegister(plans=(
        Plan(id="a", title="A", type="strategi", owner="X", adopted=D(2024, 1, 1),
             period_end=D(2028, 12, 31)),
        Plan(id="b", title="B", type="handlingsplan"),
        Plan(id="c", title="C", type="strategi", owner="X", adopted=D(2024, 1, 1),
             period_end=D(2028, 12, 31)),
    ), decisions=(Decision(plan="c", decision="revise", start="2029"),))
    stale = stale_plans(register, election_year=2027, today=D(2029, 1, 1))
    assert [(s.plan.id, s.reasons) for s in stale] == [
        ("a", ("period_ended",)), ("b", ("no_adopted", "no_owner"))]


def test_a_repealed_plan_leaves_the_in_force_list_when_its_milestone_is_done() -> None:
    register = PlanRegister(plans=(
        Plan(id="tp-vann", title="Hovedplan vann 1998", type="temaplan", owner="Teknisk",
             adopted=D(1998, 10, 15)),
        Plan(id="kdp-klima", title="Klima", type="kommunedelplan", owner="Miljø",
             adopted=D(2020, 1, 1)),
    ), decisions=(Decision(plan="tp-vann", decision="repeal"),
                  Decision(plan="kdp-klima", decision="keep")))
    repealed = [_m("tp-vann", "repealed", D(2028, 12, 14))]
    assert [p.id for p in in_force(register)] == ["tp-vann", "kdp-klima"]
    assert [p.id for p in in_force(register, {"plan.tp-vann.repealed"})] == ["kdp-klima"]
    # not carried out: in the report once its day has passed, not before, not once done
    before = stale_plans(register, election_year=2027, today=D(2028, 12, 1), milestones=repealed)
    after = stale_plans(register, election_year=2027, today=D(2029, 1, 1), milestones=repealed)
    done = stale_plans(register, election_year=2027, today=D(2029, 1, 1), milestones=repealed,
                       done={"plan.tp-vann.repealed"})
    assert before == ()
    assert [(s.plan.id, s.reasons) for s in after] == [("tp-vann", ("repeal_pending",))]
    assert done == ()


def test_the_quarters_of_the_2027_term() -> None:
    quarters = term_quarters(2027)
    assert len(quarters) == 16
    assert quarters[0].name == "2027-Q4" and quarters[-1].name == "2031-Q3"
    assert (Quarter(2028, 3).start, Quarter(2028, 3).end) == (D(2028, 7, 1), D(2028, 9, 30))
    assert Quarter(2028, 1).end == D(2028, 3, 31)


def _load_set() -> tuple[PlanRegister, list[Milestone]]:
    """Three plans: a runs 2028-Q3 to 2029-Q1, b 2028-Q4 to 2029-Q2, c only in 2029-Q1; a's
    and b's hearings share 15–31 January 2029; a repeal (one decision) is no process."""
    register = PlanRegister(plans=(
        Plan(id="a", title="A", type="temaplan", owner="Helse"),
        Plan(id="b", title="B", type="temaplan", owner="Helse"),
        Plan(id="c", title="C", type="strategi", owner="Kultur"),
        Plan(id="d", title="D", type="strategi", owner="Kultur"),
    ), decisions=(Decision(plan="a", decision="revise", start="2028-Q3"),
                  Decision(plan="b", decision="revise", start="2028-Q4"),
                  Decision(plan="c", decision="new", start="2029"),
                  Decision(plan="d", decision="repeal")))
    milestones = [*_process("a", D(2028, 9, 1), (D(2029, 1, 1), D(2029, 1, 31)), D(2029, 3, 1)),
                  *_process("b", D(2028, 10, 1), (D(2029, 1, 15), D(2029, 2, 28)),
                            D(2029, 5, 1)),
                  *_process("c", D(2029, 1, 2), (D(2029, 2, 1), D(2029, 2, 28)), D(2029, 3, 20)),
                  _m("d", "repealed", D(2028, 12, 14))]
    return register, milestones


def test_the_plan_load_per_quarter_of_a_hand_made_set() -> None:
    register, milestones = _load_set()
    load = plan_load(register, milestones, election_year=2027)
    by_quarter = {q.quarter.name: q for q in load.quarters}
    assert by_quarter["2028-Q2"].running == ()
    assert by_quarter["2028-Q3"].running == ("a",)
    assert by_quarter["2028-Q4"].running == ("a", "b")
    assert by_quarter["2029-Q1"].running == ("a", "b", "c")
    assert by_quarter["2029-Q2"].running == ("b",)
    assert by_quarter["2029-Q1"].hearings == ("a", "b", "c")
    # 15–31 January a and b, 1–28 February b and c: never three on one day
    assert by_quarter["2029-Q1"].parallel_hearings == 2
    assert [(o.plans, o.start, o.end) for o in load.overlaps] == [
        (("a", "b"), D(2029, 1, 15), D(2029, 1, 31)),
        (("b", "c"), D(2029, 2, 1), D(2029, 2, 28))]
    assert load.warnings == ()


def test_a_capacity_warning_when_exceeded() -> None:
    register, milestones = _load_set()
    load = plan_load(register, milestones, election_year=2027, capacity=2)
    assert [(w.quarter.name, w.count, w.capacity) for w in load.warnings] == [("2029-Q1", 3, 2)]
    per_owner = plan_load(register, milestones, election_year=2027,
                          capacity={"Helse": 1, "Kultur": 1})
    assert [(w.quarter.name, w.owner, w.count) for w in per_owner.warnings] == [
        ("2028-Q4", "Helse", 2), ("2029-Q1", "Helse", 2)]


def test_the_next_step_is_the_first_milestone_not_done() -> None:
    register, milestones = _load_set()
    steps = next_steps(register, milestones, {"plan.a.started", "plan.a.drafting"})
    step_a = steps["a"]
    assert step_a is not None
    assert (step_a.step, step_a.date) == ("consultation", D(2029, 1, 1))
    step_d = steps["d"]
    assert step_d is not None and step_d.step == "repealed"
    done_d = next_steps(register, milestones, {"plan.d.repealed"})
    assert done_d["d"] is None


def test_the_samfunnsdel_plan_follows_the_samfunnsdel_process_and_implied_steps_are_done() -> None:
    """The register's samfunnsdel, decided revised, is run by the core samfunnsdel process: its
    next step is that process's; and on a day, a recorded adoption counts the steps before it
    as done (a plan of its own gets its next step after them)."""
    import datetime as dt
    from pathlib import Path

    from plancycle.plans.of_term import term_plans
    from plancycle.plans.report import next_steps
    from plancycle.termfile import load_term

    term = load_term(Path(__file__).parents[1] / "examples" / "plans" / "eksempelby-2027.toml")
    plans = term_plans(term, "en", today=dt.date(2029, 6, 1))
    steps = next_steps(plans.register, plans.milestones, plans.done, plans.core)
    samfunnsdel = steps["kpl-samfunnsdel"]
    assert samfunnsdel is not None and samfunnsdel.milestone.id.startswith("samfunnsdel.")
    klima = [m for m in plans.milestones if m.id.startswith("plan.kdp-klima.")]
    adopted = next(m for m in klima if m.id == "plan.kdp-klima.adopted")
    recorded = term.record(adopted.id, adopted.start)
    after = term_plans(recorded, "en", today=adopted.start)
    before_adoption = {m.id for m in klima if m.end <= adopted.start and m.id != adopted.id}
    assert before_adoption and before_adoption <= after.done and adopted.id in after.done
