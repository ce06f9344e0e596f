"""Meeting plans on the command line: decisions land on real meetings, or a warning says why not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest

from plancycle.cli import run

FIXTURES = Path(__file__).parent / "fixtures" / "meetings"
BASE = ["--election-year", "2027", "--constituted", "2027-10-21", "--lang", "en"]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def _milestones(out: str) -> dict[str, dict[str, str]]:
    return {m["id"]: m for m in json.loads(out)["milestones"]}


def test_planstrategi_lands_on_a_meeting_of_the_portal_export_with_30_days_notice(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["schedule", *BASE, "--municipality", "Bergen", "--format", "json",
                           "--meetings", str(FIXTURES / "portal-2027-2029.ics")], capsys)
    assert code == 0
    milestones = _milestones(out)
    adopted = dt.date.fromisoformat(milestones["planstrategi.adopted"]["start"])
    assert adopted == dt.date(2028, 3, 15)  # the first bystyre meeting after the consultation
    notice = milestones["planstrategi.proposal_public"]
    assert dt.date.fromisoformat(notice["start"]) <= adopted - dt.timedelta(days=30)
    assert notice["due"] == (adopted - dt.timedelta(days=30)).isoformat()
    assert "planstrategi" not in err


@pytest.mark.parametrize("fmt", ["csv", "toml"])
def test_csv_and_toml_plans_move_the_budget_to_the_december_meeting(
        capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    name = "plan.csv" if fmt == "csv" else "plan-list.toml"
    code, out, _ = _run(["schedule", *BASE, "--format", "json", "--meetings",
                         str(FIXTURES / name)], capsys)
    assert code == 0
    budget = _milestones(out)["action_economy_plan.2028.adopted"]
    assert budget["start"] == "2028-12-13"


def test_no_meeting_before_the_deadline_warns_on_stderr_and_flags_the_event(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["ics", *BASE, "--municipality", "1103", "--meetings",
                           str(FIXTURES / "no-meeting-before-deadline.csv")], capsys)
    assert code == 0
    assert "No council meeting before the deadline: planstrategi.adopted" in err
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(out).walk("VEVENT")}
    flagged = events["k1103-t2027-planstrategi.adopted@plancycle.no"]
    assert str(flagged["SUMMARY"]).startswith("⚠ ")
    assert "No council meeting before the deadline" in str(flagged["DESCRIPTION"])


def test_real_swedish_file_needs_its_pattern(capsys: pytest.CaptureFixture[str]) -> None:
    simrishamn = str(FIXTURES / "simrishamn-handmade-lf.ics")
    code, _, err = _run(["schedule", "--election-year", "2023", "--meetings", simrishamn], capsys)
    assert code == 2 and err.count("\n") == 1 and "--meeting-pattern" in err
    code, out, err = _run(["schedule", "--election-year", "2023", "--lang", "en", "--format",
                           "json", "--meetings", simrishamn, "--meeting-pattern", "^KF "], capsys)
    assert code == 0
    assert "LF, not CRLF" in err and "without UID" in err
    milestones = _milestones(out)
    assert milestones["action_economy_plan.2025.adopted"]["start"] == "2025-12-15"
    assert milestones["action_economy_plan.2026.accounts_adopted"]["start"] == "2026-06-15"


def test_county_option_gives_the_county_authority_schedule(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["schedule", *BASE, "--county", "Vestland", "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["municipality"] == {"number": "46", "name": "Vestland"}
    assert "regional_planstrategi.adopted" in _milestones(out)


@pytest.mark.parametrize(("args", "expected"), [
    (["--county", "46", "--municipality", "1103"], "not allowed with"),
    (["--county", "Oslo"], "Oslo"),
    (["--meeting-pattern", "x"], "only together with --meetings"),
    (["--meetings", "{missing}/plan.csv"], "does not exist"),  # (in tmp_path)
    (["--meetings", str(FIXTURES / "plan.csv"), "--meeting-pattern", "("], "regular expression"),
])
def test_bad_selection_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                              args: list[str], expected: str,
                                              tmp_path: Path) -> None:
    args = [a.replace("{missing}", str(tmp_path / "missing")) for a in args]
    code, out, err = _run(["schedule", *BASE, *args], capsys)
    assert code == 2 and out == ""
    assert expected in err and err.count("\n") == 1
