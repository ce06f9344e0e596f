"""Optional plan steps (issue 10): an objection (pbl § 5-4) and mediation (§ 5-6) exist only once
recorded; a practice plan's consultation can be left out (register column ``consultation``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plancycle.errors import DataError
from plancycle.ical import to_ical
from plancycle.plans import Decision, Plan, PlanRegister, load_plan_register, write_plan_register
from plancycle.processes.plan import definition
from plancycle.term import Term

D = dt.date
KDP = "plan.kdp-klima"
#: council meetings of the test term (the plan's adoption is placed on one of them)
MEETINGS = (D(2028, 10, 19), D(2029, 1, 18), D(2029, 10, 18), D(2029, 11, 22), D(2029, 12, 13),
            D(2030, 2, 14))


def _term() -> Term:
    register = PlanRegister(
        plans=(Plan(id="kdp-klima", title="Klima og energi", type="kommunedelplan"),
               Plan(id="tp-bolig", title="Boligplan", type="temaplan"),
               Plan(id="tp-skole", title="Skoleplan", type="temaplan")),
        decisions=(Decision(plan="kdp-klima", decision="revise", start="2028-09-01"),
                   Decision(plan="tp-bolig", decision="new", start="2028-09-01",
                            consultation=False),
                   Decision(plan="tp-skole", decision="new", start="2028-09-01")))
    return Term(election_year=2027, plans=register, council_meetings=MEETINGS)


def _with_objection() -> Term:
    # the proposal hearing runs 19 July – 20 September 2029 (six weeks padded for July)
    return (_term().record(f"{KDP}.objection", D(2029, 9, 15))
            .record(f"{KDP}.mediation", D(2029, 10, 15), end=D(2029, 11, 26)))  # six weeks


def test_without_an_objection_there_is_no_objection_or_mediation_anywhere() -> None:
    term = _term()
    ids = [m.id for m in term.schedule("en").milestones]
    assert f"{KDP}.public_consultation" in ids
    assert not [i for i in ids if i.endswith((".objection", ".mediation"))]
    status = term.status(D(2030, 6, 1), "en")
    assert not [m for m in status.milestones if m.id.endswith((".objection", ".mediation"))]
    overdue = {m.id for m in status.milestones if m.status == "overdue"}
    assert f"{KDP}.adopted" in overdue  # the test can fail: the plan's own steps are overdue
    ical = to_ical(term.schedule("en")).decode()
    assert "objection raised" not in ical and "Klima og energi: mediation" not in ical
    assert "Klima og energi: adopted" in ical


def test_the_hearing_and_adoption_without_an_objection() -> None:
    schedule = {m.id: m for m in _term().schedule("en").milestones}
    hearing = schedule[f"{KDP}.public_consultation"]
    assert (hearing.start, hearing.end) == (D(2029, 7, 19), D(2029, 9, 20))
    # eight weeks after the hearing is 15 November: the next meeting is 22 November
    assert schedule[f"{KDP}.adopted"].start == D(2029, 11, 22)


def test_a_recorded_objection_and_mediation_move_the_adoption_after_the_mediation() -> None:
    term = _with_objection()
    schedule = {m.id: m for m in term.schedule("en").milestones}
    assert schedule[f"{KDP}.objection"].start == D(2029, 9, 15)
    mediation = schedule[f"{KDP}.mediation"]
    assert (mediation.start, mediation.end) == (D(2029, 10, 15), D(2029, 11, 26))
    # the first council meeting after the mediation's end (26 November)
    assert schedule[f"{KDP}.adopted"].start == D(2029, 12, 13)
    assert schedule[f"{KDP}.announced"].start == D(2029, 12, 20)
    status = term.status(D(2029, 12, 1), "en")
    assert status.milestone(f"{KDP}.objection").status == "done"
    assert status.milestone(f"{KDP}.mediation").status == "done"
    assert status.milestone(f"{KDP}.adopted").status == "planned"
    ical = to_ical(term.schedule("en")).decode()
    assert "Klima og energi: objection raised" in ical
    assert "Klima og energi: mediation" in ical


def test_an_optional_step_is_never_inferred_and_a_later_step_does_not_need_it() -> None:
    term = _term().record(f"{KDP}.adopted", D(2029, 11, 22))
    status = term.status(D(2029, 12, 1), "en")
    assert status.milestone(f"{KDP}.public_consultation").inferred  # required steps are
    assert not [m for m in status.milestones if m.id.endswith((".objection", ".mediation"))]
    assert not [v for v in status.violations if v.milestone.startswith(KDP)]
    # an objection alone does not close the hearing it came in
    alone = _term().record(f"{KDP}.objection", D(2029, 9, 15)).status(D(2029, 9, 16), "en")
    assert alone.milestone(f"{KDP}.public_consultation").status == "overdue"
    assert not [m for m in alone.milestones if m.id.endswith(".mediation")]


def test_a_mediation_before_its_objection_is_refused() -> None:
    with pytest.raises(Exception, match="before"):
        _term().record(f"{KDP}.objection", D(2029, 11, 30)).record(
            f"{KDP}.mediation", D(2029, 10, 15), end=D(2029, 11, 26))


def test_optional_steps_keep_the_other_steps_and_the_definitions_sound() -> None:
    steps = definition("kommuneplan").steps
    assert [s.milestone for s in steps if s.optional] == ["objection", "mediation"]
    assert [s.milestone for s in definition("kommuneplan").steps_with()] == [
        "started", "planning_programme_consultation", "planning_programme_adopted", "drafting",
        "public_consultation", "adopted", "announced"]
    assert not [s for s in definition("practice").steps if s.optional]


def test_a_temaplan_without_consultation_has_none_and_is_adopted_earlier() -> None:
    schedule = {m.id: m for m in _term().schedule("en").milestones}
    assert "plan.tp-bolig.consultation" not in schedule
    assert "plan.tp-skole.consultation" in schedule
    # both drafted 4 September – 21 December 2028; with the consultation the skoleplan waits for
    # its end (26 January 2029 + six weeks), the boligplan only for the draft (+ six weeks)
    assert schedule["plan.tp-bolig.drafting"].end == schedule["plan.tp-skole.drafting"].end \
        == D(2028, 12, 21)
    assert schedule["plan.tp-skole.consultation"].end == D(2029, 1, 26)
    # the boligplan at the first meeting after its draft; the skoleplan only after the hearing
    assert schedule["plan.tp-bolig.adopted"].start == D(2029, 1, 18)
    assert schedule["plan.tp-skole.adopted"].start > D(2029, 1, 26)


def test_without_meetings_the_consultation_free_plan_is_adopted_five_weeks_earlier() -> None:
    term = _term().model_copy(update={"council_meetings": ()})
    schedule = {m.id: m for m in term.schedule("en").milestones}
    assert schedule["plan.tp-bolig.adopted"].start == D(2029, 2, 1)  # 21 Dec + 6 weeks
    assert schedule["plan.tp-skole.adopted"].start == D(2029, 3, 9)  # 26 Jan + 6 weeks
    uids = {m.id for m in schedule.values() if m.id.startswith("plan.tp-bolig.")}
    assert uids == {"plan.tp-bolig.started", "plan.tp-bolig.drafting", "plan.tp-bolig.adopted"}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".toml"])
def test_the_consultation_column_round_trips(tmp_path: Path, suffix: str) -> None:
    register = _term().plans
    assert register is not None
    path = tmp_path / f"planer{suffix}"
    write_plan_register(register, path)
    assert load_plan_register(path) == register
    assert register.decision("tp-bolig").consultation is False  # type: ignore[union-attr]
    assert register.decision("tp-skole").consultation is True  # type: ignore[union-attr]


def test_a_bad_consultation_value_is_one_line_naming_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "planer.csv"
    write_plan_register(_term().plans, path)  # type: ignore[arg-type]
    text = path.read_text(encoding="utf-8").replace(",no", ",maybe")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_plan_register(path)
    message = caught.value.in_language("en")
    assert "\n" not in message
    assert str(path) in message and "row 3" in message and "(consultation)" in message
    assert "maybe" in message and "yes, no" in message
