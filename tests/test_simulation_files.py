"""Scenario files: bad ones give one line naming the file and the field, and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancycle.cli import run as cli
from plancycle.simulation import ScenarioError, load_scenario

GOOD = """\
name = "test"
election_year = 2027
municipality = "Lom"
model = "samskaping"

[[events]]
type = "constituted"
date = 2027-10-21
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads(tmp_path: Path) -> None:
    scenario = load_scenario(_write(tmp_path, GOOD))
    assert scenario.municipalities == ("Lom",) and scenario.constituted is not None


@pytest.mark.parametrize(("text", "field", "problem"), [
    (GOOD.replace("election_year = 2027\n", ""), "election_year", "is required but missing"),
    (GOOD.replace("2027\n", "2026\n", 1), "election_year", "2026 is not a municipal election year"),
    (GOOD.replace('model = "samskaping"', 'model = "modern"'), "model",
     "'modern' is not allowed: use 'classic', 'samskaping', 'reform'"),
    (GOOD.replace('municipality = "Lom"', 'municipality = "Atlantis"'), "municipalities[0]",
     "Atlantis"),
    (GOOD + '\n[[events]]\ntype = "earthquake"\ndate = 2028-01-01\n', "events[1].type",
     "unknown event type 'earthquake': use one of constituted, delay, meeting_cancelled, "
     "published, fire"),
    (GOOD + '\n[[events]]\ndate = 2028-01-01\n', "events[1].type", "has no type"),
    (GOOD + '\n[[events]]\ntype = "delay"\nmilestone = "samfunnsdel.adopted"\ndays = "three"\n',
     "events[1].days", "must be a whole number, not 'three'"),
    (GOOD + '\n[[events]]\ntype = "delay"\nmilestone = "samfunnsdel.adopted"\n',
     "events[1]", "a delay needs days or weeks"),
    (GOOD + '\n[[events]]\ntype = "delay"\nmilestone = "samfunnsdel.adopted"\nday = 3\n',
     "events[1].day", "is not a known field here"),
    (GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = "next tuesday"\n',
     "events[1].date", "must be a date (YYYY-MM-DD), not 'next tuesday'"),
    (GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2032-01-05\n', "events[1].date",
     "2032-01-05 is outside the term 2027-01-01 … 2031-10-31"),
    (GOOD + '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2028-05-01\n'
            '\n[[events]]\ntype = "meeting_cancelled"\ndate = 2028-04-01\n', "events[2].date",
     "2028-04-01 is before events[1] (2028-05-01): list events in date order"),
    (GOOD + '\n[[events]]\ntype = "published"\nmilestone = "planstrategi.proposal_public"\n',
     "events[1]", "give exactly one of date and days_before"),
    (GOOD + '\n[variation]\nruns = 0\n', "variation.runs", "must be at least 1, not 0"),
    (GOOD + '\n[[variation.phases]]\nmilestone = "samfunnsdel.adopted"\nlength_days = [1, 2]\n',
     "variation.phases[0].milestone", "samfunnsdel.adopted is not a phase"),
    (GOOD + '\n[[variation.phases]]\nmilestone = "samfunnsdel.drafting"\nlength_days = [9, 2]\n',
     "variation.phases[0]", "must be in increasing order"),
])
def test_a_bad_file_gives_one_line_with_file_and_field_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, field: str,
        problem: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.field == field
    assert problem in caught.value.problem
    assert cli(["simulate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"plancycle: feil: {path}: {field}: ")
    assert err.count("\n") == 1


def test_files_that_are_not_toml_or_missing_give_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _write(tmp_path, "election_year = = 2027\n")
    assert cli(["simulate", str(broken), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"plancycle: error: {broken}: is not valid TOML: ") and "line 1," in err
    assert cli(["simulate", str(broken)]) == 2
    assert f"{broken}: er ikke gyldig TOML: feil på linje 1, kolonne " in capsys.readouterr().err
    assert cli(["simulate", str(tmp_path / "nope.toml"), "--lang", "en"]) == 2
    assert "nope.toml: cannot be read: no such file or folder" in capsys.readouterr().err
    assert cli(["simulate", str(tmp_path / "nope.toml"), "--lang", "nn"]) == 2
    assert "nope.toml: kan ikkje lesast: finst ikkje" in capsys.readouterr().err


def test_simulate_needs_a_file_or_a_saved_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["simulate", "--lang", "en"]) == 2
    assert "give a scenario FILE or --resume STATE.json" in capsys.readouterr().err
    assert cli(["simulate"]) == 2
    assert "oppgi enten en scenariofil eller --resume TILSTAND.json" in capsys.readouterr().err
