"""The planstrategi's decided plans as process instances (issue 10): dates a person can check
against a calendar, the rules every instance keeps, stable ids and UIDs, the feed option."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancycle.diagram import PLAN_DIAGRAMS, render
from plancycle.errors import InputError
from plancycle.feed.query import FEED_OPTIONS, parse_options
from plancycle.ical import event_uid
from plancycle.ids import MilestoneId
from plancycle.models import Milestone
from plancycle.planning.plans import plan_requests
from plancycle.plans import Decision, Plan, PlanRegister
from plancycle.plans.processes import in_force, plan_milestones
from plancycle.rules import rule_table
from plancycle.term import Term
from plancycle.term_calendar import term_to_ical
from plancycle.termfile import load_term, record_fact

D = dt.date
#: Thursdays of a council meeting plan for 2028–2030 (about one a month, none in July).
MEETINGS = tuple(D(year, month, day) for year in (2028, 2029, 2030)
                 for month, day in ((1, 25), (2, 22), (3, 21), (4, 25), (5, 23), (6, 20),
                                    (8, 29), (9, 19), (10, 24), (11, 21), (12, 12)))


def term_with(*pairs: tuple[Plan, Decision | None], meetings: tuple[dt.date, ...] = ()) -> Term:
    register = PlanRegister(plans=tuple(p for p, _ in pairs),
                            decisions=tuple(d for _, d in pairs if d is not None))
    return Term(election_year=2027, municipality="1103", plans=register,
                council_meetings=meetings)


def kdp(start: str, plan_id: str = "kdp-klima", title: str = "Kommunedelplan for klima") -> tuple[
        Plan, Decision]:
    return (Plan(id=plan_id, title=title, type="kommunedelplan"),
            Decision(plan=plan_id, decision="revise", start=start))


def by_id(term: Term) -> dict[str, Milestone]:
    return {m.id: m for m in plan_milestones(term, "en")}


# -- hand-checkable facts ----------------------------------------------------------------------
def test_kommunedelplan_from_1_september_2028_has_two_six_week_hearings() -> None:
    got = by_id(term_with(kdp("2028-09-01")))
    assert got["plan.kdp-klima.started"].start == D(2028, 9, 1)  # a Friday
    programme = got["plan.kdp-klima.planning_programme_consultation"]
    # opened eight weeks after the start (27 Oct), six weeks to 8 Dec: before Christmas
    assert (programme.start, programme.end, programme.min_days) == (D(2028, 10, 27),
                                                                    D(2028, 12, 8), 42)
    assert programme.padding == ()
    hearing = got["plan.kdp-klima.public_consultation"]
    # opens 20 July 2029: six weeks (31 Aug) plus three weeks for July = 21 Sep
    assert (hearing.start, hearing.end) == (D(2029, 7, 20), D(2029, 9, 21))
    assert [(p.holiday, p.days) for p in hearing.padding] == [("july", 21)]
    assert hearing.basis[0].url == "https://lovdata.no/lov/2008-06-27-71/§11-14"
    assert programme.basis[0].url == "https://lovdata.no/lov/2008-06-27-71/§4-1"
    assert got["plan.kdp-klima.adopted"].binding == "statutory"


def test_hearings_are_padded_for_easter_and_christmas() -> None:
    got = by_id(term_with(kdp("2029-01-15")))
    programme = got["plan.kdp-klima.planning_programme_consultation"]
    # 12 March 2029 + 42 days = 23 April, + 7 for Easter (Easter Sunday is 1 April 2029)
    assert (programme.start, programme.end) == (D(2029, 3, 12), D(2029, 4, 30))
    assert [p.holiday for p in programme.padding] == ["easter"]
    hearing = got["plan.kdp-klima.public_consultation"]
    # 10 December 2029 + 42 days = 21 January 2030, + 7 for Christmas
    assert (hearing.start, hearing.end) == (D(2029, 12, 10), D(2030, 1, 28))
    assert [p.holiday for p in hearing.padding] == ["christmas"]


def test_decisions_fall_on_council_meetings() -> None:
    got = by_id(term_with(kdp("2028-09-01"), meetings=MEETINGS))
    for step in ("planning_programme_adopted", "adopted"):
        milestone = got[f"plan.kdp-klima.{step}"]
        assert milestone.start in MEETINGS
        assert milestone.papers is not None  # a council decision: its papers are published
    hearing = got["plan.kdp-klima.public_consultation"]
    assert got["plan.kdp-klima.adopted"].start > hearing.end
    assert (hearing.end - hearing.start).days >= 42


def test_work_never_starts_before_the_planstrategi_is_adopted() -> None:
    term = term_with(kdp("2027-11-01"))
    adopted = term.schedule("en").milestones
    strategy = next(m for m in adopted if m.id == "planstrategi.adopted")
    assert by_id(term)["plan.kdp-klima.started"].start > strategy.start
    recorded = term.record("planstrategi.adopted", D(2028, 6, 15))
    assert by_id(recorded)["plan.kdp-klima.started"].start == D(2028, 6, 16)


def test_a_target_the_plan_cannot_meet_is_a_warning() -> None:
    plan, _ = kdp("2028-09-01")
    decision = Decision(plan=plan.id, decision="revise", start=D(2028, 9, 1),
                        target=D(2029, 6, 1))
    warnings = term_with((plan, decision)).schedule("en").warnings
    assert any("Kommunedelplan for klima" in w and "2029-06-01" in w for w in warnings)


def test_a_repealed_plan_gets_a_council_decision_and_leaves_the_in_force_list() -> None:
    old = Plan(id="ruspolitisk", title="Ruspolitisk handlingsplan 2012", type="handlingsplan",
               adopted=D(2012, 6, 20))
    keep = Plan(id="bolig", title="Boligplan", type="temaplan")
    term = term_with((old, Decision(plan="ruspolitisk", decision="repeal")),
                     (keep, Decision(plan="bolig", decision="keep")), meetings=MEETINGS)
    got = by_id(term)
    assert list(got) == ["plan.ruspolitisk.repealed"]  # keep: no process
    assert got["plan.ruspolitisk.repealed"].start in MEETINGS
    assert [p.id for p in in_force(term, D(2029, 1, 1))] == ["ruspolitisk", "bolig"]
    done = term.record("plan.ruspolitisk.repealed", D(2028, 10, 24))
    assert [p.id for p in in_force(done, D(2028, 10, 23))] == ["ruspolitisk", "bolig"]
    assert [p.id for p in in_force(done, D(2028, 10, 24))] == ["bolig"]
    assert done.status(D(2028, 11, 1)).milestone("plan.ruspolitisk.repealed").status == "done"


def test_the_samfunnsdel_and_kept_or_undecided_plans_run_no_plan_process() -> None:
    term = term_with((Plan(id="samfunnsdel", title="Samfunnsdelen", type="samfunnsdel"),
                      Decision(plan="samfunnsdel", decision="revise", start=D(2028, 1, 1))),
                     (Plan(id="idrett", title="Idrett", type="kommunedelplan"), None))
    assert plan_milestones(term) == ()


def test_regional_plan_of_a_county_follows_pbl_chapter_8() -> None:
    register = PlanRegister(
        plans=(Plan(id="rp-klima", title="Regional plan for klima", type="regional_plan"),),
        decisions=(Decision(plan="rp-klima", decision="new", start=D(2028, 9, 1)),))
    term = Term(election_year=2027, county="46", plans=register)
    got = {m.id: m for m in plan_milestones(term, "en")}
    strategy = next(m for m in term.schedule("en").milestones
                    if m.id == "regional_planstrategi.adopted")
    assert got["plan.rp-klima.started"].start > strategy.start
    hearing = got["plan.rp-klima.public_consultation"]
    assert hearing.min_days == 42 and hearing.basis[0].section == "§ 8-3 tredje ledd"
    adopted = got["plan.rp-klima.adopted"]
    assert {b.section for b in adopted.basis} >= {"§ 8-4"}
    rolled = got["plan.rp-klima.action_programme_rolled_1"]
    assert rolled.start.year == adopted.start.year + 1  # the handlingsprogram, rolled yearly


def test_plan_facts_are_recorded_through_the_term_file(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "planer.toml").write_text(
        '[[plan]]\nid = "kdp-klima"\ntitle = "Klima"\ntype = "kommunedelplan"\n'
        'decision = "revise"\nstart = "2028-Q3"\n', encoding="utf-8")
    path = folder / "term.toml"
    path.write_text('election_year = 2027\nmunicipality = "1103"\nplans = "planer.toml"\n',
                    encoding="utf-8")
    record_fact(path, "plan.kdp-klima.adopted", D(2029, 6, 20),
                recorded=dt.datetime(2029, 6, 21, tzinfo=dt.UTC))
    term = load_term(path)
    status = term.status(D(2029, 7, 1))
    assert status.milestone("plan.kdp-klima.adopted").status == "done"
    assert status.milestone("plan.kdp-klima.started").start == D(2028, 7, 3)  # Q3, a Monday


def test_plan_ids_parse_and_a_digit_plan_id_is_an_instance() -> None:
    assert MilestoneId.parse("plan.kdp-klima.adopted").instance == "kdp-klima"
    assert MilestoneId.parse("plan.2030.adopted").instance == "2030"
    with pytest.raises(InputError):
        MilestoneId.parse("plan.adopted")


def test_every_plan_diagram_draws() -> None:
    for name in PLAN_DIAGRAMS:
        assert render(name).startswith("---\ntitle:")
    assert "raise_objection" in render("plan.kommunedelplan")
    with pytest.raises(InputError):
        render("plan.unknown")


# -- the feed ----------------------------------------------------------------------------------
def test_feed_option_plans_none_leaves_them_out() -> None:
    assert "plans" in FEED_OPTIONS
    options, _ = parse_options("plans=none", FEED_OPTIONS, 2027)
    assert options.plans == () and options.query_string(2027) == "?plans=none"
    chosen, _ = parse_options("plans=kdp-klima,bolig", FEED_OPTIONS, 2027)
    assert chosen.plans == ("bolig", "kdp-klima")
    assert parse_options("", FEED_OPTIONS, 2027)[0].plan_choice is None
    with pytest.raises(InputError):
        parse_options("plans=Not%20a%20plan", FEED_OPTIONS, 2027)
    term = term_with(kdp("2028-09-01"), kdp("2028-09-01", "kdp-idrett", "Idrett"))
    everything = term_to_ical(term).decode()
    assert "-plan.kdp-klima.adopted@" in everything and "-plan.kdp-idrett.adopted@" in everything
    none = term_to_ical(term, plans=options.plan_choice).decode()
    assert "plan.kdp-" not in none and "planstrategi.adopted@" in none
    one = term_to_ical(term, plans=frozenset({"kdp-idrett"})).decode()
    assert "-plan.kdp-idrett.adopted@" in one and "plan.kdp-klima" not in one


# -- properties --------------------------------------------------------------------------------
TYPES = ("arealdel", "kommunedelplan", "regional_plan", "temaplan", "strategi", "handlingsplan",
         "other", "samfunnsdel")
DECISIONS = ("revise", "keep", "new", "repeal", "merge", None)
STARTS = st.one_of(st.none(), st.dates(D(2027, 11, 1), D(2030, 12, 31)))


@st.composite
def registers(draw: st.DrawFn) -> PlanRegister:
    ids = draw(st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True),
                        min_size=1, max_size=6, unique=True))
    plans = tuple(Plan(id=i, title=f"Plan {i}", type=draw(st.sampled_from(TYPES))) for i in ids)
    decisions = []
    for plan in plans:
        kind = draw(st.sampled_from(DECISIONS))
        if kind is None or (kind == "merge" and len(ids) < 2):
            continue
        decisions.append(Decision(
            plan=plan.id, decision=kind,
            start=draw(STARTS) if kind in ("revise", "new") else None,
            merge_into=next(i for i in ids if i != plan.id) if kind == "merge" else None))
    return PlanRegister(plans=plans, decisions=tuple(decisions))


def _schedule(register: PlanRegister, meetings: tuple[dt.date, ...] = ()) -> list[Milestone]:
    term = Term(election_year=2027, municipality="1103", plans=register,
                council_meetings=meetings)
    return list(term.schedule("en").milestones)


PROPERTY = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(registers(), st.booleans())
def test_any_register_gives_instances_that_keep_every_rule(register: PlanRegister,
                                                            meetings: bool) -> None:
    milestones = _schedule(register, MEETINGS if meetings else ())
    ids = [m.id for m in milestones]
    assert len(ids) == len(set(ids))
    strategy = next(m for m in milestones if m.id == "planstrategi.adopted")
    table = rule_table()
    requests = {r.plan: r for r in plan_requests(register)}
    chains: dict[str, list[Milestone]] = {}
    for m in milestones:
        if m.process == "plan":
            chains.setdefault(MilestoneId.parse(m.id).instance or "", []).append(m)
    assert set(chains) <= set(requests)
    for plan_id, chain in chains.items():
        first = chain[0]
        assert first.start > strategy.start  # the decisions take effect when it is adopted
        start = requests[plan_id].start
        if start is not None and first.id.endswith(".started"):
            assert first.start >= start
        for earlier, later in itertools.pairwise(chain):
            assert later.start >= earlier.start
        for m in chain:
            if m.min_days is not None:  # a hearing: its rule's minimum, plus holiday padding
                rule = table.get(m.rules[0], m.start)
                assert m.min_days == rule.int_param("days")
                assert (m.end - m.start).days >= m.min_days + sum(p.days for p in m.padding)
            if meetings and m.papers is not None and MEETINGS[0] <= m.start <= MEETINGS[-1]:
                assert m.start in MEETINGS


@PROPERTY
@given(registers(), st.data())
def test_uids_are_stable_and_one_decision_moves_no_other_plan(register: PlanRegister,
                                                               data: st.DataObject) -> None:
    term = Term(election_year=2027, municipality="1103", plans=register)
    schedule = term.schedule("en")
    renamed = register.model_copy(update={"plans": tuple(
        p.model_copy(update={"title": p.title + " (ny tittel)"}) for p in register.plans)})
    again = term.model_copy(update={"plans": renamed}).schedule("en")
    assert [event_uid(schedule, m.id) for m in schedule.milestones] == \
        [event_uid(again, m.id) for m in again.milestones]
    changed = data.draw(st.sampled_from([p.id for p in register.plans]))
    kept = tuple(d for d in register.decisions
                 if d.plan != changed and d.merge_into != changed)
    new = Decision(plan=changed, decision=data.draw(st.sampled_from(("revise", "repeal", "keep"))),
                   start=None)
    other = register.model_copy(update={"decisions": (*kept, new)})
    moved = term.model_copy(update={"plans": other}).schedule("en")

    def others(milestones: tuple[Milestone, ...]) -> dict[str, Milestone]:
        survivors = {d.plan for d in kept}
        return {m.id: m for m in milestones if not m.id.startswith("plan.")
                or MilestoneId.parse(m.id).instance in survivors}

    assert others(schedule.milestones) == others(moved.milestones)
