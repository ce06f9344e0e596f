"""The public planning engine: ids, typed references, the council calendar, instances, re-planning."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plancycle import ElectionPeriod, InputError, ScheduleOptions, build_schedule
from plancycle.planning import (
    Adjustments,
    CouncilCalendar,
    EdgeKey,
    InstanceRequest,
    MilestoneId,
    Placement,
    term_slots,
)
from plancycle.processes.declaration import DateSpec, ProcessDefinition, Step
from plancycle.schedule import base_planner, planner_for

PERIOD = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
NAMES = st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True)
KEYS = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)


@given(process=NAMES, step=NAMES, year=st.none() | st.integers(1000, 9999),
       instance=st.none() | KEYS)
def test_a_milestone_id_formats_and_parses_back(process: str, step: str, year: int | None,
                                                instance: str | None) -> None:
    ident = MilestoneId(process, step, year, instance)
    assert MilestoneId.parse(str(ident)) == ident
    end = EdgeKey(ident, "end")
    assert EdgeKey.parse(str(end)) == end and str(end).endswith(":end")


@pytest.mark.parametrize("text", ["planstrategi", "Planstrategi.adopted", "a.b.c.d.e",
                                  "plan.2028.2029.adopted", "plan..adopted", "plan.kdp sykkel.x"])
def test_a_malformed_id_is_refused_naming_the_grammar(text: str) -> None:
    with pytest.raises(InputError) as caught:
        MilestoneId.parse(text)
    assert "process.step" in str(caught.value)


def test_known_ids_keep_their_shape() -> None:
    assert str(MilestoneId.parse("action_economy_plan.2028.adopted")) == \
        "action_economy_plan.2028.adopted"
    assert MilestoneId.parse("action_economy_plan.2028.adopted").instance_name == \
        "action_economy_plan.2028"
    assert MilestoneId.parse("samfunnsdel.kdp-sykkel.adopted").instance == "kdp-sykkel"


def test_a_typo_in_a_date_reference_fails_when_the_step_is_declared() -> None:
    with pytest.raises(ValueError, match="date reference"):
        DateSpec("ms:samfunnsdel.adopted:ende")
    with pytest.raises(ValueError, match="date reference"):
        DateSpec("md:06-20")  # practice dates are rule parameters now


def test_a_definition_with_an_unknown_reference_or_a_trap_is_refused() -> None:
    good = Step("a", "event", ("planstrategi-start",), trigger="do_a", state="a_done",
                plan=DateSpec("K"))
    bad = Step("b", "event", ("planstrategi-start",), trigger="do_b", state="b_done",
               plan=DateSpec("ms:planstrategi.nothing"))
    with pytest.raises(ValueError, match="unknown milestone"):
        ProcessDefinition("planstrategi", "classic", "start", (good, bad))


def test_a_second_instance_gets_its_own_ids_and_refers_to_itself() -> None:
    slots = term_slots(PERIOD, "samskaping",
                       instances=(InstanceRequest("samfunnsdel", "kdp-sykkel"),))
    assert "samfunnsdel.kdp-sykkel.adopted" in slots and "samfunnsdel.adopted" in slots
    planner = planner_for(PERIOD, "samskaping", ScheduleOptions(),
                          instances=(InstanceRequest("samfunnsdel", "kdp-sykkel"),))
    moved = planner.replan(Adjustments(fired={
        "samfunnsdel.kdp-sykkel.public_consultation": dt.date(2029, 3, 5)}))
    other = moved.slots["samfunnsdel.kdp-sykkel.adopted"]
    assert moved.start(other).day > dt.date(2029, 4, 16)  # after its own hearing (6 weeks)
    assert moved.date("samfunnsdel.adopted") == planner.date("samfunnsdel.adopted")
    with pytest.raises(InputError):
        term_slots(PERIOD, "samskaping", instances=(InstanceRequest("action_economy_plan", "x"),))
    with pytest.raises(InputError):
        term_slots(PERIOD, "samskaping", instances=(InstanceRequest("samfunnsdel", "2028"),))


def test_replanning_re_dates_exactly_the_dependents_of_a_fact() -> None:
    base = base_planner(PERIOD, "samskaping", ScheduleOptions())
    late = base.replan(Adjustments(fired={"samfunnsdel.public_consultation": dt.date(2028, 6, 12)}))
    assert late.date("samfunnsdel.public_consultation:end") == dt.date(2028, 8, 14)
    assert late.date("samfunnsdel.adopted") > base.date("samfunnsdel.adopted")
    assert late.date("planstrategi.adopted") == base.date("planstrategi.adopted")
    # the base plan is not changed by re-planning a copy
    assert base.date("samfunnsdel.public_consultation") == dt.date(2028, 5, 11)


def test_without_facts_the_engine_gives_the_schedule() -> None:
    planner = base_planner(PERIOD, "classic", ScheduleOptions())
    for m in build_schedule(PERIOD, None, "classic").milestones:
        assert planner.date(m.id) == m.start
        assert planner.date(m.id + ":end" if m.kind == "phase" else m.id) == m.end


def test_the_council_calendar_places_decisions_on_meetings_of_its_stretch_only() -> None:
    council = CouncilCalendar.of([dt.date(2028, 3, 9), dt.date(2028, 6, 15), dt.date(2028, 12, 14)])
    # around a practice date: the nearest meeting
    assert council.place(dt.date(2028, 6, 10), dt.date(2028, 1, 1), None,
                         "council_before").day == dt.date(2028, 6, 15)
    # after something: the first meeting on or after it that is not after the due date
    assert council.place(dt.date(2028, 6, 16), dt.date(2028, 1, 1), dt.date(2028, 12, 31),
                         "council_after").day == dt.date(2028, 12, 14)
    # without a due date a decision moves at most two months to reach a meeting: here the
    # last one that fits after its earliest day, the day before
    near = council.place(dt.date(2028, 6, 16), dt.date(2028, 1, 1), None, "council_after")
    assert near == Placement(dt.date(2028, 6, 15))
    far = council.place(dt.date(2028, 8, 20), dt.date(2028, 8, 1), None, "council_after")
    assert far.flagged and far.day == dt.date(2028, 8, 20)
    # before the plan's stretch (and due before its first meeting): as without a plan
    assert council.place(dt.date(2027, 6, 10), dt.date(2027, 1, 1), dt.date(2027, 6, 30),
                         "council_before").day == dt.date(2027, 6, 10)
    # no meeting before the due date: flagged, and it stays on its planned day (never dropped)
    placed = council.place(dt.date(2028, 7, 1), dt.date(2028, 6, 20), dt.date(2028, 9, 30),
                           "council_after")
    assert placed.flagged and placed.day == dt.date(2028, 7, 1)
