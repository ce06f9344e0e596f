"""``plancycle schedule --all-municipalities`` / ``--all-counties`` (issue 13 item 3): every
owner's schedule of a term as one table, in CSV, JSON or Excel; a terminal table is refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest

from plancycle.cli import run
from plancycle.models import MILESTONE_FIELDS, ElectionPeriod
from plancycle.municipalities import counties, find_municipality, municipalities
from plancycle.schedule import build_schedule


def test_all_municipalities_as_csv(tmp_path: Path) -> None:
    target = tmp_path / "alle.csv"
    assert run(["schedule", "--election-year", "2023", "--all-municipalities", "--model",
                "classic", "--format", "csv", "--output", str(target)]) == 0
    data = target.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # UTF-8 without a BOM (RFC 4180)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    one = build_schedule(ElectionPeriod.for_year(2023), find_municipality("Tromsø", 2023),
                         "classic")
    assert len(rows) == 357 * len(one.milestones)
    assert list(rows[0]) == ["municipality", "municipality_name", *MILESTONE_FIELDS]
    assert [r["municipality"] for r in rows[::len(one.milestones)]] == \
        [m.number for m in municipalities(2023)]
    tromso = {r["id"]: r for r in rows if r["municipality_name"].startswith("Tromsø")}
    assert tromso["planstrategi.adopted"]["due"] == "2024-10-19"  # K 19.10.2023 + 1 year


def test_all_counties_as_json_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schedule", "--election-year", "2027", "--all-counties", "--format", "json",
                "--constituted", "2027-10-21", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    authorities = [c for c in counties(2027) if c.has_county_authority]
    assert {row["county"] for row in data["rows"]} == {c.number for c in authorities}
    assert data["constituted"] == "2027-10-21" and data["constituted_assumed"] is False
    target = tmp_path / "fylker.xlsx"
    assert run(["schedule", "--election-year", "2027", "--all-counties", "--format", "xlsx",
                "--constituted", "2027-10-21", "--output", str(target)]) == 0
    sheet = openpyxl.load_workbook(target)["Milepæler"]
    assert [c.value for c in sheet[1]][:3] == ["Fylkesnr.", "Fylkeskommune", "Tittel"]
    assert sheet.freeze_panes == "C2"
    assert sheet.max_row == len(data["rows"]) + 1
    assert isinstance(sheet["D2"].value, dt.datetime) and sheet["D2"].is_date


@pytest.mark.parametrize(("extra", "expected"), [
    ([], "--all-municipalities gir tusenvis av rader"),
    (["--format", "csv", "--municipality", "Bergen"],
     "--all-municipalities kan ikke brukes sammen med --municipality"),
])
def test_bad_combinations_are_one_line(extra: list[str], expected: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schedule", "--election-year", "2027", "--all-municipalities", *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]


def test_both_all_options_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schedule", "--election-year", "2027", "--all-municipalities",
                "--all-counties", "--format", "csv"]) == 2
    assert "--all-counties" in capsys.readouterr().err
