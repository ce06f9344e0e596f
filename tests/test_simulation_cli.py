"""``plancycle simulate`` and ``plancycle compare`` output, the example scripts, the progress bar."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from plancycle.cli import run as cli
from plancycle.simulation.progress import ProgressBar, progress_bar
from plancycle.simulation.render import AGGREGATE_FIELDS, RUN_FIELDS

ROOT = Path(__file__).parents[1]
SCENARIOS = ROOT / "examples" / "scenarios"
YEAR = ["--election-year", "2027", "--constituted", "2027-10-21"]


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_json_csv_and_file_output(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(SCENARIOS / "late_budget_recommendation.toml")
    code, out, _ = _cli(["simulate", scenario, "--format", "json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["models"] == ["classic"] and len(doc["runs"]) == 1
    (violation,) = doc["runs"][0]["violations"]
    assert violation["rule"] == "budget-notice" and violation["days_late"] == 4
    assert violation["url"] == "https://lovdata.no/lov/2018-06-22-83/§14-3"
    code, out, _ = _cli(["simulate", scenario, "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == RUN_FIELDS and rows[0]["rules_broken"] == "budget-notice:4"
    target = tmp_path / "report.txt"
    code, out, _ = _cli(["simulate", scenario, "--output", str(target), "--lang", "nn"], capsys)
    assert code == 0 and out == ""
    assert "Reglar som vart brotne" in target.read_text(encoding="utf-8")


def test_simulate_runs_and_seed_options_override_the_file(
        capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(SCENARIOS / "drafting_uncertainty.toml")
    code, out, err = _cli(["simulate", scenario, "--runs", "5", "--seed", "1", "--format", "json"],
                          capsys)
    doc = json.loads(out)
    assert code == 0 and doc["runs_per_group"] == 5
    assert "\r" not in err and "[####" not in err  # no progress bar: stderr is not a terminal
    assert doc["runs"][0]["seed"] == "1/5501/0"


def test_compare_without_variation_shows_the_planned_measures_side_by_side(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(["compare", *YEAR, "--lang", "en"], capsys)
    assert code == 0
    line = next(row for row in out.splitlines() if row.startswith("Days from election day"))
    assert line.split()[-3:] == ["550", "323", "220"]  # classic, samskaping, reform
    assert "assumes the law change proposed by the KS big-city study" in out


def test_compare_with_runs_is_deterministic_and_aggregates_per_model(
        capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", *YEAR, "--municipality", "Oslo", "--municipality", "Tromsø",
            "--runs", "3", "--seed", "9", "--format", "json"]
    first = json.loads(_cli(args, capsys)[1])
    second = json.loads(_cli(args, capsys)[1])
    assert first == second
    assert [a["model"] for a in first["overall"]] == ["classic", "samskaping", "reform"]
    assert [a["runs"] for a in first["overall"]] == [6, 6, 6]
    assert len(first["aggregates"]) == 6 and first["runs"] == []
    code, out, _ = _cli([*args[:-1], "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == AGGREGATE_FIELDS and len(rows) == 9


def test_compare_takes_events_from_a_scenario_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(["compare", "--scenario", str(SCENARIOS / "late_constitution.toml"),
                         "--format", "json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["constituted"] == "2027-11-04"
    assert all(a["violations"][0]["rule"] == "constitution" for a in doc["overall"])


@pytest.mark.parametrize(("args", "message"), [
    (["compare", "--lang", "en"], "give --election-year YEAR (or --scenario FILE)"),
    (["compare"], "oppgi --election-year ÅR (eller --scenario FIL)"),
    (["compare", "--election-year", "2027", "--municipality", "Atlantis"], "Atlantis"),
    (["compare", "--election-year", "2027", "--all", "--municipality", "Oslo", "--lang", "en"],
     "not allowed"),
    (["compare", "--election-year", "2027", "--runs", "0", "--lang", "en"],
     "'0' must be 1 or more"),
    (["compare", "--election-year", "2027", "--runs", "0"], "'0' må være 1 eller mer"),
    (["compare", "--election-year", "2026", "--lang", "en"],
     "2026 is not a municipal election year"),
    (["compare", "--election-year", "2026"], "2026 er ikke et år med kommunestyrevalg"),
])
def test_bad_compare_options_give_one_line_and_exit_2(
        capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = _cli(args, capsys)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def _example(script: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / script), *args],
                          capture_output=True, text=True, check=True)
    return proc.stdout


def test_what_if_late_hearing_example_finds_where_each_model_misses_its_due_date() -> None:
    rows = [line.split() for line in _example("what_if_late_hearing.py").splitlines()[1:]]
    first_miss = {model: min(int(r[1]) for r in rows if r[0] == model and r[4] != "none")
                  for model in ("classic", "samskaping")}
    assert first_miss == {"classic": 6, "samskaping": 14}
    assert all(r[4] == "none" for r in rows if r[0] == "reform")


def test_compare_big_cities_example_prints_the_eight_cities_and_all_of_them() -> None:
    out = _example("compare_big_cities.py", "--runs", "2")
    for city in ("Oslo", "Bergen", "Trondheim", "Stavanger", "Bærum", "Kristiansand", "Drammen",
                 "Tromsø"):
        assert city in out
    assert "All 8 municipalities · 16 runs" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_only_on_a_terminal_and_not_when_quiet() -> None:
    assert progress_bar(io.StringIO(), quiet=False) is None
    assert progress_bar(_Terminal(), quiet=True) is None
    stream = _Terminal()
    bar = progress_bar(stream, quiet=False, lang="en")
    assert isinstance(bar, ProgressBar)
    for done in range(1, 201):
        bar(done, 200)
    text = stream.getvalue()
    assert text.count("\r") == 101  # once per percent, 0 to 100
    assert text.endswith("[##############################] 100 % 200 of 200 runs\n")
    norwegian = _Terminal()
    ProgressBar(norwegian)(1, 2)  # bokmål unless told otherwise
    assert norwegian.getvalue() == "\r[###############...............]  50 % 1 av 2 kjøringer"
