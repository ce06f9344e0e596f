"""Reading council meeting plans: real ICS exports (leniently), CSV and TOML; broken files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plancycle.errors import DataError, InputError
from plancycle.meetings import load_meeting_plan

FIXTURES = Path(__file__).parent / "fixtures" / "meetings"
D = dt.date.fromisoformat


def test_real_simrishamn_calendar_gives_its_three_council_meetings() -> None:
    plan = load_meeting_plan(FIXTURES / "simrishamn-budgetprocess-2026.ics", "^KF ", lang="en")
    assert plan.dates == (D("2025-12-15"), D("2026-06-15"), D("2026-10-26"))
    # "KF:s presidium ..." is not a council meeting, and the pattern does not take it
    assert all(m.title.startswith("KF ") for m in plan.meetings)
    assert any("blank lines" in w for w in plan.warnings)


def test_hand_made_file_with_lf_and_no_uid_or_dtstamp_is_read_with_warnings() -> None:
    plan = load_meeting_plan(FIXTURES / "simrishamn-handmade-lf.ics", "^KF ", lang="en")
    assert plan.dates == (D("2025-12-15"), D("2026-06-15"), D("2026-10-26"))
    text = "\n".join(plan.warnings)
    assert "LF, not CRLF" in text
    assert "34 events without UID" in text and "34 events without DTSTAMP" in text
    assert all(w.startswith("simrishamn-handmade-lf.ics: ") for w in plan.warnings)


def test_warnings_follow_the_language() -> None:
    plan = load_meeting_plan(FIXTURES / "simrishamn-handmade-lf.ics", "^KF ", lang="nn")
    assert any("liner" in w for w in plan.warnings)


def test_default_pattern_finds_norwegian_council_meetings_only() -> None:
    plan = load_meeting_plan(FIXTURES / "portal-2027-2029.ics")
    assert plan.dates == (
        D("2027-12-14"), D("2028-03-15"),
        D("2028-06-01"),  # 22:00 UTC on 31 May is 00:00 on 1 June in Oslo
        D("2028-06-14"), D("2028-09-20"), D("2028-12-13"),
        D("2029-02-14"), D("2029-04-14"),  # monthly, COUNT=3, 14 March excluded
    )
    titles = {m.title for m in plan.meetings}
    assert "Formannskapet" not in titles and "Kontrollutvalget" not in titles
    assert "Bystyret (avlyst)" not in titles  # STATUS:CANCELLED
    assert plan.warnings == ()


def test_default_pattern_on_a_swedish_file_names_the_titles_it_saw() -> None:
    with pytest.raises(DataError) as caught:
        load_meeting_plan(FIXTURES / "simrishamn-budgetprocess-2026.ics")
    message = str(caught.value)
    assert "simrishamn-budgetprocess-2026.ics" in message and "--meeting-pattern" in message
    assert "KF beslutar" in message and "\n" not in message


@pytest.mark.parametrize("name", ["plan.csv", "plan-list.toml"])
def test_csv_and_toml_lists_are_taken_as_they_are(name: str) -> None:
    plan = load_meeting_plan(FIXTURES / name)
    assert plan.dates == (D("2027-12-14"), D("2028-03-15"), D("2028-06-14"), D("2028-09-20"),
                          D("2028-12-13"))


def test_a_given_pattern_filters_titled_entries() -> None:
    every = load_meeting_plan(FIXTURES / "plan-tables.toml")
    assert D("2028-03-01") in every.dates
    council = load_meeting_plan(FIXTURES / "plan-tables.toml", "kommunestyre")
    assert council.dates == (D("2027-12-14"), D("2028-03-15"))


BROKEN = {
    "bad.csv": ("date\n2027-12-14\n14.03.2028\n", "row 3: '14.03.2028' is not a date"),
    "header.csv": ("dato,tittel\n2027-12-14,x\n", "header line"),
    "columns.csv": ("date,title\n2027-12-14,a,b\n", "line 2: 3 columns"),
    "empty.csv": ("date\n", "lists no meetings"),
    "syntax.toml": ("meetings = [2027-12-14,\n", "not valid TOML"),
    "shape.toml": ("dates = [2027-12-14]\n", "wrong shape at dates"),
    "table.toml": ("[[meeting]]\ntitle = 'x'\n", "wrong shape at meeting[0]"),
    "notics.ics": ("hello\n", "does not start with BEGIN:VCALENDAR"),
    "cut.ics": ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Kommunestyret\n", "ends before END:VEVENT"),
    "plan.xlsx": ("x", "unknown file type .xlsx"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_give_one_line_naming_file_and_problem(tmp_path: Path, name: str) -> None:
    content, expected = BROKEN[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_meeting_plan(path)
    message = caught.value.in_language("en")
    assert name in message and expected in message and "\n" not in message


def test_missing_file_and_wrong_encoding(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        load_meeting_plan(tmp_path / "nope.ics")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("date,title\n2027-12-14,Møte\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_meeting_plan(latin)


def test_invalid_pattern_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a valid regular expression"):
        load_meeting_plan(FIXTURES / "plan.csv", "kommunestyre(")
