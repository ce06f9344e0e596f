"""Each shipped example scenario gives the concrete facts its comment promises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plancycle.cli import run as cli
from plancycle.simulation import RunReport, load_scenario, simulate

SCENARIOS = Path(__file__).parents[1] / "examples" / "scenarios"
D = dt.date.fromisoformat


def _one(name: str) -> RunReport:
    report = simulate(load_scenario(SCENARIOS / name))
    assert len(report.runs) == 1
    return report.runs[0]


def _history(run_name: str, process: str) -> list[tuple[str, dt.date]]:
    from plancycle.simulation import Run

    scenario = load_scenario(SCENARIOS / run_name)
    run = Run(scenario, municipality=scenario.municipality_list()[0])
    run.advance()
    return [(h.trigger, h.date) for h in run.instance(process).history]


def test_there_are_at_least_four_example_scenarios() -> None:
    assert len(list(SCENARIOS.glob("*.toml"))) >= 4


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_example_scenario_runs_from_the_command_line(
        path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["simulate", str(path), "--lang", "en", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Scenario: ")
    assert "Days from election day to adopted samfunnsdel" in out


def test_late_hearing_moves_the_adoption_a_month_but_keeps_year_one() -> None:
    report = _one("late_hearing.toml")
    assert report.violations == ()
    assert report.measures.samfunnsdel_adopted == D("2028-08-31")  # planned 2028-08-01
    assert report.measures.days_to_samfunnsdel == 353
    history = dict(_history("late_hearing.toml", "samfunnsdel"))
    assert history["open_public_consultation"] == D("2028-06-01")  # planned 2028-05-11 + 3 weeks
    # 42 days plus 21 days of July padding (rule hearing-holidays)
    assert history["close_public_consultation"] == D("2028-08-03")
    assert report.finished["samfunnsdel"] == D("2028-09-07")  # announced a week after adoption


def test_late_planstrategi_publication_breaks_the_notice_rule_by_ten_days() -> None:
    report = _one("late_planstrategi_notice.toml")
    statutory = [v for v in report.violations if v.binding == "statutory"]
    assert [(v.rule, v.days_late) for v in statutory] == [("planstrategi-notice", 10)]
    notice = statutory[0]
    assert notice.section == "pbl § 10-1 annet ledd"
    assert notice.url == "https://lovdata.no/lov/2008-06-27-71/§10-1"
    assert (notice.milestone, notice.planned, notice.actual, notice.limit) == (
        "planstrategi.adopted", D("2028-05-19"), D("2028-05-19"), D("2028-04-19"))
    # the consultation opens with the publication, so it is cut to the same 20 days
    practice = [(v.rule, v.binding) for v in report.violations if v.binding != "statutory"]
    assert practice == [("planstrategi-consultation-length", "practice")]
    assert report.measures.planstrategi_on_time


def test_late_budget_recommendation_breaks_exactly_the_budget_notice_by_four_days() -> None:
    report = _one("late_budget_recommendation.toml")
    assert [(v.rule, v.milestone, v.days_late, v.limit) for v in report.violations] == [
        ("budget-notice", "action_economy_plan.2028.adopted", 4, D("2028-11-28"))]
    assert report.violations[0].section == "koml § 14-3 tredje ledd"


def test_two_cancelled_meetings_cost_the_samfunnsdel_its_first_year() -> None:
    report = _one("cancelled_meetings.toml")
    assert [(v.rule, v.planned, v.actual, v.days_late) for v in report.violations] == [
        ("samfunnsdel-year-one", D("2028-09-21"), D("2028-11-16"), 26)]
    assert [str(note) for note in report.notes] == [
        "events[1] (meeting 2028-09-21 cancelled): moved samfunnsdel.adopted → 2028-10-19",
        "events[2] (meeting 2028-10-19 cancelled): moved samfunnsdel.adopted → 2028-11-16"]
    assert report.measures.first_budget_year_after_samfunnsdel == 2029


def test_late_constitution_breaks_the_constitution_rule_and_moves_the_planstrategi_due() -> None:
    report = _one("late_constitution.toml")
    assert [(v.rule, v.section, v.days_late) for v in report.violations] == [
        ("constitution", "koml § 7-1", 4)]
    assert report.measures.planstrategi_due == D("2028-11-04")


def test_a_new_hearing_runs_its_full_length_again_and_moves_the_adoption() -> None:
    report = _one("new_hearing.toml")
    assert report.violations == ()
    history = _history("new_hearing.toml", "samfunnsdel")
    assert ("order_new_hearing", D("2028-04-06")) in history
    closes = [day for trigger, day in history if trigger == "close_public_consultation"]
    # 42 days + 7 for Easter = 25 May, Ascension Day: the next working day
    assert closes == [D("2028-03-23"), D("2028-05-26")]
    assert report.measures.samfunnsdel_adopted == D("2028-06-23")  # planned 2028-04-20


def test_drafting_uncertainty_misses_year_one_in_six_percent_of_the_runs() -> None:
    report = simulate(load_scenario(SCENARIOS / "drafting_uncertainty.toml"))
    (group,) = report.aggregates
    assert group.runs == 200 and len(report.runs) == 200
    assert [(r.rule, r.runs) for r in group.violations] == [("samfunnsdel-year-one", 12)]
    assert group.days_to_samfunnsdel.median == 378.0
    assert group.days_to_samfunnsdel.p10 == 357.0 and group.days_to_samfunnsdel.p90 == 399.0
    lengths = [r.draws["samfunnsdel.drafting:length"] for r in report.runs]
    assert min(lengths) >= 56 and max(lengths) <= 112
