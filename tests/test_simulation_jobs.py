"""``simulate``/``compare`` ``--jobs N`` and ``--dask ADDRESS``: the same report bytes wherever
the runs run, one bound on the number of processes, one line for every refusal."""

from __future__ import annotations

import json
import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from plancycle import workers
from plancycle.cli import run as cli
from plancycle.errors import InputError
from plancycle.simulation import Run, load_scenario
from plancycle.simulation.executors import ProcessPool, chunks, run_batch
from plancycle.simulation.units import Batch, ChunkResult, run_chunk

SCENARIO = """\
name = "two places, uncertain drafting"
election_year = 2027
municipalities = ["Tromsø", "1103"]
model = "samskaping"

[[events]]
type = "constituted"
date = 2027-10-21

[variation]
seed = 11
runs = 6

[[variation.phases]]
milestone = "samfunnsdel.drafting"
length_weeks = [8, 16]

[[variation.phases]]
milestone = "samfunnsdel.adopted"
delay_days = [0, 14, 60]
"""


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "two_places.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, bytes, str]:
    code = cli(args)
    out, err = capsys.readouterr()
    return code, out.encode(), err


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err, err
    warnings = ("plancycle: warning:", "plancycle: advarsel:", "plancycle: åtvaring:")
    errors = [line for line in err.splitlines() if not line.startswith(warnings)]
    assert len(errors) == 1 and errors[0].startswith(("plancycle: error: ", "plancycle: feil: ")), err
    return errors[0]


def _reports(command: list[str], where: list[str],
             capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """The JSON and table reports of ``command`` run ``where``."""
    out = {}
    for fmt in ("json", "table"):
        code, report, err = _cli([*command, "--format", fmt, "--lang", "en", *where], capsys)
        assert code == 0, err
        out[fmt] = report
    return out


def _commands(scenario_file: Path) -> list[list[str]]:
    return [["simulate", str(scenario_file)], ["compare", "--scenario", str(scenario_file)]]


def test_the_report_does_not_depend_on_the_number_of_processes(
        scenario_file: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "available_cores", lambda: 2)
    for command in _commands(scenario_file):
        alone = _reports(command, [], capsys)
        assert _reports(command, ["--jobs", "1"], capsys) == alone
        assert _reports(command, ["--jobs", "2"], capsys) == alone
    doc = json.loads(alone["json"])  # compare: 2 places × 3 models × 6 runs, in unit order
    assert doc["models"] == ["classic", "samskaping", "reform"] and doc["runs_per_group"] == 6
    assert [(g["municipality"], g["model"]) for g in doc["aggregates"]] == [
        (place, model) for place in ("5501", "1103") for model in doc["models"]]


def test_each_run_draws_from_its_own_seed_whatever_ran_before(scenario_file: Path) -> None:
    scenario = load_scenario(scenario_file)
    batch = Batch(scenario, ("samskaping",))
    every = run_batch(batch)
    assert [(r.municipality, r.run) for r in every] == [
        (place, run) for place in ("5501", "1103") for run in range(6)]
    alone = Run(scenario, municipality=scenario.municipality_list()[1], run=4)  # Stavanger, run 4
    alone.advance()
    assert every[10].seed == alone.seed == "11/1103/4" and every[10].draws == alone.draws
    assert len({tuple(r.draws.items()) for r in every}) > 1  # the runs do differ


class _Backwards:
    """An executor that hands the chunks back last first, each run in this process."""

    def map(self, batch: Batch) -> Iterator[tuple[range, ChunkResult]]:
        for units in reversed(chunks(batch.size, 4)):
            yield units, run_chunk(batch, units.start, units.stop)


def test_chunks_finishing_in_any_order_are_merged_in_unit_order(scenario_file: Path) -> None:
    batch = Batch(load_scenario(scenario_file), ("classic", "samskaping", "reform"))
    seen: list[tuple[int, int]] = []
    merged = run_batch(batch, _Backwards(), lambda done, total: seen.append((done, total)))
    assert merged == run_batch(batch)
    assert seen[-1] == (36, 36) and len(seen) == len(chunks(36, 4)) > 1


def test_a_run_failing_in_a_worker_raises_the_error_one_process_raises(
        scenario_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    advance = Run.advance

    def failing(self: Run, until: object = None) -> None:
        if self.run >= 3:
            raise InputError(f"run {self.run} of {self.municipality and self.municipality.number}")
        advance(self)

    monkeypatch.setattr(Run, "advance", failing)
    batch = Batch(load_scenario(scenario_file), ("samskaping",))
    with pytest.raises(InputError) as alone:
        run_batch(batch)
    with pytest.raises(InputError) as backwards:
        run_batch(batch, _Backwards())
    assert str(backwards.value) == str(alone.value) == "run 3 of 5501"


def test_save_state_and_resume_work_with_jobs(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(Path(__file__).parents[1] / "examples" / "scenarios" / "late_hearing.toml")
    code, straight, _ = _cli(["simulate", scenario, "--format", "json"], capsys)
    state = tmp_path / "state.json"
    code, _, err = _cli(["simulate", scenario, "--until", "2028-09-30", "--save-state",
                         str(state), "--jobs", "2"], capsys)
    assert code == 0 and state.is_file(), err
    code, resumed, _ = _cli(["simulate", "--resume", str(state), "--format", "json", "--jobs",
                             "2"], capsys)
    assert code == 0 and resumed == straight


@pytest.mark.parametrize("jobs", ["0", "-1", "1000000"])
def test_a_number_of_processes_out_of_bounds_is_refused_in_one_line(
        jobs: str, scenario_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in _commands(scenario_file):
        code, out, err = _cli([*command, "--jobs", jobs], capsys)
        line = _one_error_line(err)
        assert code == 2 and out == b"" and f"--jobs {jobs} " in line


def test_the_bound_is_one_process_per_core_unless_forced(
        scenario_file: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "available_cores", lambda: 1)
    code, _, err = _cli(["simulate", str(scenario_file), "--jobs", "2", "--lang", "en"], capsys)
    line = _one_error_line(err)
    assert code == 2 and "at most 1; cores: 1" in line and "--force" in line
    code, _, err = _cli(["simulate", str(scenario_file), "--jobs", "2", "--lang", "nn"], capsys)
    assert "høgst 1; talet på kjernar: 1" in _one_error_line(err)
    code, out, _ = _cli(["simulate", str(scenario_file), "--jobs", "2", "--force"], capsys)
    assert code == 0 and out


def test_jobs_and_dask_together_are_refused(scenario_file: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(["simulate", str(scenario_file), "--jobs", "2", "--dask",
                         "tcp://127.0.0.1:8786"], capsys)
    assert code == 2 and "--dask" in _one_error_line(err)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_an_unreachable_scheduler_fails_at_once_in_one_line(
        scenario_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"  # nothing listens there
    for command in _commands(scenario_file):
        code, out, err = _cli([*command, "--dask", address], capsys)
        line = _one_error_line(err)
        assert code == 2 and out == b"" and f"--dask {address}: ingen Dask-scheduler" in line
    code, _, err = _cli(["compare", "--election-year", "2027", "--dask", "nonsense:::", "--lang",
                         "en"], capsys)
    assert code == 2 and "no Dask scheduler answered" in _one_error_line(err)


def test_dask_without_the_extra_names_the_extra(scenario_file: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    code, _, err = _cli(["simulate", str(scenario_file), "--dask", "tcp://127.0.0.1:8786",
                         "--lang", "en"], capsys)
    line = _one_error_line(err)
    assert code == 2 and "pip install 'plancycle[dask]'" in line


def test_a_pool_starts_no_more_processes_than_there_are_chunks(scenario_file: Path) -> None:
    batch = Batch(load_scenario(scenario_file).model_copy(update={
        "municipalities": ("Tromsø",)}), ("samskaping",))
    assert len(chunks(batch.size, 64)) == batch.size == 6
    assert run_batch(batch, ProcessPool(64)) == run_batch(batch)


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[str]:
    """A local Dask cluster of two one-thread worker processes, on free ports, no dashboard."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  scheduler_port=0, dashboard_address=None,
                                  worker_dashboard_address=None, host="127.0.0.1",
                                  silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def test_a_dask_cluster_gives_the_same_report_bytes(
        dask_cluster: str, scenario_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in _commands(scenario_file):
        alone = _reports(command, [], capsys)
        assert _reports(command, ["--dask", dask_cluster], capsys) == alone
