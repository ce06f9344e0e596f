"""The followed term: facts re-plan the rest, violations and forecasts name the rule (golden facts
a person can check against the law and a calendar), and the invariants hold for any facts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancycle import InputError, RuleViolation
from plancycle.calendar_no import is_working_day, working_day_on_or_after
from plancycle.term import Term

K = dt.date(2027, 10, 21)
TERM = Term(election_year=2027, municipality="1103", constituted=K)


def test_a_late_hearing_start_replans_its_close_with_july_padding_and_the_adoption() -> None:
    # planned 2028-05-11 to 2028-06-22; opened three weeks late, on Monday 12 June 2028
    term = TERM.record("samfunnsdel.public_consultation", dt.date(2028, 6, 12))
    status = term.status(dt.date(2028, 6, 20), lang="en")
    hearing = status.milestone("samfunnsdel.public_consultation")
    assert hearing.status == "in_progress"
    assert hearing.planned_start == dt.date(2028, 5, 11)
    # pbl § 11-14: six weeks (42 days) + 3 weeks because it overlaps July = 63 days
    assert hearing.end == dt.date(2028, 6, 12) + dt.timedelta(days=63) == dt.date(2028, 8, 14)
    assert [p.holiday for p in hearing.padding] == ["july"]
    adopted = status.milestone("samfunnsdel.adopted")
    # four weeks after the close, on a council day (Monday 11 September 2028)
    assert adopted.start == dt.date(2028, 9, 11)
    assert adopted.planned_start == dt.date(2028, 8, 1)
    # the recorded later step says the drafting before it happened
    drafting = status.milestone("samfunnsdel.drafting")
    assert drafting.status == "done" and drafting.inferred and drafting.actual_start is None


def test_a_planstrategi_adopted_after_k_plus_one_year_breaks_planstrategi_deadline() -> None:
    term = TERM.record("planstrategi.adopted", dt.date(2028, 11, 30))
    status = term.status(dt.date(2028, 12, 1), lang="en")
    found = [v for v in status.violations if v.rule == "planstrategi-deadline"]
    assert len(found) == 1
    assert found[0].limit == dt.date(2028, 10, 21)  # pbl § 10-1: K + 1 year
    assert found[0].days_late == 40
    assert status.milestone("planstrategi.adopted").status == "done"


def test_a_hearing_starting_in_september_forecasts_samfunnsdel_year_one() -> None:
    term = TERM.record("samfunnsdel.public_consultation", dt.date(2028, 9, 4))
    status = term.status(dt.date(2028, 9, 5), lang="en")
    rules = {(v.rule, v.milestone) for v in status.forecast}
    assert ("samfunnsdel-year-one", "samfunnsdel.adopted") in rules
    forecast = next(v for v in status.forecast if v.rule == "samfunnsdel-year-one")
    assert forecast.limit == dt.date(2028, 10, 21)  # K + 12 months (the KS study)
    assert forecast.date > forecast.limit
    assert not [v for v in status.violations if v.rule == "samfunnsdel-year-one"]


def test_an_unrecorded_past_deadline_is_overdue_and_a_future_one_planned() -> None:
    status = TERM.status(dt.date(2028, 3, 1), lang="en")
    assert status.milestone("election.constituent_meeting_notice").status == "overdue"
    # the state holds the election whatever the municipality records
    assert status.milestone("election.day").status == "done"
    # the accounts are due by 22 February (koml § 14-6): planned on or before it
    accounts = status.milestone("action_economy_plan.2028.accounts_presented")
    assert accounts.start <= dt.date(2028, 2, 22) and accounts.status == "overdue"
    assert status.milestone("planstrategi.adopted").start == dt.date(2028, 3, 2)
    assert status.milestone("planstrategi.adopted").status == "planned"


def test_a_recorded_later_step_means_the_earlier_ones_are_not_overdue() -> None:
    term = TERM.record("election.constituent_meeting", K).record("planstrategi.adopted",
                                                                  dt.date(2028, 3, 2))
    status = term.status(dt.date(2028, 4, 1), lang="en")
    for step in ("public_health_overview", "start", "proposal_public", "consultation"):
        item = status.milestone(f"planstrategi.{step}")
        assert item.status == "done" and item.inferred
    assert status.milestone("election.constituent_meeting").status == "done"


def test_a_recorded_fact_never_moves() -> None:
    term = TERM.record("planstrategi.consultation", dt.date(2028, 1, 8), end=dt.date(2028, 1, 9))
    status = term.status(dt.date(2028, 2, 1), lang="en")
    item = status.milestone("planstrategi.consultation")
    assert (item.start, item.end) == (dt.date(2028, 1, 8), dt.date(2028, 1, 9))
    assert (item.actual_start, item.actual_end) == (item.start, item.end)
    # ... and the too-short consultation is a violation (pbl § 11-13: six weeks)
    assert any(v.rule == "planprogram" and v.milestone == "planstrategi.consultation"
               for v in status.violations)


def test_a_constituent_meeting_fact_fixes_k_and_everything_resting_on_it() -> None:
    held = dt.date(2027, 10, 14)
    status = TERM.record("election.constituent_meeting", held).status(dt.date(2027, 11, 1))
    assert status.milestone("election.constituent_meeting").start == held
    assert status.milestone("planstrategi.adopted").due == dt.date(2028, 10, 14)


@pytest.mark.parametrize(("milestone", "date", "end", "key"), [
    ("planstrategi.adoptd", dt.date(2028, 3, 2), None, "unknown_fact_milestone"),
    ("planstrategi.adopted", dt.date(2032, 3, 2), None, "fact_outside_term"),
    ("planstrategi.adopted", dt.date(2028, 3, 2), dt.date(2028, 3, 3), "fact_end_not_phase"),
    ("planstrategi.consultation", dt.date(2028, 3, 2), dt.date(2028, 3, 1),
     "fact_closed_before_opened"),
])
def test_bad_facts_are_refused_naming_the_fact(milestone: str, date: dt.date,
                                               end: dt.date | None, key: str) -> None:
    with pytest.raises(InputError) as caught:
        TERM.record(milestone, date, end=end)
    assert caught.value.key == key
    assert milestone in caught.value.in_language("nb")
    assert "\n" not in str(caught.value)


def test_a_step_dated_before_a_recorded_step_it_follows_is_refused() -> None:
    term = TERM.record("planstrategi.proposal_public", dt.date(2028, 2, 1))
    with pytest.raises(InputError) as caught:
        term.record("planstrategi.adopted", dt.date(2028, 1, 15))
    assert caught.value.key == "fact_out_of_order"


def test_a_second_date_needs_replace_and_the_same_fact_twice_is_recorded_once() -> None:
    term = TERM.record("planstrategi.adopted", dt.date(2028, 3, 2))
    assert term.record("planstrategi.adopted", dt.date(2028, 3, 2)) == term
    with pytest.raises(InputError) as caught:
        term.record("planstrategi.adopted", dt.date(2028, 3, 9))
    assert caught.value.key == "fact_conflict"
    replaced = term.record("planstrategi.adopted", dt.date(2028, 3, 9), replace=True)
    assert [f.date for f in replaced.facts] == [dt.date(2028, 3, 9)]


def test_a_phase_closing_is_added_to_its_opening_without_replace() -> None:
    term = TERM.record("planstrategi.consultation", dt.date(2028, 1, 10))
    closed = term.record("planstrategi.consultation", dt.date(2028, 1, 10),
                         end=dt.date(2028, 2, 28))
    assert closed.facts[-1].end == dt.date(2028, 2, 28) and len(closed.facts) == 1


def test_strict_mode_refuses_a_breaching_fact() -> None:
    strict = TERM.model_copy(update={"mode": "strict"})
    with pytest.raises(RuleViolation) as caught:
        strict.record("planstrategi.adopted", dt.date(2028, 11, 30))
    assert caught.value.violation.rule == "planstrategi-deadline"


def test_a_date_must_be_a_date() -> None:
    with pytest.raises(InputError):
        TERM.record("planstrategi.adopted", "2028-03-02")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        TERM.status(dt.datetime(2028, 3, 2, 12, 0))


def test_a_county_term_follows_its_regional_planstrategi() -> None:
    county = Term(election_year=2027, county="46", constituted=K)
    status = county.record("regional_planstrategi.adopted", dt.date(2028, 6, 15)) \
        .status(dt.date(2028, 7, 1), lang="en")
    assert status.county is not None and status.municipality is None
    assert status.milestone("regional_planstrategi.adopted").status == "done"
    assert "county" in status.to_json_dict()


def test_status_json_has_the_contract_fields() -> None:
    data = TERM.status(dt.date(2028, 1, 1), lang="en").to_json_dict()
    assert {"today", "election_year", "model", "municipality", "milestones", "violations",
            "forecast"} <= set(data)
    first = data["milestones"][0]
    for name in ("id", "process", "kind", "title", "start", "end", "due", "binding", "basis",
                 "confidence", "provisional", "status", "planned_start", "planned_end",
                 "actual_start", "actual_end"):
        assert name in first


def test_a_term_survives_a_json_round_trip() -> None:
    term = TERM.record("planstrategi.adopted", dt.date(2028, 3, 2))
    assert Term.model_validate_json(term.model_dump_json()) == term
    status = term.status(dt.date(2028, 4, 1))
    assert type(status).model_validate_json(status.model_dump_json()) == status


# -- properties -------------------------------------------------------------------------------------

MODELS = st.sampled_from(["classic", "samskaping", "reform"])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=MODELS, year=st.sampled_from([2019, 2023, 2027, 2031]))
def test_recording_the_planned_dates_reproduces_the_plan(model: str, year: int) -> None:
    term = Term(election_year=year, municipality="4601", model=model,  # type: ignore[arg-type]
                constituted=dt.date(year, 10, 20))
    plan = term.plan()
    followed = term
    for m in plan.milestones:
        if m.id != "election.constituent_meeting":
            followed = followed.record(m.id, m.start, end=m.end if m.kind == "phase" else None)
    status = followed.status(dt.date(year + 4, 11, 1), lang="en")
    assert [(m.id, m.start, m.end) for m in status.milestones] == \
        [(m.id, m.start, m.end) for m in plan.milestones]
    assert all(m.status == "done" for m in status.milestones)
    statutory = [v for v in status.violations if v.binding == "statutory"]
    plan_breaches = {w.split()[0] for w in plan.warnings}
    assert not [v for v in statutory if v.milestone not in plan_breaches]


def _chain_facts(term: Term, picks: list[tuple[int, int]]) -> Term:
    """Record facts for some of the planstrategi/samfunnsdel steps, each a few days off plan."""
    plan = term.plan()
    candidates = [m for m in plan.milestones if m.process in ("planstrategi", "samfunnsdel")]
    for index, delay in picks:
        m = candidates[index % len(candidates)]
        current = term.status(m.start, lang="en").milestone(m.id)
        start = working_day_on_or_after(max(current.start, m.start) + dt.timedelta(days=delay))
        try:
            term = term.record(m.id, start)
        except InputError:
            continue  # out of order with an earlier fact: a refused fact changes nothing
    return term


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(picks=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 60)), min_size=1,
                      max_size=4))
def test_replanned_dates_never_precede_a_recorded_fact_of_their_chain(
        picks: list[tuple[int, int]]) -> None:
    term = _chain_facts(TERM, picks)
    status = term.status(dt.date(2031, 11, 1), lang="en")
    by_id = {m.id: m for m in status.milestones}
    for fact in term.facts:
        assert by_id[fact.milestone].start == fact.date  # a fact never moves
    for process in ("planstrategi", "samfunnsdel"):
        chain = [m for m in status.milestones if m.process == process]
        days = []
        for m in sorted(chain, key=lambda m: list(by_id).index(m.id)):
            days.append(m.start)
        recorded = [by_id[f.milestone] for f in term.facts
                    if f.milestone.startswith(process + ".")]
        for item in recorded:
            # every unrecorded step after a recorded one in the chain is not before it
            steps = [m for m in chain if m.id.split(".")[-1]]
            later = steps[steps.index(item) + 1:]
            for other in later:
                if other.actual_start is None and not other.inferred:
                    assert other.start >= item.start, (other.id, item.id)
        for m in chain:
            if m.min_days is not None and m.actual_end is None:
                assert (m.end - m.start).days >= m.min_days  # minimum consultation kept
            if m.status == "planned":
                assert all(is_working_day(day) for day in m.dates), m.id  # facts on working days
    for v in status.forecast:
        # a re-planned notice is counted back from its re-planned meeting: never forecast late
        assert v.rule not in ("planstrategi-notice", "budget-notice") or \
            by_id[v.milestone].status != "planned", v


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(picks=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 30)), min_size=1,
                      max_size=3))
def test_status_is_the_same_whether_facts_come_in_one_go_or_one_at_a_time(
        picks: list[tuple[int, int]]) -> None:
    term = _chain_facts(TERM, picks)
    at_once = Term(**{**TERM.model_dump(), "facts": term.facts})
    today = dt.date(2029, 1, 1)
    assert at_once.status(today, lang="en") == term.status(today, lang="en")


def test_a_second_instance_of_a_process_is_followed_with_its_own_ids() -> None:
    from plancycle.planning import InstanceRequest

    term = TERM.model_copy(update={"instances": (InstanceRequest("samfunnsdel", "kdp-sykkel"),)})
    term = term.record("samfunnsdel.kdp-sykkel.adopted", dt.date(2030, 6, 20))
    status = term.status(dt.date(2030, 7, 1), lang="en")
    assert status.milestone("samfunnsdel.kdp-sykkel.adopted").status == "done"
    assert status.milestone("samfunnsdel.kdp-sykkel.public_consultation").inferred
    assert status.milestone("samfunnsdel.adopted").status == "overdue"
    assert status.milestone("samfunnsdel.kdp-sykkel.adopted").planned_start is not None
    assert all(v.milestone.startswith("samfunnsdel.kdp-sykkel.") or
               not v.milestone.startswith("samfunnsdel.kdp") for v in status.forecast)


def test_the_samskaping_planprogram_is_done_with_the_planstrategi_it_was_handled_with() -> None:
    # pbl § 10-1 fourth paragraph: the planprogram consulted and adopted with the planstrategi
    term = TERM.record("planstrategi.adopted", dt.date(2028, 3, 2))
    status = term.status(dt.date(2028, 4, 1), lang="en")
    adopted = status.milestone("samfunnsdel.planning_programme_adopted")
    assert adopted.status == "done" and adopted.inferred and adopted.start == dt.date(2028, 3, 2)
    assert status.milestone("samfunnsdel.challenge_picture").status == "done"
    classic = TERM.model_copy(update={"model": "classic"}).record("planstrategi.adopted",
                                                                  dt.date(2028, 3, 2))
    status = classic.status(dt.date(2028, 4, 1), lang="en")
    assert status.milestone("samfunnsdel.planning_programme_adopted").status == "planned"


def test_two_facts_for_one_milestone_are_refused() -> None:
    from plancycle.term import Fact

    twice = TERM.model_copy(update={"facts": (
        Fact(milestone="planstrategi.adopted", date=dt.date(2028, 3, 2)),
        Fact(milestone="planstrategi.adopted", date=dt.date(2028, 3, 9)))})
    with pytest.raises(InputError) as caught:
        twice.status(dt.date(2028, 4, 1))
    assert caught.value.key == "fact_twice"
