"""The thread report on the example (hand-checkable facts: see examples/content/README.md), its
invariants (hypothesis), and the calendar and årshjul carrying the focus areas (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancycle.cli import run
from plancycle.content import calendar_notes, load_content, thread_report
from plancycle.content.models import BudgetYear, ContentSet, Measure
from plancycle.content.thread import documents_timing
from plancycle.ical import to_ical
from plancycle.models import ElectionPeriod
from plancycle.schedule import build_schedule

ROOT = Path(__file__).parents[1]
FILES = sorted((ROOT / "examples" / "content").glob("*.toml"))
CONTENT = load_content(FILES)
AREAS = [f.id for f in CONTENT.samfunnsdel.focus_areas] if CONTENT.samfunnsdel else []


def test_breadth_the_sdgs_the_challenge_picture_covers_and_misses() -> None:
    report = thread_report(CONTENT)
    assert report.breadth is not None
    # themes cite 3.8 11.2 | 1.2 4.1 10.2 | 3.4 | 13.1 11.5 | 8.3 9.1 | 11.1 11.3
    assert report.breadth.covered == (1, 3, 4, 8, 9, 10, 11, 13)
    assert report.breadth.missing == (2, 5, 6, 7, 12, 14, 15, 16, 17)


def test_the_broken_threads_and_the_orphan_measures() -> None:
    report = thread_report(CONTENT)
    assert report.broken == ("naering",)
    assert [(o.year, o.id) for o in report.orphans] == [(2028, "vedlikehold"), (2029, "lonnssystem")]
    # the youth club serves a main goal (m1) without a focus area: not an orphan
    assert "ungdomsklubb" not in {o.id for o in report.orphans}


def test_first_budget_year_share_and_timing_per_focus_area() -> None:
    report = thread_report(CONTENT, timing=documents_timing(CONTENT))
    rows = {t.id: (t.first_budget_year, t.term_share, t.adopted_after_samfunnsdel)
            for t in report.focus_areas}
    # budget 2028 was adopted 2027-12-14, the samfunnsdel 2028-09-21, budget 2029 2028-12-13
    assert rows == {
        "tidlig_innsats": (2028, 1.0, False),
        "hjemme_forst": (2029, 0.75, True),
        "klimatilpasning": (2029, 0.5, True),
        "sentrum": (2030, 0.5, True),
        "naering": (None, 0.0, None),
        "kulturskole": (2029, 0.75, True),
    }


def test_the_chain_goes_back_to_guidelines_and_themes() -> None:
    report = thread_report(CONTENT)
    sentrum = next(t for t in report.focus_areas if t.id == "sentrum")
    assert sentrum.guidelines == ("g4",) and sentrum.themes == ("sentrum", "aldring")
    assert [(y.year, y.measures) for y in sentrum.years] == [
        (2030, ("omraderegulering",)), (2031, ("tomt_sentrum",))]
    assert report.untraced_themes == ()


def _with_budgets(content: ContentSet, budgets: tuple[BudgetYear, ...]) -> ContentSet:
    return content.model_copy(update={"budgets": budgets})


measures = st.builds(
    Measure, id=st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), title=st.just("Tiltak"),
    focus_areas=st.lists(st.sampled_from(AREAS), max_size=3).map(tuple),
    goals=st.lists(st.sampled_from(["m1", "m2", "m3", "m4"]), max_size=2).map(tuple))


@settings(max_examples=60, deadline=None)
@given(measure=measures, year=st.sampled_from([2028, 2029, 2030, 2031]))
def test_adding_a_measure_never_breaks_a_thread(measure: Measure, year: int) -> None:
    before = set(thread_report(CONTENT).broken)
    budgets = tuple(b.model_copy(update={"measures": (*b.measures, measure)}) if b.year == year
                    else b for b in CONTENT.budgets)
    after = set(thread_report(_with_budgets(CONTENT, budgets)).broken)
    assert after <= before
    assert not (set(measure.focus_areas) & after)


@settings(max_examples=40, deadline=None)
@given(area=st.sampled_from(AREAS), years=st.sets(st.sampled_from([2028, 2029, 2030, 2031])))
def test_removing_every_measure_of_a_focus_area_always_breaks_it(area: str,
                                                                 years: set[int]) -> None:
    budgets = tuple(b.model_copy(update={"measures": tuple(
        m.model_copy(update={"focus_areas": tuple(a for a in m.focus_areas if a != area)})
        for m in b.measures)}) for b in CONTENT.budgets)
    report = thread_report(_with_budgets(CONTENT, budgets))
    assert area in report.broken
    thread = next(t for t in report.focus_areas if t.id == area)
    assert thread.first_budget_year is None and thread.term_share == 0


def _descriptions(data: bytes) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]).split("-t2027-")[1].split("@")[0]: str(e["DESCRIPTION"])
            for e in calendar.walk("VEVENT")}


def test_ics_descriptions_carry_the_focus_areas_and_the_measures() -> None:
    schedule = build_schedule(ElectionPeriod.for_year(2027), None, "samskaping", lang="en")
    plain = _descriptions(to_ical(schedule))
    notes = _descriptions(to_ical(schedule, notes=calendar_notes(CONTENT, "en")))
    adopted = notes["action_economy_plan.2029.adopted"]  # budget 2030
    assert "Focus areas the 2030 budget is to follow up:" in adopted
    for title in ("Tidlig innsats for barn og unge", "Boliger i sentrum", "Kulturskolen skjermes"):
        assert title in adopted
    assert "Næringsarbeid i regionen" not in adopted  # the broken thread: no budget carries it
    tertial = notes["action_economy_plan.2029.tertial_report_1"]
    assert "Measures of the 2029 budget to report on:" in tertial and "(velferdsteknologi)" in tertial
    assert adopted.startswith(plain["action_economy_plan.2029.adopted"])
    assert notes["election.day"] == plain["election.day"]


@settings(max_examples=20, deadline=None)
@given(year=st.sampled_from([2028, 2029, 2030, 2031]), lang=st.sampled_from(["nb", "nn", "en"]))
def test_every_budget_adoption_lists_each_focus_area_its_measures_serve(year: int,
                                                                        lang: str) -> None:
    notes = calendar_notes(CONTENT, lang)  # type: ignore[arg-type]
    lines = notes[f"action_economy_plan.{year - 1}.adopted"]
    budget = CONTENT.budget(year)
    assert budget is not None
    served = {a for m in budget.measures for a in m.focus_areas}
    assert {line.rsplit("(", 1)[1].rstrip(")") for line in lines[1:]} == served


def test_ics_command_with_content(tmp_path: Path) -> None:
    out = tmp_path / "t.ics"
    assert run(["ics", "--election-year", "2027", "--content", *map(str, FILES),
                "--output", str(out), "--lang", "en"]) == 0
    assert "Hjemme først (hjemme_forst)" in _descriptions(out.read_bytes())[
        "action_economy_plan.2028.framework"]
    term = ROOT / "examples" / "terms" / "stavanger-2027.toml"
    assert run(["ics", "--term", str(term), "--content", *map(str, FILES), "--output",
                str(out)]) == 0
    assert "Satsingsområder budsjett 2031" in _descriptions(out.read_bytes())[
        "action_economy_plan.2030.adopted"]


def test_wheel_shows_the_focus_areas_in_its_centre(tmp_path: Path) -> None:
    out = tmp_path / "w.svg"
    assert run(["wheel", "--election-year", "2027", "--year", "2030", "--content",
                *map(str, FILES), "--output", str(out), "--lang", "en"]) == 0
    svg = out.read_text(encoding="utf-8")
    centre = svg.split('class="centre"')[1].split("</g>")[0]
    assert "Focus areas" in centre and "Boliger i sentrum" in centre
    assert "Næringsarbeid" not in centre


def test_thread_command_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["thread", *map(str, FILES), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["broken"] == ["naering"] and data["breadth"]["missing"][0] == 2
    assert run(["thread", *map(str, FILES), "--format", "xlsx", "--output",
                str(tmp_path / "r.xlsx")]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "r.xlsx")["focus_areas"]
    assert [c.value for c in sheet["A"]][1:] == AREAS


def test_thread_with_a_followed_term_and_a_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    term = ROOT / "examples" / "terms" / "stavanger-2027.toml"
    scenario = ROOT / "examples" / "content" / "scenarios" / "late-hearing.toml"
    assert run(["thread", *map(str, FILES), "--term", str(term), "--today", "2029-01-15",
                "--scenario", str(scenario), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["timing"]["source"] == "term"
    reach = {r["model"]: r for r in data["scenario"]}
    assert set(reach) == {"classic", "samskaping", "reform"}
    assert set(reach["samskaping"]["reach"]) == {"tidlig_innsats", "hjemme_forst", "sentrum"}
    for r in reach.values():
        first = r["first_budget_after_samfunnsdel"]
        # sentrum's first measure is in budget 2030: no model reaches it earlier
        assert r["reach"]["sentrum"] == max(first, 2030)


def test_a_scenario_naming_an_unknown_focus_area(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text('election_year = 2027\nfocus_areas = ["bredband"]\n', encoding="utf-8")
    assert run(["thread", *map(str, FILES), "--scenario", str(scenario), "--lang", "en"]) == 2
    assert "'bredband', which is not a focus area" in capsys.readouterr().err


def test_the_example_readme_shows_the_current_report() -> None:
    from plancycle.content.report_text import to_table

    readme = (ROOT / "examples" / "content" / "README.md").read_text(encoding="utf-8")
    for lang in ("nb", "en"):
        assert to_table(thread_report(CONTENT, timing=documents_timing(CONTENT)), lang) in readme
