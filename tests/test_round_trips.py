"""Data round trips: what plancycle writes as JSON it reads back equal, and refuses what it refuses.

A schedule saved with ``model_dump_json`` and loaded with ``model_validate_json`` is the same
schedule (same calendar, to-dos and citations); an election period loaded from JSON is checked
like one made with ``ElectionPeriod.for_year``; lookups of unknown milestones, processes and
models fail with keyed one-line errors; and the published JSON Schemas are current and describe
the real output.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from plancycle import (
    ElectionPeriod,
    InputError,
    PlanCycleError,
    ScheduleOptions,
    build_schedule,
    find_county,
    find_municipality,
    to_ical,
)
from plancycle.cli import run
from plancycle.errors import UnknownMilestoneError
from plancycle.i18n import LANGUAGES, Language
from plancycle.models import MILESTONE_FIELDS, Milestone, Schedule, ShapeError
from plancycle.municipalities import County, Municipality, counties, municipalities
from plancycle.processes import PROCESS_MODELS, ProcessModel, definition
from plancycle.schema import json_schemas, schema_text

ROOT = Path(__file__).parents[1]
SCHEMA_DIR = ROOT / "docs" / "schema"
ELECTION_YEARS = range(2011, 2100, 4)
OWNERS = (None, "Stavanger", "Bergen", "1103", "Rogaland", "Troms")
COUNTY_NAMES = {"Rogaland", "Troms"}


def _owner(name: str | None) -> Municipality | County | None:
    if name is None:
        return None
    return find_county(name) if name in COUNTY_NAMES else find_municipality(name)


def _reloaded(schedule: Schedule) -> Schedule:
    return Schedule.model_validate_json(schedule.model_dump_json())


# --- schedules and milestones ----------------------------------------------------------------


@pytest.mark.parametrize("owner", ["Stavanger", "Rogaland"], ids=["municipality", "county"])
def test_a_reloaded_schedule_gives_the_same_calendar(owner: str) -> None:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
    schedule = build_schedule(period, _owner(owner), "samskaping", lang="en")
    reloaded = _reloaded(schedule)
    assert reloaded == schedule
    assert to_ical(reloaded) == to_ical(schedule)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(year=st.sampled_from(ELECTION_YEARS), model=st.sampled_from(PROCESS_MODELS),
       owner=st.sampled_from(OWNERS), lang=st.sampled_from(LANGUAGES),
       sparse_meetings=st.booleans())
def test_every_schedule_survives_a_json_round_trip_equal(year: int, model: ProcessModel,
                                                         owner: str | None, lang: Language,
                                                         sparse_meetings: bool) -> None:
    meetings = (dt.date(year, 11, 20), dt.date(year + 1, 6, 3)) if sparse_meetings else ()
    schedule = build_schedule(ElectionPeriod.for_year(year), _owner(owner), model,
                              ScheduleOptions(council_meetings=meetings), lang=lang)
    reloaded = _reloaded(schedule)
    assert reloaded == schedule
    assert reloaded.model_dump_json() == schedule.model_dump_json()
    assert to_ical(reloaded) == to_ical(schedule)


def test_a_milestone_keeps_its_todo_rules_padding_papers_and_flags() -> None:
    period = ElectionPeriod.for_year(2027)
    options = ScheduleOptions(council_meetings=(dt.date(2027, 11, 18), dt.date(2028, 6, 8)))
    schedule = build_schedule(period, find_municipality("Bergen"), "classic", options, lang="nb")
    for field in ("todo", "rules", "padding", "papers", "flags", "min_days"):
        carriers = [m for m in schedule.milestones if getattr(m, field)]
        assert carriers, f"no milestone of this schedule has {field}: pick another example"
        for milestone in carriers:
            reloaded = Milestone.model_validate_json(milestone.model_dump_json())
            assert getattr(reloaded, field) == getattr(milestone, field)
            assert reloaded == milestone


def test_milestone_json_starts_with_the_contract_fields_and_leaves_nothing_out(
        stavanger_2027: Schedule) -> None:
    for milestone in stavanger_2027.milestones:
        dumped = json.loads(milestone.model_dump_json())
        assert tuple(dumped)[:len(MILESTONE_FIELDS)] == MILESTONE_FIELDS
        assert set(dumped) == set(Milestone.model_fields)


def test_cli_json_milestones_are_the_saved_milestones(stavanger_2027: Schedule) -> None:
    dumped = stavanger_2027.to_json_dict()["milestones"]
    assert dumped == [json.loads(m.model_dump_json()) for m in stavanger_2027.milestones]


def test_every_municipality_and_county_survives_a_json_round_trip() -> None:
    for municipality in municipalities():
        assert Municipality.model_validate_json(municipality.model_dump_json()) == municipality
    for county in counties():
        assert County.model_validate_json(county.model_dump_json()) == county


# --- election periods ------------------------------------------------------------------------


@given(year=st.sampled_from(ELECTION_YEARS), days_after=st.integers(1, 100),
       assumed=st.booleans())
def test_every_election_period_survives_a_json_round_trip(year: int, days_after: int,
                                                          assumed: bool) -> None:
    constituted = None if assumed else ElectionPeriod.for_year(year).election_day + dt.timedelta(
        days=days_after)
    if constituted is not None and constituted > dt.date(year, 12, 31):
        constituted = dt.date(year, 12, 31)
    period = ElectionPeriod.for_year(year, constituted=constituted)
    assert ElectionPeriod.model_validate_json(period.model_dump_json()) == period
    assert ElectionPeriod.model_validate(period.model_dump()) == period


def _period_json(**changes: object) -> dict[str, Any]:
    data: dict[str, Any] = ElectionPeriod.for_year(2027).model_dump(mode="json")
    data.update(changes)
    return data


# (what for_year is given, the same mistake in a period's JSON)
REFUSALS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "not_election_year": ({"year": 2026}, {"election_year": 2026}),
    "year_out_of_range": ({"year": 2103}, {"election_year": 2103}),
    "election_day_not_september": (
        {"year": 2027, "election_day_override": dt.date(2027, 10, 4)},
        {"election_day": "2027-10-04"}),
    "election_day_in_another_year": (
        {"year": 2027, "election_day_override": dt.date(2026, 9, 14)},
        {"election_day": "2026-09-14"}),
    "constituted_not_after_election": (
        {"year": 2027, "constituted": dt.date(2027, 9, 13)}, {"constituted": "2027-09-13"}),
    "constituted_after_year": (
        {"year": 2027, "constituted": dt.date(2028, 1, 6)}, {"constituted": "2028-01-06"}),
}


def _for_year_refusal(arguments: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as caught:
        ElectionPeriod.for_year(**arguments)
    return caught.value


@pytest.mark.parametrize("case", REFUSALS)
@pytest.mark.parametrize("how", ["model_validate", "model_validate_json", "constructor",
                                 "inside_a_schedule"])
def test_a_loaded_period_is_refused_with_the_error_for_year_gives(
        case: str, how: str, stavanger_2027: Schedule) -> None:
    for_year_args, changes = REFUSALS[case]
    expected = _for_year_refusal(for_year_args)
    data = _period_json(**changes)
    with pytest.raises(InputError) as caught:
        if how == "model_validate":
            ElectionPeriod.model_validate(data)
        elif how == "model_validate_json":
            ElectionPeriod.model_validate_json(json.dumps(data))
        elif how == "constructor":
            ElectionPeriod(**data)
        else:
            saved = json.loads(stavanger_2027.model_dump_json())
            saved["period"] = data
            Schedule.model_validate_json(json.dumps(saved))
    assert type(caught.value) is InputError
    assert caught.value.key == expected.key
    for lang in LANGUAGES:
        assert caught.value.in_language(lang) == expected.in_language(lang)


def test_a_period_of_the_wrong_shape_is_a_keyed_error_naming_the_field() -> None:
    """Not a pydantic ``ValidationError`` (issue 14 item 14): a :class:`ShapeError` (an
    :class:`InputError`) naming the model and the first bad field, one line in each language,
    caused by the ``ValidationError``; nested, the outer model and the whole path."""
    with pytest.raises(ShapeError) as caught:
        ElectionPeriod.model_validate(_period_json(election_year="twenty"))
    assert str(caught.value) == "ElectionPeriod.election_year must be a whole number, not 'twenty'"
    assert isinstance(caught.value, InputError) and caught.value.key == "model_type"
    assert isinstance(caught.value.__cause__, ValidationError)
    assert "heltall" in caught.value.in_language("nb")
    with pytest.raises(ShapeError, match=r"^ElectionPeriod.election_year is required but missing$"):
        ElectionPeriod.model_validate_json("{}")
    with pytest.raises(ShapeError, match=r"^ElectionPeriod.election_year is required"):
        ElectionPeriod(**{})
    with pytest.raises(ShapeError, match=r"^Schedule.period.election_year must be a whole"):
        Schedule.model_validate({"period": _period_json(election_year="twenty")})


def test_for_year_still_makes_the_default_and_the_given_period() -> None:
    default = ElectionPeriod.for_year(2027)
    assert default.constituted_assumed and default.election_day == dt.date(2027, 9, 13)
    given_dates = ElectionPeriod.for_year(2031, election_day_override=dt.date(2031, 9, 8),
                                          constituted=dt.date(2031, 10, 16))
    assert not given_dates.constituted_assumed and not given_dates.election_day_provisional
    assert given_dates.constituted == dt.date(2031, 10, 16)


# --- lookups ---------------------------------------------------------------------------------


def test_an_unknown_milestone_is_a_keyed_input_error_and_still_a_key_error(
        stavanger_2027: Schedule) -> None:
    with pytest.raises(KeyError) as caught:
        stavanger_2027.milestone("x")
    error = caught.value
    assert isinstance(error, UnknownMilestoneError)
    assert isinstance(error, InputError) and isinstance(error, PlanCycleError)
    assert error.key == "unknown_milestone"
    count = str(len(stavanger_2027.milestones))
    for lang in LANGUAGES:
        message = error.in_language(lang)
        assert "\n" not in message
        assert "'x'" in message or "«x»" in message
        assert count in message and "planstrategi.adopted" in message
    assert str(error) == error.in_language("en")  # no KeyError quoting
    assert str(error).startswith("unknown milestone 'x'")


@pytest.mark.parametrize("wrong, meant", [
    ("planstrategi.adoptd", "planstrategi.adopted"),
    ("action_economy_plan.adopted", "action_economy_plan.2028.adopted"),
])
def test_a_mistyped_milestone_id_suggests_the_close_ones(stavanger_2027: Schedule, wrong: str,
                                                        meant: str) -> None:
    with pytest.raises(UnknownMilestoneError) as caught:
        stavanger_2027.milestone(wrong)
    assert caught.value.key == "unknown_milestone_suggest"
    for lang in LANGUAGES:
        assert meant in caught.value.in_language(lang)


def test_a_schedule_without_milestones_says_so(stavanger_2027: Schedule) -> None:
    empty = stavanger_2027.model_copy(update={"milestones": ()})
    with pytest.raises(UnknownMilestoneError) as caught:
        empty.milestone("planstrategi.adopted")
    assert caught.value.key == "unknown_milestone_none"


def test_an_unknown_process_is_refused_naming_the_allowed_ones() -> None:
    with pytest.raises(InputError) as caught:
        definition("arealdel", "classic")  # type: ignore[arg-type]
    assert caught.value.key == "unknown_process"
    for lang in LANGUAGES:
        message = caught.value.in_language(lang)
        assert "arealdel" in message
        assert all(name in message for name in ("election", "planstrategi", "samfunnsdel",
                                                "action_economy_plan", "regional_planstrategi"))


def test_an_unknown_model_is_refused_naming_the_allowed_ones() -> None:
    with pytest.raises(InputError) as caught:
        definition("action_economy_plan", "agile")  # type: ignore[arg-type]
    assert caught.value.key == "unknown_model"
    for lang in LANGUAGES:
        message = caught.value.in_language(lang)
        assert "agile" in message and all(model in message for model in PROCESS_MODELS)


# --- JSON Schemas ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["schedule", "milestone"])
def test_committed_schema_is_what_the_code_generates(name: str) -> None:
    committed = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(json_schemas()[name]), (
        f"docs/schema/{name}.schema.json is stale: regenerate with "
        "`python -m plancycle.schema docs/schema` and commit the result")


def test_the_schema_module_runs_and_writes_both_files(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "plancycle.schema", str(tmp_path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["milestone.schema.json",
                                                          "schedule.schema.json"]
    for path in tmp_path.iterdir():
        assert path.read_text(encoding="utf-8") == (SCHEMA_DIR / path.name).read_text(
            encoding="utf-8")


_ANNOTATIONS = {"title", "description", "default", "$schema", "$defs"}
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "null": (type(None),), "array": (list,), "object": (dict,),
}


def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str) -> None:
    """A small JSON Schema check for the keywords pydantic emits here (jsonschema is not a
    dependency); stricter than the schema in one way: an object may hold only named properties."""
    unknown = set(schema) - _ANNOTATIONS - {"$ref", "type", "enum", "const", "anyOf", "items",
                                            "properties", "required", "format"}
    assert not unknown, f"{where}: the test's checker does not know {sorted(unknown)}"
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        _check(value, root["$defs"][name], root, where)
    if "anyOf" in schema:
        failures = []
        for option in schema["anyOf"]:
            try:
                _check(value, option, root, where)
            except AssertionError as exc:
                failures.append(str(exc))
        assert len(failures) < len(schema["anyOf"]), f"{where}: no option fits: {failures}"
    if "type" in schema:
        kind = schema["type"]
        assert isinstance(value, _TYPES[kind]), f"{where}: {value!r} is not {kind}"
        assert kind in ("boolean", "number") or not isinstance(value, bool), where
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if "const" in schema:
        assert value == schema["const"], where
    if schema.get("format") == "date":
        assert dt.date.fromisoformat(value).isoformat() == value, where
    if "items" in schema:
        for index, item in enumerate(value):
            _check(item, schema["items"], root, f"{where}[{index}]")
    if "required" in schema:
        missing = set(schema["required"]) - set(value)
        assert not missing, f"{where}: missing {sorted(missing)}"
    if "properties" in schema:
        extra = set(value) - set(schema["properties"])
        assert not extra, f"{where}: keys the schema does not name: {sorted(extra)}"
        for key, item in value.items():
            _check(item, schema["properties"][key], root, f"{where}.{key}")


@pytest.mark.parametrize("owner", ["Stavanger", "Rogaland", None])
def test_a_real_schedule_json_fits_the_published_schema(owner: str | None) -> None:
    schema = json.loads((SCHEMA_DIR / "schedule.schema.json").read_text(encoding="utf-8"))
    schedule = build_schedule(ElectionPeriod.for_year(2027), _owner(owner), "reform", lang="nn")
    _check(json.loads(schedule.model_dump_json()), schema, schema, "schedule")


def test_cli_json_milestones_fit_the_published_milestone_schema(
        capsys: pytest.CaptureFixture[str]) -> None:
    schema = json.loads((SCHEMA_DIR / "milestone.schema.json").read_text(encoding="utf-8"))
    assert run(["schedule", "--election-year", "2027", "--municipality", "Bergen",
                "--format", "json"]) == 0
    milestones = json.loads(capsys.readouterr().out)["milestones"]
    assert milestones
    for index, milestone in enumerate(milestones):
        _check(milestone, schema, schema, f"milestones[{index}]")


def test_the_checker_notices_a_missing_field(stavanger_2027: Schedule) -> None:
    schema = json_schemas()["milestone"]
    dumped = json.loads(stavanger_2027.milestones[0].model_dump_json())
    del dumped["todo"]
    with pytest.raises(AssertionError, match="missing"):
        _check(dumped, schema, schema, "milestone")
