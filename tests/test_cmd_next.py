"""plancycle next: what is due in the coming weeks, most binding first; with --term the followed
term's statuses, overdue first. Golden facts: Stavanger's 2027 term, constituted (assumed)
21.10.2027, so the planstrategi is due within a year, by 21.10.2028 (pbl § 10-1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.errors import InputError
from plancycle.models import Schedule
from plancycle.upcoming import BINDING_ORDER, due_soon

STAVANGER = ["--municipality", "Stavanger", "--election-year", "2027"]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, _ = _run(["next", *args, "--format", "json"], capsys)
    assert code == 0
    data: dict[str, object] = json.loads(out)
    return data


def test_golden_the_planstrategi_deadline_comes_first(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json([*STAVANGER, "--today", "2028-10-01", "--weeks", "4"], capsys)
    assert (data["today"], data["until"], data["weeks"]) == ("2028-10-01", "2028-10-29", 4)
    assert data["municipality"] == {"number": "1103", "name": "Stavanger"}
    items = data["items"]
    assert isinstance(items, list)
    first, second = items[0], items[1]
    assert (first["id"], first["date"], first["event"], first["binding"]) == (
        "planstrategi.adopted", "2028-10-21", "due", "statutory")
    assert "planstrategi-deadline" in first["rules"]
    # the samfunnsdel is recommended within the first year too (KS): same day, less binding
    assert (second["id"], second["date"], second["binding"]) == (
        "samfunnsdel.adopted", "2028-10-21", "recommended")


def test_golden_table_in_bokmal_with_norwegian_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["next", *STAVANGER, "--today", "2028-10-01", "--weeks", "4",
                           "--width", "200"], capsys)  # wide enough for a row a line
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Stavanger (1103): forfaller 01.10.2028–29.10.2028"
    assert lines[2].split()[:4] == ["dato", "hva", "bindingsgrad", "regel"]
    assert lines[3].split()[:3] == ["21.10.2028", "frist", "lovpålagt"]
    assert "Kommunal planstrategi vedtatt i kommunestyret" in lines[3]
    assert lines[4].split()[:3] == ["21.10.2028", "frist", "anbefalt"]
    assert "konstituerende møtet er antatt" in err  # the schedule's warnings still come


def test_english_table_has_iso_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["next", *STAVANGER, "--today", "2028-10-01", "--weeks", "4",
                         "--lang", "en"], capsys)
    assert code == 0
    assert out.splitlines()[3].split()[:3] == ["2028-10-21", "due", "statutory"]


def test_csv_parses_with_iso_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["next", *STAVANGER, "--today", "2028-10-01", "--weeks", "4",
                         "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows[0]["id"] == "planstrategi.adopted"
    assert rows[0]["date"] == "2028-10-21" and rows[0]["status"] == ""


def test_library_items_are_in_the_window_most_binding_first(stavanger_2027: Schedule) -> None:
    today = dt.date(2027, 12, 1)
    items = due_soon(stavanger_2027, today, weeks=8)
    assert items, "the budget and the planstrategi hearing fall in December 2027"
    ranks = [BINDING_ORDER.index(item.binding) for item in items]
    assert ranks == sorted(ranks)
    for rank in set(ranks):
        days = [item.date for item in items if BINDING_ORDER.index(item.binding) == rank]
        assert days == sorted(days)
    by_id = {m.id: m for m in stavanger_2027.milestones}
    for item in items:
        assert today <= item.date <= today + dt.timedelta(weeks=8)
        assert item.date in (by_id[item.id].start, by_id[item.id].end, by_id[item.id].due)
    # the budget for 2028 is due by 31.12.2027 (koml § 14-3): listed, as a due date
    budget = [i for i in items if i.id == "action_economy_plan.2027.adopted"]
    assert [(b.date, b.event) for b in budget] == [(dt.date(2027, 12, 31), "due")]
    # nothing of the window is left out
    listed = {item.id for item in items}
    for m in stavanger_2027.milestones:
        if any(today <= day <= today + dt.timedelta(weeks=8)
               for day in (m.start, m.end, m.due) if day is not None):
            assert m.id in listed


def test_nothing_due_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["next", *STAVANGER, "--today", "2031-12-01", "--weeks", "1"], capsys)
    assert code == 0 and "Ingenting forfaller fra 01.12.2031 til 08.12.2031." in out


def test_today_defaults_to_the_clock_at_the_edge(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import plancycle.clock

    monkeypatch.setattr(plancycle.clock, "utc_today", lambda: dt.date(2028, 10, 1))
    data = _json([*STAVANGER, "--weeks", "4"], capsys)
    assert data["today"] == "2028-10-01"


def test_library_refuses_a_datetime_and_weeks_out_of_range(stavanger_2027: Schedule) -> None:
    with pytest.raises(InputError):
        due_soon(stavanger_2027, dt.datetime(2028, 10, 1), 4)  # type: ignore[arg-type]
    for weeks in (0, 521, -1):
        with pytest.raises(InputError, match="1 to 520"):
            due_soon(stavanger_2027, dt.date(2028, 10, 1), weeks)


@pytest.mark.parametrize(("args", "words"), [
    (["--weeks", "0"], ["--weeks 0", "fra 1 til 520"]),
    (["--weeks", "521"], ["--weeks 521", "fra 1 til 520"]),
    (["--weeks", "seks"], ["--weeks", "seks"]),
    (["--today", "1.10.2028"], ["--today", "1.10.2028"]),
])
def test_bad_input_is_one_line_in_bokmal_exit_2(args: list[str], words: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["next", *STAVANGER, *args], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("plancycle: feil: ")
    for word in words:
        assert word in err
    assert "not allowed" not in err and "invalid" not in err


def test_missing_year_names_both_ways(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["next", "--municipality", "Stavanger"], capsys)
    assert code == 2 and "--election-year" in err and "--term" in err


# -- a followed term ---------------------------------------------------------------------------------

@pytest.fixture
def bergen(tmp_path: Path) -> Path:
    path = tmp_path / "bergen-2027.toml"
    path.write_text('election_year = 2027\nmunicipality = "4601"\nconstituted = 2027-10-21\n',
                    encoding="utf-8")
    return path


def test_term_lists_overdue_first_and_leaves_out_what_is_done(
        bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _json(["--term", str(bergen), "--today", "2028-10-01", "--weeks", "4"], capsys)
    items = before["items"]
    assert isinstance(items, list)
    statuses = [item["status"] for item in items]
    overdue = statuses.count("overdue")
    assert overdue and statuses[:overdue] == ["overdue"] * overdue  # overdue first
    assert "done" not in statuses
    plan = {item["id"]: item for item in items}
    # nothing recorded: the planstrategi (planned in March 2028) is overdue, its deadline ahead
    assert (plan["planstrategi.adopted"]["status"], plan["planstrategi.adopted"]["date"],
            plan["planstrategi.adopted"]["event"]) == ("overdue", "2028-10-21", "due")
    assert run(["record", str(bergen), "planstrategi.adopted", "2028-06-15"]) == 0
    capsys.readouterr()
    after = _json(["--term", str(bergen), "--today", "2028-10-01", "--weeks", "4"], capsys)
    after_items = after["items"]
    assert isinstance(after_items, list)
    assert "planstrategi.adopted" not in {item["id"] for item in after_items}


def test_term_table_has_a_status_column(bergen: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["next", "--term", str(bergen), "--today", "2028-10-01", "--lang", "nn",
                         "--width", "200"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Bergen (4601): forfell 01.10.2028–12.11.2028")
    assert lines[2].split()[:2] == ["status", "dato"]
    assert lines[3].split()[0] == "forseinka"


def test_term_with_selection_options_is_refused(bergen: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["next", "--term", str(bergen), "--election-year", "2027"], capsys)
    assert code == 2 and err.count("\n") == 1
