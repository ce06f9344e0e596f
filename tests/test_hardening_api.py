"""The library's own API refuses misuse with a plancycle error (issue 14, items 8 and 14).

Every public name of ``plancycle`` and ``plancycle.simulation`` is called with wrong types and
values; each call must raise a :class:`~plancycle.errors.PlanCycleError` (never a raw
``TypeError``, ``AttributeError``, ``KeyError``, ``ValueError``, ``OverflowError`` or pydantic
error, and never accept the input silently) whose message is one line in each language.

Rows marked ``xfail(strict=True)`` are known to fail in code outside this change (the reason
names the file); they turn into failures as soon as that code is fixed, so the mark is removed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import plancycle
import plancycle.simulation as simulation
from plancycle import (
    ElectionPeriod,
    Fact,
    Milestone,
    ProcessInstance,
    Schedule,
    ScheduleOptions,
    Term,
    TermMilestone,
    TermStatus,
    Violation,
    build_schedule,
    definition,
    definitions,
    find_county,
    find_municipality,
    to_calendar,
    to_ical,
)
from plancycle.errors import DataError, InputError, PlanCycleError
from plancycle.feed import FeedConfig
from plancycle.i18n import LANGUAGES
from plancycle.models import ShapeError
from plancycle.simulation import (
    Aggregate,
    Constituted,
    Delay,
    Fire,
    Measures,
    MeetingCancelled,
    PhaseVariation,
    Published,
    Run,
    RunReport,
    RunState,
    Scenario,
    SimulationReport,
    Summary,
    Variation,
    ViolationRecord,
    check_scenario,
    compare,
    load,
    load_scenario,
    parse_scenario,
    run_report,
    save,
    simulate,
    single,
    with_runs,
)

PERIOD = ElectionPeriod.for_year(2027)
STAVANGER = find_municipality("1103")
SCHEDULE = build_schedule(PERIOD, STAVANGER, "classic", lang="en")
SCENARIO = Scenario(election_year=2027, municipalities=("1103",))
PLANSTRATEGI = definition("planstrategi", "classic")
D = dt.date(2027, 11, 1)


def _practice(rule: str, **params: object) -> ScheduleOptions:
    return ScheduleOptions(practice={rule: params})  # type: ignore[dict-item]


def _scenario(**fields: Any) -> Scenario:
    return parse_scenario({"election_year": 2027, **fields})


#: A saved run in a folder that does not exist (inside the test folder, not a machine path).
MISSING_RUN = Path(__file__).parent / "no-such-folder" / "run.json"


def _run() -> Run:
    return Run(SCENARIO, municipality=STAVANGER)


def _outside(file: str, note: str = "") -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"not refused yet by {file} (outside this "
                             f"change){': ' + note if note else ''}")


PYDANTIC = ("a pydantic ValidationError: a plain BaseModel, not a plancycle.models.PlanCycleModel "
            "(which refuses input of the wrong shape with a ShapeError)")

#: (public name, what is wrong, the call), or a ``pytest.param`` of them with a mark.
CASES: list[Any] = [
    # -- plancycle ---------------------------------------------------------------------------
    ("ElectionPeriod", "year as text", lambda: ElectionPeriod.for_year("2027")),  # type: ignore[arg-type]
    ("ElectionPeriod", "year as float", lambda: ElectionPeriod.for_year(2027.0)),  # type: ignore[arg-type]
    ("ElectionPeriod", "year None", lambda: ElectionPeriod.for_year(None)),  # type: ignore[arg-type]
    ("ElectionPeriod", "year True", lambda: ElectionPeriod.for_year(True)),
    ("ElectionPeriod", "year 10**20", lambda: ElectionPeriod.for_year(10**20)),
    ("ElectionPeriod", "constituted as text",
     lambda: ElectionPeriod.for_year(2027, constituted="2027-10-21")),  # type: ignore[arg-type]
    ("ElectionPeriod", "constituted as datetime",
     lambda: ElectionPeriod.for_year(2027, constituted=dt.datetime(2027, 10, 21))),
    ("ElectionPeriod", "election day as text",
     lambda: ElectionPeriod.for_year(2027, election_day_override="x")),  # type: ignore[arg-type]
    ("ElectionPeriod", "election day in 9999",
     lambda: ElectionPeriod.for_year(2027, election_day_override=dt.date(9999, 12, 31))),
    ("ElectionPeriod", "constructor of the wrong shape",
     lambda: ElectionPeriod(election_year="x")),
    ("find_municipality", "number as int", lambda: find_municipality(1103)),  # type: ignore[arg-type]
    ("find_municipality", "None", lambda: find_municipality(None)),  # type: ignore[arg-type]
    ("find_municipality", "unknown number", lambda: find_municipality("9999")),
    ("find_municipality", "superscript digits", lambda: find_municipality("²²²²")),
    ("find_municipality", "5000 digits", lambda: find_municipality("9" * 5000)),
    ("find_municipality", "empty", lambda: find_municipality("")),
    ("find_county", "number as int", lambda: find_county(46)),  # type: ignore[arg-type]
    ("find_county", "with_authority as text",
     lambda: find_county("46", with_authority="no")),  # type: ignore[arg-type]
    ("find_county", "unknown", lambda: find_county("99")),
    ("build_schedule", "owner as text", lambda: build_schedule(PERIOD, "Stavanger")),  # type: ignore[arg-type]
    ("build_schedule", "period as text", lambda: build_schedule("2027")),  # type: ignore[arg-type]
    ("build_schedule", "period None", lambda: build_schedule(None)),  # type: ignore[arg-type]
    ("build_schedule", "unknown model", lambda: build_schedule(PERIOD, None, "foo")),  # type: ignore[arg-type]
    ("build_schedule", "model as list", lambda: build_schedule(PERIOD, None, ["classic"])),  # type: ignore[arg-type]
    ("build_schedule", "options as dict",
     lambda: build_schedule(PERIOD, None, "classic", {"practice": {}})),  # type: ignore[arg-type]
    ("build_schedule", "unknown language", lambda: build_schedule(PERIOD, lang="de")),  # type: ignore[arg-type]
    ("build_schedule", "practice days = -5", lambda: build_schedule(
        PERIOD, None, "classic", _practice("planstrategi-consultation-length", days=-5))),
    ("build_schedule", "practice days = 10**9", lambda: build_schedule(
        PERIOD, None, "classic", _practice("planstrategi-consultation-length", days=10**9))),
    ("build_schedule", "practice planned = 13-45", lambda: build_schedule(
        PERIOD, None, "classic", _practice("council-budget-meeting", planned="13-45"))),
    ("build_schedule", "practice planned = 02-29", lambda: build_schedule(
        PERIOD, None, "classic", _practice("council-budget-meeting", planned="02-29"))),
    ("build_schedule", "practice planned a number", lambda: build_schedule(
        PERIOD, None, "classic", _practice("council-budget-meeting", planned=5))),
    ("build_schedule", "practice anchor", lambda: build_schedule(
        PERIOD, None, "classic", _practice("samfunnsdel-18-months", anchor="X"))),
    ("build_schedule", "practice unknown parameter", lambda: build_schedule(
        PERIOD, None, "classic", _practice("planstrategi-start", x=1))),
    ("build_schedule", "practice of a statutory rule", lambda: build_schedule(
        PERIOD, None, "classic", _practice("planstrategi-deadline", years=2))),
    ("build_schedule", "practice of no rule", lambda: build_schedule(
        PERIOD, None, "classic", _practice("nope", x=1))),
    ("ScheduleOptions", "practice of the wrong shape",
     lambda: ScheduleOptions(practice=5)),  # type: ignore[arg-type]
    ("definition", "unknown model", lambda: definition("planstrategi", "foo")),  # type: ignore[arg-type]
    ("definition", "process as int", lambda: definition(5, "classic")),  # type: ignore[arg-type]
    ("definition", "unhashable arguments", lambda: definition([], {})),  # type: ignore[arg-type]
    ("definitions", "unknown model", lambda: definitions("foo")),  # type: ignore[arg-type]
    ("definitions", "model as list", lambda: definitions([])),  # type: ignore[arg-type]
    ("ProcessInstance", "year 1900", lambda: ProcessInstance(PLANSTRATEGI, PERIOD, year=1900)),
    ("ProcessInstance", "yearly year 1900", lambda: ProcessInstance(
        definition("action_economy_plan", "classic"), PERIOD, year=1900)),
    ("ProcessInstance", "year as text",
     lambda: ProcessInstance(PLANSTRATEGI, PERIOD, year="2027")),  # type: ignore[arg-type]
    ("ProcessInstance", "definition as text",
     lambda: ProcessInstance("planstrategi", PERIOD)),  # type: ignore[arg-type]
    ("ProcessInstance", "period as text",
     lambda: ProcessInstance(PLANSTRATEGI, "2027")),  # type: ignore[arg-type]
    ("ProcessInstance", "unknown mode",
     lambda: ProcessInstance(PLANSTRATEGI, PERIOD, mode="x")),  # type: ignore[arg-type]
    ("ProcessInstance", "unknown language",
     lambda: ProcessInstance(PLANSTRATEGI, PERIOD, lang="de")),  # type: ignore[arg-type]
    ("ProcessInstance", "override days = -5", lambda: ProcessInstance(
        PLANSTRATEGI, PERIOD, overrides={"planstrategi-consultation-length": {"days": -5}})),
    ("ProcessInstance", "overrides as text",
     lambda: ProcessInstance(PLANSTRATEGI, PERIOD, overrides="x")),  # type: ignore[arg-type]
    ("ProcessInstance", "rules as text",
     lambda: ProcessInstance(PLANSTRATEGI, PERIOD, rules="x")),  # type: ignore[arg-type]
    ("ProcessInstance", "key as int",
     lambda: ProcessInstance(PLANSTRATEGI, PERIOD, key=5)),  # type: ignore[arg-type]
    ("ProcessInstance", "fire with a text date",
     lambda: ProcessInstance(PLANSTRATEGI, PERIOD).fire("start_work", "2027-11-01")),  # type: ignore[arg-type]
    ("ProcessInstance", "fire an unknown trigger",
     lambda: ProcessInstance(PLANSTRATEGI, PERIOD).fire("fly", D)),
    ("to_ical", "a text instead of a schedule", lambda: to_ical("x")),  # type: ignore[arg-type]
    ("to_ical", "alarms as text", lambda: to_ical(SCHEDULE, alarms=["x"])),  # type: ignore[list-item]
    ("to_ical", "alarm -5", lambda: to_ical(SCHEDULE, alarms=[-5])),
    ("to_ical", "alarm 10**9", lambda: to_ical(SCHEDULE, alarms=[10**9])),
    ("to_ical", "refresh as int", lambda: to_ical(SCHEDULE, refresh=5)),  # type: ignore[arg-type]
    ("to_calendar", "None", lambda: to_calendar(None)),  # type: ignore[arg-type]
    ("to_calendar", "alarm -1", lambda: to_calendar(SCHEDULE, alarms=[-1])),
    ("Schedule", "milestone id as int", lambda: SCHEDULE.milestone(5)),  # type: ignore[arg-type]
    ("Schedule", "unknown milestone", lambda: SCHEDULE.milestone("planstrategi.nope")),
    ("Schedule", "constructor of the wrong shape", lambda: Schedule()),  # type: ignore[call-arg]
    ("Milestone", "constructor of the wrong shape", lambda: Milestone()),  # type: ignore[call-arg]
    ("Violation", "constructor of the wrong shape", lambda: Violation()),  # type: ignore[call-arg]
    ("Term", "election year 2026", lambda: Term(election_year=2026)),
    ("Term", "unknown municipality",
     lambda: Term(election_year=2027, municipality="9999")),
    ("Term", "election year as text", lambda: Term(election_year="x")),  # type: ignore[arg-type]
    ("Term", "record an unknown milestone",
     lambda: Term(election_year=2027).record("nope", D)),
    ("Term", "record a text date",
     lambda: Term(election_year=2027).record("election.day", "2027-09-13")),  # type: ignore[arg-type]
    ("Fact", "constructor of the wrong shape", lambda: Fact()),  # type: ignore[call-arg]
    ("TermMilestone", "constructor of the wrong shape",
     lambda: TermMilestone()),  # type: ignore[call-arg]
    ("TermStatus", "constructor of the wrong shape",
     lambda: TermStatus()),  # type: ignore[call-arg]
    # -- plancycle.simulation ---------------------------------------------------------------
    ("Scenario", "election year as text", lambda: Scenario(election_year="x")),  # type: ignore[arg-type]
    ("Scenario", "election year 2026", lambda: check_scenario(Scenario(election_year=2026))),
    ("Scenario", "municipality and municipalities",
     lambda: Scenario.model_validate({"election_year": 2027, "municipality": "1103",
                                      "municipalities": ["1103"]})),
    ("Scenario", "a nested event of the wrong shape", lambda: Scenario.model_validate(
        {"election_year": 2027, "events": [{"type": "fire", "process": "x", "trigger": "y",
                                            "date": "2027-13-01"}]})),
    ("Scenario", "practice days = -5",
     lambda: _scenario(practice={"planstrategi-consultation-length": {"days": -5}})),
    ("Scenario", "practice planned = 13-45",
     lambda: _scenario(practice={"council-budget-meeting": {"planned": "13-45"}})),
    ("Scenario", "a delay of millions of days", lambda: _scenario(
        events=[{"type": "delay", "milestone": "samfunnsdel.adopted", "days": 10**7}])),
    ("Scenario", "a delay of millions of weeks", lambda: _scenario(
        events=[{"type": "delay", "milestone": "samfunnsdel.adopted", "weeks": 10**7}])),
    ("Scenario", "a delay of 3000 days and 100 weeks", lambda: _scenario(
        events=[{"type": "delay", "milestone": "samfunnsdel.adopted", "days": 3000,
                 "weeks": 100}])),
    ("Scenario", "days_before = 1e8", lambda: _scenario(
        events=[{"type": "published", "milestone": "planstrategi.proposal_public",
                 "days_before": 1e8}])),
    ("Scenario", "a variation of millions of days", lambda: _scenario(
        variation={"phases": [{"milestone": "samfunnsdel.adopted", "delay_days": [0, 10**8]}]})),
    ("Scenario", "a council meeting in 9999", lambda: _scenario(
        council_meetings=[dt.date(9999, 12, 31)])),
    ("Delay", "no days", lambda: Delay(type="delay", milestone="x")),
    ("Delay", "millions of days", lambda: Delay(type="delay", milestone="x", days=10**7)),
    ("Published", "days_before 10**8",
     lambda: Published(type="published", milestone="x", days_before=10**8)),
    ("Published", "date and days_before", lambda: Published(
        type="published", milestone="x", days_before=3, date=D)),
    ("Constituted", "date as text", lambda: Constituted(type="constituted", date="x")),  # type: ignore[arg-type]
    ("Fire", "nothing given", lambda: Fire(type="fire")),  # type: ignore[call-arg]
    ("MeetingCancelled", "moved before the meeting", lambda: MeetingCancelled(
        type="meeting_cancelled", date=dt.date(2027, 1, 2), moved_to=dt.date(2027, 1, 1))),
    ("Variation", "seed as list", lambda: Variation(seed=[])),  # type: ignore[arg-type]
    ("PhaseVariation", "nothing given", lambda: PhaseVariation()),  # type: ignore[call-arg]
    ("RunState", "nothing given", lambda: RunState()),  # type: ignore[call-arg]
    ("RunState", "a field of the wrong shape",
     lambda: RunState.model_validate({"schema_version": "x"})),
    ("Run", "scenario as text", lambda: Run("x")),  # type: ignore[arg-type]
    ("Run", "unknown model", lambda: Run(SCENARIO, model="foo")),  # type: ignore[arg-type]
    ("Run", "municipality as text", lambda: Run(SCENARIO, municipality="1103")),  # type: ignore[arg-type]
    ("Run", "run number -1", lambda: Run(SCENARIO, run=-1)),
    ("Run", "advance to a text date", lambda: _run().advance("2028-01-01")),  # type: ignore[arg-type]
    ("Run", "advance to a datetime",
     lambda: _run().advance(dt.datetime(2028, 1, 1))),
    ("Run", "an unknown instance", lambda: _run().instance("nope")),
    ("check_scenario", "scenario as text", lambda: check_scenario("x")),  # type: ignore[arg-type]
    ("check_scenario", "unknown model", lambda: check_scenario(SCENARIO, ("foo",))),  # type: ignore[arg-type]
    ("check_scenario", "models as text", lambda: check_scenario(SCENARIO, "classic")),  # type: ignore[arg-type]
    ("simulate", "scenario as text", lambda: simulate("x")),  # type: ignore[arg-type]
    ("simulate", "unknown model", lambda: simulate(SCENARIO, models=("foo",))),  # type: ignore[arg-type]
    ("simulate", "unknown language", lambda: simulate(SCENARIO, lang="de")),  # type: ignore[arg-type]
    ("compare", "scenario as text", lambda: compare("x")),  # type: ignore[arg-type]
    ("single", "run as text", lambda: single("x")),  # type: ignore[arg-type]
    ("single", "unknown language", lambda: single(_run(), lang="de")),  # type: ignore[arg-type]
    ("with_runs", "runs -1", lambda: with_runs(SCENARIO, runs=-1)),
    ("with_runs", "runs 10**9", lambda: with_runs(SCENARIO, runs=10**9)),
    ("with_runs", "runs as text", lambda: with_runs(SCENARIO, runs="5")),  # type: ignore[arg-type]
    ("with_runs", "seed as text", lambda: with_runs(SCENARIO, seed="x")),  # type: ignore[arg-type]
    ("run_report", "run as text", lambda: run_report("x")),  # type: ignore[arg-type]
    ("load", "path as int", lambda: load(5)),  # type: ignore[arg-type]
    ("load", "a missing file", lambda: load(MISSING_RUN)),
    ("load", "a folder", lambda: load(Path(__file__).parent)),
    ("save", "a folder (simulation.save(run, '/tmp'))",
     lambda: save(_run(), Path(__file__).parent)),
    ("save", "not a run", lambda: save("x", "run.json")),  # type: ignore[arg-type]
    ("save", "path as int", lambda: save(_run(), 5)),  # type: ignore[arg-type]
    ("load_scenario", "path as int", lambda: load_scenario(5)),  # type: ignore[arg-type]
    ("load_scenario", "a folder", lambda: load_scenario(Path(__file__).parent)),
    ("parse_scenario", "a text", lambda: parse_scenario("x")),  # type: ignore[arg-type]
    ("parse_scenario", "a list", lambda: parse_scenario([])),  # type: ignore[arg-type]
    ("Measures", "unknown field", lambda: Measures(x=1)),  # type: ignore[call-arg]
    ("Aggregate", "nothing given", lambda: Aggregate()),  # type: ignore[call-arg]
    ("RunReport", "nothing given", lambda: RunReport()),  # type: ignore[call-arg]
    ("SimulationReport", "nothing given", lambda: SimulationReport()),  # type: ignore[call-arg]
    ("Summary", "nothing given", lambda: Summary()),  # type: ignore[call-arg]
    ("ViolationRecord", "nothing given", lambda: ViolationRecord()),  # type: ignore[call-arg]
    # -- plancycle.feed (not part of the completeness check) --------------------------------
    ("FeedConfig", "election year 2026 (FeedConfig(election_year=2026))",
     lambda: FeedConfig(election_year=2026)),
    ("FeedConfig", "election year as text", lambda: FeedConfig(election_year="2027")),  # type: ignore[arg-type]
    ("FeedConfig", "base URL without a host", lambda: FeedConfig(base_url="http://")),
    ("FeedConfig", "base URL with a bad port", lambda: FeedConfig(base_url="http://x:port")),
    ("FeedConfig", "cache size as text", lambda: FeedConfig(cache_size="5")),  # type: ignore[arg-type]
    ("FeedConfig", "cache size -1", lambda: FeedConfig(cache_size=-1)),
    ("FeedConfig", "cache size 10**12", lambda: FeedConfig(cache_size=10**12)),
    ("FeedConfig", "register as int", lambda: FeedConfig(register=5)),  # type: ignore[arg-type]
    ("FeedConfig", "a catastrophic pattern", lambda: FeedConfig(meeting_pattern="(a+)+$")),
    ("FeedConfig", "today as text", lambda: FeedConfig(today="2027-01-01")),  # type: ignore[arg-type]
    ("FeedConfig", "clock as text",
     lambda: FeedConfig(clock="yes")),  # type: ignore[arg-type]
]

#: Public names with nothing to misuse: error classes, the version string, the event union (a
#: type, not callable) and functions without arguments.
EXEMPT = {"InputError", "ShapeError", "InvalidTransitionError", "PlanCycleError", "RuleViolation",
          "UnknownMilestoneError", "UnknownMunicipalityError", "ScenarioError", "__version__",
          "Event", "municipalities", "rule_table", "typical_variation"}


def _split(case: Any) -> tuple[str, str, Callable[[], object], Any]:
    """(name, what, call, marks) of a row: a plain tuple, or a ``pytest.param`` (a tuple too)."""
    if hasattr(case, "marks"):
        name, what, call = case.values
        return name, what, call, case.marks
    name, what, call = case
    return name, what, call, ()


def _rows() -> list[Any]:
    out = []
    for case in CASES:
        name, what, call, marks = _split(case)
        out.append(pytest.param(call, id=f"{name}: {what}", marks=marks))
    return out


def _names() -> set[str]:
    return {_split(case)[0] for case in CASES}


@pytest.mark.parametrize("call", _rows())
def test_misuse_raises_a_plancycle_error_of_one_line_in_every_language(
        call: Callable[[], object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # nothing a call might write lands in the repository
    with pytest.raises(PlanCycleError) as caught:
        call()
    error = caught.value
    assert not (isinstance(error, DataError) and "has no label" in str(error)), str(error)
    for lang in LANGUAGES:
        text = error.in_language(lang)
        assert text.strip() and "\n" not in text and len(text) < 600, (lang, text)
        assert "Traceback" not in text and "validation error" not in text


def test_every_public_name_is_misused_in_the_table() -> None:
    public = set(plancycle.__all__) | set(simulation.__all__)
    missing = sorted(public - EXEMPT - _names())
    assert not missing, f"public names without a misuse row: {missing}"
    assert not EXEMPT - public, "exempt names that are not public"


def test_the_limits_still_take_the_largest_allowed_values() -> None:
    schedule = build_schedule(PERIOD, None, "classic",
                              _practice("planstrategi-consultation-length", days=120))
    assert schedule.milestones
    assert build_schedule(PERIOD, None, "classic",
                          _practice("council-budget-meeting", planned="12-31")).milestones
    scenario = _scenario(events=[{"type": "delay", "milestone": "samfunnsdel.adopted",
                                  "days": 3653}])
    run = Run(scenario)
    run.advance()
    assert run.finished


def test_a_deeply_nested_scenario_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("election_year = 2027\nx = " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(PlanCycleError, match="nested too deeply") as caught:
        load_scenario(path)
    assert "\n" not in str(caught.value)


def test_a_scenario_file_that_is_a_fifo_or_a_device_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(PlanCycleError, match="not a regular file"):
            load_scenario(path)


@pytest.mark.parametrize(("text", "message"), [
    ('[[events]]\ntype = "delay"\nmilestone = "samfunnsdel.adopted"\ndays = 10000000\n',
     "events[0].days"),
    ('[[events]]\ntype = "published"\nmilestone = "planstrategi.proposal_public"\n'
     "days_before = 1e8\n", "events[0].days_before"),
    ('[practice.council-budget-meeting]\nplanned = "13-45"\n', "13-45"),
    ('[practice.planstrategi-consultation-length]\ndays = -5\n', "days = -5"),
    ("x = " + "[" * 20_000 + "]" * 20_000 + "\n", "nested too deeply"),
])
def test_the_simulate_command_gives_one_line_and_exit_2(tmp_path: Path, text: str,
                                                       message: str) -> None:
    """In a fresh process, as a user runs it: no traceback, one line, exit 2."""
    path = tmp_path / "scenario.toml"
    path.write_text('election_year = 2027\nmunicipality = "1103"\n' + text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "plancycle", "simulate", str(path), "--lang",
                           "en"], capture_output=True, text=True, timeout=50, check=False,
                          cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr


# -- models of the wrong shape, terms that cannot be, the clock of a run -----------------------------
def test_a_model_of_the_wrong_shape_names_the_model_the_field_and_what_is_allowed() -> None:
    """One mechanism (:class:`~plancycle.models.PlanCycleModel`): a keyed :class:`ShapeError`,
    caused by pydantic's ``ValidationError``, the same from the constructor, ``model_validate``
    and ``model_validate_json``; a nested model's field with the whole path."""
    cases = {
        "Fact.when is not a field of Fact: use milestone, date, end, recorded, source":
            lambda: Fact(milestone="planstrategi.adopted", date=D, when=1),  # type: ignore[call-arg]
        "Term.facts[0].date must be a date (YYYY-MM-DD), not 'soon'":
            lambda: Term.model_validate({"election_year": 2027,
                                         "facts": [{"milestone": "x", "date": "soon"}]}),
        "Term.mode = 'lenient' is not allowed: use 'record', 'strict'":
            lambda: Term.model_validate_json('{"election_year": 2027, "mode": "lenient"}'),
        "Violation.rule is required but missing": lambda: Violation.model_validate({}),
        "RunReport.measures.samfunnsdel_adopted is required but missing":
            lambda: RunReport.model_validate({"measures": {}}),
        "Milestone: the text is not valid JSON (EOF while parsing a list at line 1 column 1)":
            lambda: Milestone.model_validate_json("["),
    }
    for message, call in cases.items():
        with pytest.raises(ShapeError) as caught:
            call()
        error = caught.value
        assert str(error) == message
        assert isinstance(error, InputError) and isinstance(error.__cause__, ValidationError)
        texts = {lang: error.in_language(lang) for lang in LANGUAGES}
        assert all("\n" not in text for text in texts.values())
        assert texts["nb"] != texts["en"], texts


def test_a_term_that_cannot_be_is_refused_when_it_is_made() -> None:
    """With the errors of ``ElectionPeriod.for_year`` and ``find_municipality``/``find_county``,
    however it is made, so a bad :class:`Term` never exists."""
    def refusal(call: Callable[[], object]) -> PlanCycleError:
        with pytest.raises(PlanCycleError) as caught:
            call()
        return caught.value

    expected = {2026: refusal(lambda: ElectionPeriod.for_year(2026)),
                "9999": refusal(lambda: find_municipality("9999")),
                "99": refusal(lambda: find_county("99"))}
    for fields, want in (({"election_year": 2026}, expected[2026]),
                         ({"election_year": 2027, "municipality": "9999"}, expected["9999"]),
                         ({"election_year": 2027, "county": "99"}, expected["99"])):
        for make in (lambda f=fields: Term(**f), lambda f=fields: Term.model_validate(f),
                     lambda f=fields: Term.model_validate_json(json.dumps(f))):
            got = refusal(make)
            assert type(got) is type(want) and got.key == want.key
            assert all(got.in_language(lang) == want.in_language(lang) for lang in LANGUAGES)
    assert refusal(lambda: Term(election_year=2027, municipality="1103",
                                county="46")).key == "term_two_owners"
    assert Term(election_year=2027, municipality="Stavanger").owner() == STAVANGER


def test_the_clock_of_a_run_never_leaves_the_term() -> None:
    run = _run()
    with pytest.raises(InputError, match=r"^Run.advance: 2026-12-31 is before the term"):
        run.advance(dt.date(2026, 12, 31))
    assert run.clock is None
    run.advance(dt.date(2027, 1, 1))
    assert run.clock == dt.date(2027, 1, 1)
    run.advance(dt.date(2040, 1, 1))  # after the term: its end
    assert run.clock == dt.date(2031, 10, 31) and run.finished


def test_an_unknown_instance_of_a_run_is_a_key_error_too() -> None:
    with pytest.raises(KeyError) as caught:
        _run().instance("nope")
    assert isinstance(caught.value, InputError)
    assert str(caught.value).startswith("the run has no process instance 'nope': use election, ")
