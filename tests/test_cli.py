"""The CLI contract: output formats, and bad input → one line on stderr, exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.models import MILESTONE_FIELDS, Milestone

BASE = ["schedule", "--election-year", "2027"]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_starts_each_milestone_with_the_contract_fields(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*BASE, "--municipality", "Trondheim", "--format", "json",
                         "--constituted", "2027-10-19", "--lang", "en"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["municipality"] == {"number": "5001", "name": "Trondheim - Tråante"}
    assert doc["election_day"] == "2027-09-13"
    assert doc["constituted"] == "2027-10-19" and doc["constituted_assumed"] is False
    assert doc["model"] == "samskaping" and doc["election_year"] == 2027
    for milestone in doc["milestones"]:
        assert tuple(milestone)[:len(MILESTONE_FIELDS)] == MILESTONE_FIELDS
        assert set(milestone["basis"][0]) == {"law", "section", "url"}


def test_json_output_milestones_are_the_full_milestones(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run([*BASE, "--municipality", "1103", "--format", "json", "--lang", "en"], capsys)
    milestones = json.loads(out)["milestones"]
    assert all(set(m) == set(Milestone.model_fields) for m in milestones)
    assert any(m["todo"] and m["rules"] for m in milestones)
    assert [Milestone.model_validate(m).id for m in milestones] == [m["id"] for m in milestones]


def test_csv_and_table_have_a_row_per_milestone(capsys: pytest.CaptureFixture[str]) -> None:
    _, out_json, _ = _run([*BASE, "--format", "json"], capsys)
    count = len(json.loads(out_json)["milestones"])
    _, out_csv, _ = _run([*BASE, "--format", "csv"], capsys)
    assert len(out_csv.strip().splitlines()) == count + 1
    assert out_csv.splitlines()[0] == ",".join(MILESTONE_FIELDS)
    _, out_table, _ = _run([*BASE, "--ids", "--width", "400"], capsys)
    assert "planstrategi.adopted" in out_table
    # a line per milestone (none wraps at this width), under a header, then the legend
    rows = out_table.split("\n\n")[0].splitlines()
    assert len(rows) == count + 1 and rows[0].split()[:3] == ["start", "slutt", "frist"]


def test_ics_writes_file_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "feed.ics"
    code, out, _ = _run(["ics", "--election-year", "2027", "--municipality", "1103",
                         "--output", str(target)], capsys)
    assert code == 0 and out == ""
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert [p.name for p in tmp_path.iterdir()] == ["feed.ics"]


def test_bad_input_keeps_an_existing_output_file(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "feed.ics"
    target.write_text("good old calendar")
    code, _, err = _run(["ics", "--election-year", "2026", "--output", str(target)], capsys)
    assert code == 2 and "2026" in err
    assert target.read_text() == "good old calendar"


def test_late_constitution_warns_and_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run([*BASE, "--constituted", "2027-11-10", "--lang", "en", "--ids"], capsys)
    assert code == 0 and "election.constituent_meeting" in out
    assert "after 31 October 2027" in err


BAD_INPUTS = {
    "not an election year": (["--election-year", "2026"], "2027"),
    "before 2011": (["--election-year", "2007"], "2011"),
    "year is not a number": (["--election-year", "twenty"], "not a year"),
    "unknown municipality": (["--election-year", "2027", "--municipality", "Stavangr"],
                             "Stavanger"),
    "unknown municipality number": (["--election-year", "2027", "--municipality", "9999"],
                                    "9999"),
    "unknown model": (["--election-year", "2027", "--model", "agile"], "samskaping"),
    "unknown language": (["--election-year", "2027", "--lang", "se"], "nn"),
    "unparseable date": (["--election-year", "2027", "--constituted", "21.10.2027"],
                         "YYYY-MM-DD"),
    "K before election day": (["--election-year", "2027", "--constituted", "2027-09-01"],
                              "after election day"),
    "K on election day": (["--election-year", "2027", "--constituted", "2027-09-13"],
                          "after election day"),
    "election day not in September": (["--election-year", "2027", "--election-day",
                                       "2027-10-11"], "September"),
    "ambiguous name": (["--election-year", "2027", "--municipality", "Herøy"], "1515"),
    "missing year": ([], "--election-year"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["schedule", "ics"])
def test_bad_input_gives_one_line_and_exit_code_2(case: str, command: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    args, hint = BAD_INPUTS[case]
    lang = [] if "--lang" in args else ["--lang", "en"]
    code, out, err = _run([command, *args, *lang], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    # English unless --lang itself is wrong (then bokmål, the default)
    assert err.startswith("plancycle: feil: " if "--lang" in args else "plancycle: error: ")
    assert hint in err
    assert "Traceback" not in err


def test_installed_console_script_reports_bad_input_without_traceback() -> None:
    proc = subprocess.run([sys.executable, "-m", "plancycle", "ics", "--election-year", "2028"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("lang", "hint"), [("nb", "er ikke et år med kommunestyrevalg"),
                                            ("nn", "er ikkje eit år med kommunestyreval"),
                                            ("en", "is not a municipal election year")])
def test_errors_speak_the_chosen_language(lang: str, hint: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["schedule", "--election-year", "2026", "--lang", lang], capsys)
    assert code == 2 and hint in err and "2027" in err


def test_errors_default_to_bokmal(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["schedule", "--election-year", "2027", "--municipality", "Bergn"],
                        capsys)
    assert code == 2 and "ukjent kommune «Bergn»; mente du Bergen (4601)" in err


def test_written_files_are_readable_by_others_and_keep_their_mode(tmp_path: Path) -> None:
    from plancycle.output import write_atomic

    fresh = tmp_path / "fresh.ics"
    write_atomic(fresh, b"x")
    assert fresh.stat().st_mode & 0o777 == 0o644
    kept = tmp_path / "kept.ics"
    kept.write_bytes(b"old")
    kept.chmod(0o600)
    write_atomic(kept, b"new")
    assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_bytes() == b"new"


@pytest.mark.parametrize(("args", "nb", "nn"), [
    (["schedule"], "disse argumentene mangler: --election-year",
     "desse argumenta manglar: --election-year"),
    (["schedule", "--election-year", "2027", "--model", "agile"], "ugyldig valg: 'agile'",
     "ugyldig val: 'agile'"),
    (["schedule", "--election-year", "2027", "--bogus"], "ukjente argumenter: --bogus",
     "ukjende argument: --bogus"),
    (["schedule", "--election-year", "2027", "--constituted", "21.10.2027"],
     "'21.10.2027' er ikke en dato", "'21.10.2027' er ikkje ein dato"),
    (["schedule", "--election-year", "x"], "'x' er ikke et årstall", "'x' er ikkje eit årstal"),
    (["schedule", "--election-year", "2027", "--municipality", "1103", "--county", "11"],
     "kan ikke brukes sammen med --municipality", "kan ikkje brukast saman med --municipality"),
])
def test_usage_errors_speak_the_chosen_language(args: list[str], nb: str, nn: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    for lang, expected in (("nb", nb), ("nn", nn)):
        code, _, err = _run([*args, "--lang", lang], capsys)
        assert code == 2 and expected in err and len(err.strip().splitlines()) == 1
    code, _, err = _run([*args, "--lang", "en"], capsys)
    assert code == 2 and "er ikke" not in err and "mangler" not in err
