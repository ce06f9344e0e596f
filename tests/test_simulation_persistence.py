"""Saving a running scenario: identical state after a round trip, identical continuation, atomic
writes, clear errors for broken files, and migration from schema version 0."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from plancycle import ElectionPeriod, ProcessInstance, definition
from plancycle.cli import run as cli
from plancycle.errors import DataError
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
    with pytest.raises(OSError, match="disk full"):
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
     "model: Input should be 'classic', 'samskaping' or 'reform'"),
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
    assert state == snapshot(_paused())
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
    assert "missing.json: cannot be read" in capsys.readouterr().err
