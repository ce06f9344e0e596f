"""``--format xlsx`` (issue 13 item 3): workbooks that open in openpyxl with typed cells (a date
is a date), a header in the user's language, frozen panes, an autofilter, a sheet per part, the
same bytes twice; and never written to a terminal."""

from __future__ import annotations

import datetime as dt
import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from plancycle.cli import run
from plancycle.exports.sheets import Sheet, workbook

ROOT = Path(__file__).parents[1]
STAVANGER = ["--election-year", "2027", "--municipality", "Stavanger", "--constituted",
             "2027-10-21", "--model", "classic"]


def _book(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def _rows(sheet: Worksheet) -> list[dict[str, object]]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=True))
            for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_schedule_workbook_has_typed_cells_and_the_planstrategi_deadline(
        tmp_path: Path) -> None:
    target = tmp_path / "stavanger.xlsx"
    assert run(["schedule", *STAVANGER, "--format", "xlsx", "--output", str(target)]) == 0
    book = _book(target)
    assert book.sheetnames == ["Milepæler", "Om"]
    sheet = book["Milepæler"]
    assert [c.value for c in sheet[1]][:4] == ["Tittel", "Start", "Slutt", "Frist"]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:K{sheet.max_row}"
    assert all(cell.font.b for cell in sheet[1])
    rows = {row["ID"]: row for row in _rows(sheet)}
    adopted = rows["planstrategi.adopted"]
    # pbl § 10-1: the planstrategi within a year of the constituent meeting of 21.10.2027
    assert adopted["Frist"] == dt.datetime(2028, 10, 21)
    assert adopted["Bindingsgrad"] == "lovpålagt" and adopted["Foreløpig"] is False
    assert adopted["Prosess"] == "Kommunal planstrategi"
    due = next(c for c in sheet[next(i for i, r in enumerate(_rows(sheet), 2)
                                     if r["ID"] == "planstrategi.adopted")] if c.column == 4)
    assert due.is_date and due.number_format == "dd.mm.yyyy"
    assert sheet.column_dimensions["A"].width > 20  # the titles get room
    about = {row["Felt"]: row["Verdi"] for row in _rows(book["Om"])}
    assert about["Kommune eller fylkeskommune"] == "Stavanger (1103)"
    assert about["Konstituerende møte"] == dt.datetime(2027, 10, 21)
    assert about["Valgår"] == 2027


def test_the_same_schedule_gives_the_same_bytes_and_english_headers(tmp_path: Path) -> None:
    first, second, english = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "en.xlsx"
    for target in (first, second):
        assert run(["schedule", *STAVANGER, "--format", "xlsx", "--output", str(target)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert run(["schedule", *STAVANGER, "--format", "xlsx", "--lang", "en",
                "--output", str(english)]) == 0
    sheet = _book(english)["Milestones"]
    assert [c.value for c in sheet[1]][:4] == ["Title", "Start", "End", "Due"]
    assert sheet["B2"].number_format == "yyyy-mm-dd"


def test_status_has_a_sheet_per_part(tmp_path: Path) -> None:
    term = tmp_path / "term.toml"
    shutil.copy(ROOT / "examples" / "terms" / "stavanger-2027.toml", term)
    target = tmp_path / "status.xlsx"
    assert run(["status", str(term), "--today", "2029-03-01", "--format", "xlsx",
                "--output", str(target)]) == 0
    book = _book(target)
    assert book.sheetnames == ["Milepæler", "Brudd", "Prognose", "Om"]
    assert book["Milepæler"].freeze_panes == "C2"  # status and title stay in view
    statuses = {row["ID"]: row["Status"] for row in _rows(book["Milepæler"])}
    assert set(statuses.values()) <= {"utført", "pågår", "forsinket", "planlagt"}
    assert statuses["planstrategi.adopted"] == "forsinket"  # in words, in the user's language
    forecast = {row["Milepæl"]: row for row in _rows(book["Prognose"])}
    # nothing recorded for the planstrategi by 1 March 2029: its deadline 21.10.2028 is passed
    late = forecast["planstrategi.adopted"]
    assert late["Frist"] == dt.datetime(2028, 10, 21) and isinstance(late["Dager for sent"], int)
    assert {row["Felt"]: row["Verdi"] for row in _rows(book["Om"])}["Status per"] == \
        dt.datetime(2029, 3, 1)


def test_simulate_and_compare_write_the_report_parts(tmp_path: Path) -> None:
    sim, cmp = tmp_path / "sim.xlsx", tmp_path / "cmp.xlsx"
    assert run(["simulate", str(ROOT / "examples" / "scenarios" / "late_hearing.toml"),
                "--format", "xlsx", "--output", str(sim), "--quiet"]) == 0
    book = _book(sim)
    assert book.sheetnames == ["Kjøringer", "Regelbrudd", "Sammendrag", "Regler", "Om"]
    run_row = _rows(book["Kjøringer"])[0]
    assert run_row["Kommune"] == "Stavanger" and run_row["Kjøring"] == 1
    assert run_row["Frist for planstrategi"] == dt.datetime(2028, 10, 21)
    assert isinstance(run_row["Planstrategi vedtatt innen K + 1 år"], bool)
    share = book["Kjøringer"].cell(row=2, column=10)
    assert isinstance(share.value, float) and share.number_format == "0.0%"
    assert run(["compare", "--election-year", "2027", "--municipality", "Bergen",
                "--format", "xlsx", "--output", str(cmp), "--quiet"]) == 0
    book = _book(cmp)
    assert book.sheetnames == ["Sammendrag", "Regler", "Om"]  # compare keeps no runs
    models = [row["Prosessmodell"] for row in _rows(book["Sammendrag"])]
    assert models == ["classic", "samskaping", "reform"]


def test_the_plan_register_workbook_has_dates_and_numbers(tmp_path: Path) -> None:
    for name in ("eksempelby-2027.toml", "planregister.csv"):
        shutil.copy(ROOT / "examples" / "plans" / name, tmp_path / name)
    target = tmp_path / "plans.xlsx"
    assert run(["plans", str(tmp_path / "eksempelby-2027.toml"), "--today", "2029-06-01",
                "--format", "xlsx", "--output", str(target)]) == 0
    book = _book(target)
    register = book.worksheets[0]
    assert register.freeze_panes == "B2" and register.auto_filter.ref
    adopted = [row[4] for row in register.iter_rows(min_row=2, values_only=True) if row[4]]
    assert adopted and all(isinstance(day, dt.datetime) for day in adopted)
    load = book.worksheets[1]
    assert all(isinstance(row[1], int) for row in load.iter_rows(min_row=2, values_only=True))


def test_text_is_never_a_formula_and_control_characters_are_dropped() -> None:
    data = workbook([Sheet("a/b", ["x"], [["=HYPERLINK(\"http://x\")"], ["a\x01b"]])], "nb")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "a-b"
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=")
    assert sheet["A3"].value == "ab"


def _cli(args: list[str], cwd: Path, stdout: int) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "plancycle", *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, env=env, timeout=50, check=False)


def test_xlsx_to_a_terminal_is_refused_but_a_pipe_gets_it(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        refused = _cli(["schedule", "--election-year", "2027", "--format", "xlsx"], tmp_path,
                       follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert refused.returncode == 2
    lines = refused.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "--output FIL.xlsx" in lines[0] and "Traceback" not in lines[0]
    piped = _cli(["schedule", "--election-year", "2027", "--format", "xlsx"], tmp_path,
                 subprocess.PIPE)
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK")
    assert openpyxl.load_workbook(io.BytesIO(piped.stdout)).sheetnames == ["Milepæler", "Om"]


@pytest.mark.parametrize("command", [["status", "term.toml", "--today", "2029-03-01"],
                                     ["simulate", "scenario.toml"],
                                     ["compare", "--election-year", "2027"]])
def test_every_xlsx_command_refuses_a_terminal_before_it_works(tmp_path: Path,
                                                               command: list[str]) -> None:
    leader, follower = pty.openpty()
    try:  # the files do not exist: the terminal is refused first
        refused = _cli([*command, "--format", "xlsx", "--lang", "en"], tmp_path, follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert refused.returncode == 2
    assert refused.stderr.decode().strip() == (
        "plancycle: error: --format xlsx writes a binary file, not text for a terminal: give "
        "--output FILE.xlsx (or redirect it with > FILE.xlsx)")
