"""State diagrams: mermaid drawn from the definitions, arrow for arrow what the machines do."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from pathlib import Path

import pytest

from plancycle import ElectionPeriod, ProcessInstance, definition
from plancycle.cli import run
from plancycle.diagram import ALL_PROCESSES, TERM_YEARS, edges, render, to_mermaid
from plancycle.errors import DataError, InputError
from plancycle.i18n import LANGUAGES, label
from plancycle.processes import COUNTY_PROCESS_NAMES, PROCESS_MODELS, PROCESS_NAMES
from plancycle.processes.declaration import DateSpec, ProcessDefinition, Step

PERIOD = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
CASES = [(name, model, county) for name in ALL_PROCESSES for model in PROCESS_MODELS
         for county in (False, True)
         if (not county and name in PROCESS_NAMES) or (county and name in COUNTY_PROCESS_NAMES)]

# The statements a generated diagram may contain (mermaid stateDiagram-v2 syntax).
_STATEMENTS = [
    re.compile(r"stateDiagram-v2"),
    re.compile(r"    %% .*"),
    re.compile(r"    \[\*\] --> [a-z_]+"),
    re.compile(r"    [a-z_]+ --> \[\*\]"),
    re.compile(r"    [a-z_]+ --> [a-z_]+ : [a-z_0-9]+"),
    re.compile(r"    note right of [a-z_]+ : [^;#\n]+"),
]


def _case_id(case: tuple[str, str, bool]) -> str:
    name, model, county = case
    return f"{name}-{model}" + ("-county" if county else "")


def parse(mermaid: str) -> dict[str, object]:
    """A small reader for the diagrams we generate: title, start, finals and labelled arrows."""
    front, body = mermaid.split("---\n")[1:3]
    title = re.fullmatch(r'title: "(.*)"\n', front)
    assert title, front
    lines = body.rstrip("\n").split("\n")
    for line in lines:
        assert any(p.fullmatch(line) for p in _STATEMENTS), f"not a known statement: {line!r}"
    arrows = {(m[1], m[2], m[3]) for line in lines
              if (m := re.fullmatch(r"    ([a-z_]+) --> ([a-z_]+) : ([a-z_0-9]+)", line))}
    starts = [m[1] for line in lines if (m := re.fullmatch(r"    \[\*\] --> ([a-z_]+)", line))]
    finals = [m[1] for line in lines if (m := re.fullmatch(r"    ([a-z_]+) --> \[\*\]", line))]
    notes = {m[1]: m[2] for line in lines
             if (m := re.fullmatch(r"    note right of ([a-z_]+) : (.*)", line))}
    return {"title": title[1], "arrows": arrows, "starts": starts, "finals": finals, "notes": notes}


def machine_edges(process: ProcessDefinition, year: int) -> set[tuple[str, str, str]]:
    """Every (source, dest, trigger) the running machine of ``year`` allows from a reachable
    state, found by replaying paths on fresh instances (record mode, so rules never block)."""
    found: set[tuple[str, str, str]] = set()
    paths: deque[list[str]] = deque([[]])
    seen: set[str] = set()
    while paths:
        path = paths.popleft()
        instance = _replay(process, year, path)
        if instance.state in seen:
            continue
        seen.add(instance.state)
        for trigger in instance.allowed_triggers():
            after = _replay(process, year, [*path, trigger])
            found.add((instance.state, after.state, trigger))
            paths.append([*path, trigger])
    return found


def _replay(process: ProcessDefinition, year: int, triggers: list[str]) -> ProcessInstance:
    instance = ProcessInstance(process, PERIOD, year=year, mode="record")
    day = dt.date(year, 1, 1)
    for trigger in triggers:
        instance.fire(trigger, day)
        day += dt.timedelta(days=1)
    return instance


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_every_arrow_is_a_transition_the_machine_takes_and_nothing_else(
        case: tuple[str, str, bool]) -> None:
    name, model, county = case
    process = definition(name, model, county=county)  # type: ignore[arg-type]
    years = TERM_YEARS if process.yearly else (0,)
    expected: set[tuple[str, str, str]] = set()
    for term_year in years:
        expected |= machine_edges(process, PERIOD.election_year + term_year)
    drawn = parse(render(name, model, lang="en", county=county))
    assert drawn["arrows"] == expected


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_initial_and_final_states_are_marked(case: tuple[str, str, bool]) -> None:
    name, model, county = case
    process = definition(name, model, county=county)  # type: ignore[arg-type]
    drawn = parse(render(name, model, lang="en", county=county))
    instance = ProcessInstance(process, PERIOD, mode="record")
    assert drawn["starts"] == [instance.state]
    # an independent process (governance) ends in each of its duties' final states
    finals = [ProcessInstance(part, PERIOD, mode="record").final_state
              for part in process.parts()]
    assert sorted(drawn["finals"]) == sorted(finals)
    assert len(finals) == (len(process.steps) if process.independent else 1)


def test_the_yearly_cycle_is_drawn_whole_with_the_review_years_noted() -> None:
    drawn = parse(render("action_economy_plan", "samskaping", lang="en"))
    arrows = drawn["arrows"]
    assert isinstance(arrows, set)
    assert ("first_tertial_reported", "framework_decided", "decide_framework") in arrows
    assert ("first_tertial_reported", "planstrategi_reviewed", "review_planstrategi") in arrows
    assert ("planstrategi_reviewed", "framework_decided", "decide_framework") in arrows
    assert drawn["notes"] == {
        "planstrategi_reviewed": "only in Y+2, Y+3, Y+4 (Y = election year)"}


def test_classic_and_county_budget_cycles_have_no_planstrategi_review() -> None:
    for drawn in (parse(render("action_economy_plan", "classic", lang="en")),
                  parse(render("action_economy_plan", "samskaping", lang="en", county=True))):
        assert drawn["notes"] == {}
        assert not any("planstrategi_reviewed" in arrow for arrow in drawn["arrows"])  # type: ignore[attr-defined]


def test_samfunnsdel_shows_the_planning_programme_only_where_the_model_has_one() -> None:
    def has_programme(model: str) -> bool:
        return any(a[2] == "adopt_planning_programme"
                   for a in parse(render("samfunnsdel", model))["arrows"])  # type: ignore[attr-defined]
    assert has_programme("classic") and has_programme("samskaping")
    assert not has_programme("reform")


def test_the_new_hearing_loop_is_drawn() -> None:
    arrows = parse(render("samfunnsdel", "classic"))["arrows"]
    assert ("consulted", "public_consultation", "order_new_hearing") in arrows  # type: ignore[operator]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_title_names_process_and_model_and_reform_says_it_is_not_in_force(lang: str) -> None:
    title = parse(render("samfunnsdel", "reform", lang=lang))["title"]
    assert label("process_samfunnsdel", lang) in title  # type: ignore[arg-type,operator]
    assert label("model_reform", lang) in title  # type: ignore[arg-type,operator]
    assert ("in force" if lang == "en" else "i kraft") in title  # type: ignore[operator]


def test_languages_give_different_titles_but_the_same_machine() -> None:
    drawn = {lang: parse(render("planstrategi", "classic", lang=lang)) for lang in LANGUAGES}
    assert len({d["title"] for d in drawn.values()}) == 3
    assert drawn["nb"]["arrows"] == drawn["nn"]["arrows"] == drawn["en"]["arrows"]


def test_the_same_input_gives_the_same_text() -> None:
    assert render("action_economy_plan", "reform", lang="nn") == \
        render("action_economy_plan", "reform", lang="nn")


@pytest.mark.parametrize(("args", "message"), [
    (("budget", "samskaping"), "unknown process 'budget': use one of election, planstrategi"),
    (("election", "modern"), "unknown model 'modern': use one of classic, samskaping, reform"),
])
def test_unknown_process_or_model_is_an_input_error(args: tuple[str, str], message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        render(*args)


def test_unknown_format_and_language_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown diagram format 'dot': use one of mermaid"):
        render("election", fmt="dot")
    with pytest.raises(InputError, match="unknown language 'de'"):
        render("election", lang="de")


def test_a_state_that_mermaid_cannot_name_is_a_data_error() -> None:
    step = Step("start", "event", ("planstrategi-start",), trigger="start", state="in progress",
                plan=DateSpec("K"))
    odd = ProcessDefinition(name="planstrategi", model="classic", initial="new", steps=(step,))
    assert edges(odd) == [("new", "start", "in progress")]
    with pytest.raises(DataError, match="'in progress' cannot be drawn"):
        to_mermaid(odd)


def test_cli_prints_the_diagram(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["diagram", "samfunnsdel", "--model", "reform", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out == render("samfunnsdel", "reform", lang="en")
    assert "not in force" in out


def test_cli_writes_the_diagram_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "planstrategi.mmd"
    assert run(["diagram", "planstrategi", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8") == render("planstrategi")


@pytest.mark.parametrize(("argv", "message"), [
    (["diagram", "budget", "--lang", "en"],
     "plancycle: error: unknown process 'budget': use one of election, planstrategi, "),
    (["diagram", "budget"], "plancycle: feil: ukjent prosess «budget»: bruk en av election, "),
    (["diagram", "budget", "--lang", "nn"],
     "plancycle: feil: ukjend prosess «budget»: bruk ein av election, "),
    (["diagram", "samfunnsdel", "--county", "--lang", "en"],
     "plancycle: error: a county authority does not run samfunnsdel: use one of election, "),
    (["diagram", "samfunnsdel", "--county"],
     "plancycle: feil: en fylkeskommune har ikke prosessen samfunnsdel: bruk en av election, "),
    (["diagram", "election", "--format", "png", "--lang", "en"],
     "plancycle: error: argument --format: invalid choice: 'png'"),
    (["diagram", "election", "--format", "png"],
     "plancycle: feil: argument --format: ugyldig valg: 'png'"),
])
def test_cli_bad_input_is_one_line_and_exit_2(argv: list[str], message: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    assert captured.err.count("\n") == 1
