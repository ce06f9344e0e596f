"""The followed-term commands: plancycle status, plancycle record, schedule --term, ics --term.

Bad input is one line on stderr and exit code 2, and a term file is byte for byte unchanged
after any refused command.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.commands.status import CSV_FIELDS
from plancycle.output import to_json
from plancycle.termfile import load_term

BERGEN = 'election_year = 2027\nmunicipality = "4601"\nconstituted = 2027-10-21\n'
EXAMPLE = Path(__file__).parents[1] / "examples/terms/stavanger-2027.toml"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def bergen(tmp_path: Path) -> Path:
    path = tmp_path / "bergen-2027.toml"
    path.write_text("# Bergen's term\n" + BERGEN, encoding="utf-8")
    return path


def test_golden_record_then_status_json_has_the_deadline_violation(
        bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["record", str(bergen), "planstrategi.adopted", "2028-11-30",
                           "--recorded", "2028-12-01T10:00:00+01:00", "--lang", "en"], capsys)
    assert (code, err) == (0, "")
    assert out == f"{bergen}: recorded planstrategi.adopted 2028-11-30\n"
    code, out, _ = _run(["status", str(bergen), "--today", "2028-12-01", "--format", "json",
                         "--lang", "en"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["today"] == "2028-12-01" and doc["municipality"]["number"] == "4601"
    (late,) = [v for v in doc["violations"] if v["rule"] == "planstrategi-deadline"]
    # 2028-11-30 minus the due date 2028-10-21 (a year after the constituent meeting)
    assert (late["limit"], late["days_late"]) == ("2028-10-21", 40)
    adopted = next(m for m in doc["milestones"] if m["id"] == "planstrategi.adopted")
    assert adopted["status"] == "done" and adopted["actual_start"] == "2028-11-30"
    assert load_term(bergen).facts[0].recorded == dt.datetime(2028, 12, 1, 9, tzinfo=dt.UTC)


def test_recording_the_same_fact_twice_says_so_and_keeps_one_fact(
        bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["record", str(bergen), "planstrategi.adopted", "2028-10-19"]
    assert _run(args, capsys)[0] == 0
    written = bergen.read_bytes()
    code, out, _ = _run([*args, "--lang", "en"], capsys)
    assert code == 0 and "already recorded; nothing changed" in out
    assert bergen.read_bytes() == written
    assert bergen.read_text(encoding="utf-8").count("[[fact]]") == 1
    assert bergen.read_text(encoding="utf-8").startswith("# Bergen's term\n")


def test_recorded_defaults_to_now_in_utc_whole_seconds(
        bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    code, out, _ = _run(["record", str(bergen), "planstrategi.start", "2027-11-04"], capsys)
    after = dt.datetime.now(dt.UTC)
    assert code == 0 and out == f"{bergen}: registrerte planstrategi.start 2027-11-04\n"
    recorded = load_term(bergen).facts[0].recorded
    assert recorded is not None and recorded.microsecond == 0
    assert before <= recorded <= after and recorded.utcoffset() == dt.timedelta(0)


def test_a_phase_is_opened_then_closed_with_end_and_source(
        bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["record", str(bergen), "planstrategi.consultation", "2027-12-16"]
    assert _run([*base, "--source", "sak 1/27"], capsys)[0] == 0
    code, out, _ = _run([*base, "--end", "2028-02-03", "--source", "sak 1/27", "--lang", "nn"],
                        capsys)
    assert code == 0 and out.endswith("registrerte planstrategi.consultation "
                                      "2027-12-16–2028-02-03\n")
    (fact,) = load_term(bergen).facts
    assert (fact.end, fact.source) == (dt.date(2028, 2, 3), "sak 1/27")
    code, out, _ = _run(["status", str(bergen), "--today", "2028-01-10", "--lang", "en", "--ids",
                         "--width", "300"], capsys)
    line = next(row for row in out.splitlines() if "planstrategi.consultation" in row)
    assert line.startswith("done ") and "2027-12-16  2028-02-03" in line


def test_status_table_has_milestones_violations_and_forecast_in_the_chosen_language(
        bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(["record", str(bergen), "planstrategi.consultation", "2028-09-01"], capsys)
    code, out, _ = _run(["status", str(bergen), "--today", "2028-09-02", "--lang", "en", "--ids",
                         "--width", "300"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Bergen (4601), the term after the 2027 election: status on 2028-09-02"
    assert lines[2].split() == ["status", "start", "end", "due", "id", "title"]
    row = next(line for line in lines if " planstrategi.consultation " in line)
    assert row.startswith("in progress  2028-09-01")
    assert next(line for line in lines if " planstrategi.start " in line).startswith("done*")
    assert "* done because a later step of the same process is recorded" in out
    assert "Violations so far (" in out
    forecast = out.split("Forecast, violations if nothing changes (")[1]
    # the consultation runs six weeks from 1 September, so the adoption lands after 2028-10-21
    assert "planstrategi.adopted on 2028-11-10 is after its due date 2028-10-21" in forecast
    code, out_nb, _ = _run(["status", str(bergen), "--today", "2028-09-02"], capsys)
    assert "Brudd så langt (" in out_nb and "pågår" in out_nb and "Varsel, brudd" in out_nb


def test_status_csv_has_the_contract_columns_and_a_row_per_milestone(
        bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(["record", str(bergen), "planstrategi.adopted", "2028-11-30"], capsys)
    _, out_json, _ = _run(["status", str(bergen), "--today", "2028-12-01", "--format", "json"],
                          capsys)
    milestones = json.loads(out_json)["milestones"]
    code, out, _ = _run(["status", str(bergen), "--today", "2028-12-01", "--format", "csv"],
                        capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_FIELDS == (
        "id", "process", "kind", "title", "start", "end", "due", "binding", "confidence",
        "provisional", "status", "planned_start", "planned_end", "actual_start", "actual_end")
    assert [r["id"] for r in rows] == [m["id"] for m in milestones]
    adopted = next(r for r in rows if r["id"] == "planstrategi.adopted")
    assert (adopted["status"], adopted["actual_start"], adopted["planned_start"],
            adopted["due"]) == ("done", "2028-11-30", "2028-03-02", "2028-10-21")
    assert {r["provisional"] for r in rows} <= {"true", "false"}


def test_status_writes_output_atomically(bergen: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "status.json"
    code, out, _ = _run(["status", str(bergen), "--today", "2028-01-01", "--format", "json",
                         "--output", str(target)], capsys)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["today"] == "2028-01-01"


def test_schedule_term_is_the_terms_current_schedule(bergen: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _run(["record", str(bergen), "planstrategi.adopted", "2028-11-30"], capsys)
    code, out, err = _run(["schedule", "--term", str(bergen), "--format", "json", "--lang", "en"],
                          capsys)
    assert code == 0
    assert out == to_json(load_term(bergen).schedule("en"))
    assert json.loads(out)["municipality"]["number"] == "4601"
    adopted = next(m for m in json.loads(out)["milestones"] if m["id"] == "planstrategi.adopted")
    assert adopted["start"] == "2028-11-30"
    assert "after its due date 2028-10-21" in err  # the schedule's warnings, as for any schedule
    code, out, _ = _run(["schedule", "--term", str(bergen), "--ids"], capsys)
    assert code == 0 and "planstrategi.adopted" in out


def test_ics_term_is_the_followed_terms_calendar(bergen: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    term_calendar = pytest.importorskip("plancycle.term_calendar")
    _run(["record", str(bergen), "planstrategi.adopted", "2028-11-30",
          "--recorded", "2028-12-01T09:00:00Z"], capsys)
    target = tmp_path / "bergen.ics"
    code, out, _ = _run(["ics", "--term", str(bergen), "--today", "2028-12-01", "--lang", "en",
                         "--output", str(target)], capsys)
    assert code == 0 and out == ""
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data == term_calendar.term_to_ical(load_term(bergen), today=dt.date(2028, 12, 1),
                                              lang="en")


def test_the_example_term_file_reads_and_keeps_its_comments(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, copy)
    code, out, _ = _run(["status", str(copy), "--today", "2028-03-01", "--lang", "en"], capsys)
    assert code == 0 and out.startswith("Stavanger (1103), the term after the 2027 election")
    before = copy.read_text(encoding="utf-8")
    code, _, _ = _run(["record", str(copy), "planstrategi.adopted", "2028-03-14",
                       "--source", "sak 14/28"], capsys)
    assert code == 0
    after = copy.read_text(encoding="utf-8")
    assert after.startswith(before) and after.count("[[fact]]") == before.count("[[fact]]") + 1


# -- bad input -----------------------------------------------------------------------------------
RECORD_BAD = {
    "unknown milestone": (["planstrategi.adoptd", "2028-03-01"], "planstrategi.adoptd"),
    "date outside the term": (["planstrategi.adopted", "2032-03-01"], "outside the term"),
    "bad date string": (["planstrategi.adopted", "1.3.2028"], "'1.3.2028' is not a date"),
    "bad end string": (["planstrategi.consultation", "2027-12-16", "--end", "feb"],
                       "'feb' is not a date"),
    "end of a single day": (["planstrategi.adopted", "2028-03-01", "--end", "2028-03-02"],
                            "single day"),
    "conflict without replace": (["planstrategi.start", "2027-11-05"], "--replace"),
    "recorded without zone": (["planstrategi.adopted", "2028-03-01", "--recorded",
                               "2028-03-01T10:00:00"], "time zone"),
    "recorded not a time": (["planstrategi.adopted", "2028-03-01", "--recorded", "yesterday"],
                            "'yesterday'"),
    "missing date": (["planstrategi.adopted"], "DATE"),
}


@pytest.mark.parametrize("case", sorted(RECORD_BAD))
def test_bad_record_is_one_line_exit_2_and_the_file_is_unchanged(
        case: str, bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["record", str(bergen), "planstrategi.start", "2027-11-04"], capsys)[0] == 0
    before = bergen.read_bytes()
    args, hint = RECORD_BAD[case]
    code, out, err = _run(["record", str(bergen), *args, "--lang", "en"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("plancycle: error: ") and len(err.strip().splitlines()) == 1, err
    assert hint in err and "Traceback" not in err
    assert bergen.read_bytes() == before
    assert [p.name for p in bergen.parent.iterdir()] == [bergen.name]


FILE_BAD = {
    "broken file": ('election_year = 2027\nmunicipality = "4601\n', "not valid TOML"),
    "unknown key": (BERGEN + 'moddel = "classic"\n', "'moddel'"),
    "bad date in the file": (BERGEN + '[[fact]]\nmilestone = "planstrategi.start"\n'
                             'date = "2027-11-31"\n', "fact[0].date must be a date"),
    "newer version": ("schema_version = 9\n" + BERGEN, "reads versions 1 to 1"),
}


@pytest.mark.parametrize("command", ["status", "record", "schedule", "ics"])
@pytest.mark.parametrize("case", sorted(FILE_BAD))
def test_a_broken_term_file_is_one_line_exit_2_for_every_command(
        case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, hint = FILE_BAD[case]
    path = tmp_path / "term.toml"
    path.write_text(text, encoding="utf-8")
    args = {"status": ["status", str(path), "--today", "2028-01-01"],
            "record": ["record", str(path), "planstrategi.start", "2027-11-04"],
            "schedule": ["schedule", "--term", str(path)],
            "ics": ["ics", "--term", str(path)]}[command]
    code, out, err = _run([*args, "--lang", "en"], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"plancycle: error: {path}: ") and len(err.strip().splitlines()) == 1
    assert hint in err
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("command", ["status", "record"])
def test_a_missing_term_file_is_one_line_in_the_chosen_language(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere.toml"
    args = {"status": ["status", str(path), "--today", "2028-01-01"],
            "record": ["record", str(path), "planstrategi.start", "2027-11-04"]}[command]
    for lang, hint in (("nb", "finnes ikke"), ("nn", "finst ikkje"), ("en", "does not exist")):
        code, out, err = _run([*args, "--lang", lang], capsys)
        assert code == 2 and out == "" and hint in err and len(err.strip().splitlines()) == 1
    assert not path.exists()


USAGE_BAD = {
    "status without today": (["status", "{file}"], "--today"),
    "status bad today": (["status", "{file}", "--today", "2028-13-01"], "is not a date"),
    "term with election year": (["schedule", "--term", "{file}", "--election-year", "2027"],
                                "argument --term: not allowed with argument --election-year"),
    "term with municipality": (["ics", "--term", "{file}", "--municipality", "1103"],
                               "not allowed with argument --municipality"),
    "term with county": (["schedule", "--term", "{file}", "--county", "46"],
                         "not allowed with argument --county"),
    "term with model": (["schedule", "--term", "{file}", "--model", "classic"],
                        "not allowed with argument --model"),
    "neither term nor year": (["schedule"], "--election-year | --term"),
    "today without term": (["ics", "--election-year", "2027", "--today", "2028-01-01"],
                           "--today applies only to a followed term"),
}


@pytest.mark.parametrize("case", sorted(USAGE_BAD))
def test_usage_errors_are_one_line_and_exit_2(case: str, bergen: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    args, hint = USAGE_BAD[case]
    before = bergen.read_bytes()
    code, out, err = _run([a.replace("{file}", str(bergen)) for a in args] + ["--lang", "en"],
                          capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert hint in err, err
    assert bergen.read_bytes() == before


def test_term_conflicts_speak_the_chosen_language(bergen: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    args = ["schedule", "--term", str(bergen), "--election-year", "2027"]
    assert "kan ikke brukes sammen med --election-year" in _run(args, capsys)[2]
    assert "kan ikkje brukast saman med --election-year" in _run([*args, "--lang", "nn"],
                                                                  capsys)[2]
