"""Saving a running scenario: identical state after a round trip, identical continuation, atomic
writes, clear errors for broken files, and migration from schema version 0."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from plancycle import ElectionPeriod, ProcessInstance, definition
from plancycle.cli import run as cli
from plancycle.errors import DataError, InputError
from plancycle.simulation import Run, load, load_scenario, run_report, save
from plancycle.simulation.persistence import SCHEMA_VERSION, parse, snapshot

EXAMPLES = Path(__file__).parents[1] / "examples" / "scenarios"
FIXTURES = Path(__file__).parent / "fixtures" / "simulation"
D = dt.date.fromisoformat


def _paused(name: str = "cancelled_meetings.toml", until: str = "2028-06-01") -> Run:
    scenario = load_scenario(EXAMPLES / name)
    run = Run(scenario, municipality=scenario.municipality_list()[0])
    run.advance(D(until))
    return run


def test_a_saved_run_loads_back_to_the_identical_state(tmp_path: Path) -> None:
    run = _paused()
    save(run, tmp_path / "run.json")
    loaded = load(tmp_path / "run.json")
    assert snapshot(loaded) == snapshot(run)
    assert [p.index for p in loaded.pending] == [1, 2]
    assert loaded.instance("samfunnsdel").state == run.instance("samfunnsdel").state


def test_a_loaded_run_continues_exactly_like_the_original(tmp_path: Path) -> None:
    run = _paused()
    save(run, tmp_path / "run.json")
    loaded = load(tmp_path / "run.json")
    run.advance()
    loaded.advance()
    assert run_report(loaded) == run_report(run)
    assert run_report(loaded).measures.samfunnsdel_adopted == D("2028-11-16")


def test_a_process_instance_snapshot_restores_and_continues() -> None:
    period = ElectionPeriod.for_year(2027, constituted=D("2027-10-21"))
    d = definition("planstrategi", "classic")
    original = ProcessInstance(d, period, mode="record")
    original.fire("complete_public_health_overview", D("2027-06-01"))
    original.fire("start_work", D("2027-11-11"))
    copy = ProcessInstance.restore(d, period, original.snapshot())
    for instance in (original, copy):
        instance.fire("publish_proposal", D("2028-04-20"))
        instance.fire("open_consultation", D("2028-04-20"))
        instance.fire("close_consultation", D("2028-05-05"))
        instance.fire("adopt", D("2028-05-10"))
    assert copy.snapshot() == original.snapshot()
    assert {v.rule for v in copy.violations} == {"planstrategi-notice",
                                                 "planstrategi-consultation-length"}


def test_a_snapshot_cannot_be_loaded_into_another_process() -> None:
    period = ElectionPeriod.for_year(2027)
    state = ProcessInstance(definition("planstrategi", "classic"), period).snapshot()
    with pytest.raises(DataError, match="process, model and year must match"):
        ProcessInstance.restore(definition("samfunnsdel", "classic"), period, state)
    bad = state.model_copy(update={"state": "flying"})
    with pytest.raises(DataError, match="unknown state 'flying'"):
        ProcessInstance.restore(definition("planstrategi", "classic"), period, bad)


def test_saving_is_atomic_a_failed_write_leaves_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "run.json"
    save(_paused(until="2028-01-01"), target)
    before = target.read_bytes()

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("plancycle.output.os.replace", crash)
    with pytest.raises(InputError, match="cannot be written: disk full"):  # one line, not OSError
        save(_paused(until="2028-06-01"), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]  # no temporary file left


@pytest.mark.parametrize(("mangle", "message"), [
    (lambda raw: raw[: len(raw) // 2], "not valid JSON (truncated?"),
    (lambda raw: b"\x00garbage" + raw, "not valid JSON (corrupted?"),
    (lambda raw: b"[1, 2]", "not a saved plancycle run"),
    (lambda raw: raw.replace(b'"schema_version": 1', b'"schema_version": 99'),
     "schema_version 99 was written by a newer plancycle"),
    (lambda raw: raw.replace(b'"schema_version": 1,', b""), "schema_version is missing"),
    (lambda raw: raw.replace(b'"model": "samskaping",\n "run"', b'"model": "magic",\n "run"'),
     "model: 'magic' is not allowed: use 'classic', 'samskaping', 'reform'"),
    (lambda raw: raw.replace(b'"state": "governing"', b'"state": "flying"'),
     "unknown state 'flying'"),
])
def test_broken_files_give_a_clear_error_naming_the_problem(
        tmp_path: Path, mangle: object, message: str) -> None:
    path = tmp_path / "run.json"
    save(_paused(), path)
    path.write_bytes(mangle(path.read_bytes()))  # type: ignore[operator]
    with pytest.raises(DataError) as caught:
        load(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_a_version_0_file_migrates_and_continues_like_a_current_one() -> None:
    raw = (FIXTURES / "run_state_v0.json").read_bytes()
    assert json.loads(raw)["schema_version"] == 0
    state = parse(raw)
    assert state.schema_version == SCHEMA_VERSION
    # the v0 file predates the governance duties (issue 12): it has every other instance, and
    # restoring it adds those duties as they went by the plan
    current = snapshot(_paused())
    governance = [i for i in current.instances if i.process == "governance"]
    assert governance and all(i.history for i in governance[:1])
    older = current.model_copy(update={
        "instances": tuple(i for i in current.instances if i.process != "governance"),
        "adjustments": current.adjustments.model_copy(update={"fired": {
            k: v for k, v in current.adjustments.fired.items()
            if not k.startswith("governance.")}})})
    assert state == older
    migrated = load(FIXTURES / "run_state_v0.json")
    straight = _paused()
    migrated.advance()
    straight.advance()
    assert run_report(migrated) == run_report(straight)


def test_cli_save_state_and_resume_give_the_same_report_as_one_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(EXAMPLES / "cancelled_meetings.toml")
    state = tmp_path / "state.json"
    assert cli(["simulate", scenario, "--format", "json"]) == 0
    straight = json.loads(capsys.readouterr().out)
    assert cli(["simulate", scenario, "--until", "2028-09-30", "--save-state", str(state)]) == 0
    capsys.readouterr()
    assert cli(["simulate", "--resume", str(state), "--format", "json"]) == 0
    resumed = json.loads(capsys.readouterr().out)
    assert resumed == straight
    assert cli(["simulate", "--resume", str(tmp_path / "missing.json")]) == 2
    assert "missing.json: kan ikke leses: finnes ikke" in capsys.readouterr().err


# -- a hand-edited state is checked against the scenario it carries -----------------------------

FIRED = "planstrategi.adopted"


def _edit(data: dict[str, Any], path: str, value: object) -> None:
    """Set ``data[a][b]...`` for ``path`` "a.b..." (integers index lists)."""
    *parents, last = path.split("/")
    target: Any = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


@pytest.mark.parametrize(("path", "value", "message"), [
    ("clock", "9999-12-31", "clock = 9999-12-31 is outside the term 2027-01-01 … 2031-10-31"),
    ("clock", "0001-01-01", "clock = 0001-01-01 is outside the term"),
    ("clock", None, "clock is null, but instances[0].history has already happened"),
    (f"adjustments/fired/{FIRED}", "9999-01-01",
     f"adjustments.fired.{FIRED} = 9999-01-01 is outside the term"),
    (f"adjustments/fired/{FIRED}", "2030-01-01",
     f"adjustments.fired.{FIRED} = 2030-01-01 is after the clock (2028-06-01)"),
    ("instances/1/history/0/date", "9999-06-01",
     "instances[1].history[0].date = 9999-06-01 is outside the term"),
    ("instances/1/history/1/date", "2027-01-04",
     "instances[1].history[1].date = 2027-01-04 is before the transition before it"),
    ("instances/1/state", "consulted", "instances[1].state = consulted, but its history ends in"),
    ("instances/1/mode", "strict", "instances[1] (planstrategi) has mode = strict"),
    ("instances/1/dates/planstrategi.start", "0001-01-01",
     "instances[1].dates.planstrategi.start = 0001-01-01 is outside the term"),
    ("pending_events/0/index", 99, "pending_events[0]: index 99 is not an event of the scenario"),
    ("pending_events/0/index", 0, "pending_events[0]: index 0 is not an event"),  # constituted
    ("pending_events/1/index", 1, "pending_events[1]: event 1 is pending twice"),
    ("pending_events/0/event", {"type": "delay", "milestone": "nope.nothing", "days": 3},
     "pending_events[0]: the event is not events[1] of the scenario"),
    ("pending_events/0/day", "2028-01-01",
     "pending_events[0].day = 2028-01-01 is before the clock (2028-06-01)"),
    ("adjustments/shift", {"nope.nothing": 3}, "adjustments.shift: unknown milestone or edge "
     "'nope.nothing' in the samskaping model"),
    ("adjustments/shift", {"planstrategi.adopted:end": 3}, "'planstrategi.adopted:end'"),
    ("adjustments/length", {"planstrategi.adopted": 3}, "adjustments.length: unknown"),
    ("adjustments/shift", {"planstrategi.adopted": 10 ** 9},
     "adjustments.shift.planstrategi.adopted = 1000000000 is outside"),
    ("adjustments/hard", {"samfunnsdel.adopted": "9999-12-31"},
     "adjustments.hard.samfunnsdel.adopted = 9999-12-31 is outside the term"),
    ("adjustments/cancelled", ["0001-01-01"], "adjustments.cancelled[0] = 0001-01-01 is outside"),
    ("adjustments/shfit", {}, "adjustments: unknown key 'shfit'"),
    ("instances/1/histroy", [], "instances[1]: unknown key 'histroy'"),
    ("pending_events/0/when", "2028-09-21", "pending_events[0].when: is not a known field here"),
    ("run", 7, "run = 7 is not one of the scenario's runs"),
    ("municipality", "0301", "municipality 0301 is not one of the scenario's municipalities"),
    ("scenario/election_year", 2026, "the scenario the saved run carries is wrong: "
     "election_year"),
    ("scenario/events/1/date", "9999-12-31", "the scenario the saved run carries is wrong"),
])
def test_a_hand_edited_state_that_its_scenario_cannot_produce_is_one_line(
        tmp_path: Path, path: str, value: object, message: str) -> None:
    target = tmp_path / "run.json"
    save(_paused(), target)
    data = json.loads(target.read_bytes())
    _edit(data, path, value)
    target.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(target)
    text = str(caught.value)
    assert message in text
    assert text.startswith(str(target)) and "\n" not in text
    for lang in ("nb", "nn"):  # the same line in the user's language
        translated = caught.value.in_language(lang)
        assert str(target) in translated and "\n" not in translated


def test_the_checks_accept_every_state_a_run_goes_through(tmp_path: Path) -> None:
    scenario = load_scenario(EXAMPLES / "cancelled_meetings.toml")
    run = Run(scenario, municipality=scenario.municipality_list()[0])
    target = tmp_path / "run.json"
    save(run, target)  # not started: clock null, nothing happened
    assert snapshot(load(target)) == snapshot(run)
    for until in ("2027-01-01", "2027-10-21", "2028-09-21", "2030-06-30", None):
        run.advance(D(until) if until else None)
        save(run, target)
        assert snapshot(load(target)) == snapshot(run)


def test_a_deeply_nested_saved_file_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "run.json"
    target.write_text('{"schema_version": 1, "scenario": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(DataError, match="nested too deeply") as caught:
        load(target)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp: tmp, "is a folder: give a file name"),
    (lambda tmp: tmp / "missing" / "run.json", "does not exist"),
])
def test_saving_to_a_folder_or_into_a_missing_folder_is_one_line(
        tmp_path: Path, make: Any, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        save(_paused(until="2028-01-01"), make(tmp_path))
    assert "\n" not in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == []


def test_loading_a_fifo_or_a_device_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "run.json"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(DataError, match="not a regular file"):
            load(path)
