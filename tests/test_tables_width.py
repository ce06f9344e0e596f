"""Terminal tables that fit (issue 13, item 4): every table at most COLUMNS characters wide,
titles wrapped but whole, the internal ids only with --ids, dates as dd.mm.yyyy in bokmål and
nynorsk, headers and values in the user's language."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.i18n import label
from plancycle.textable import DEFAULT_WIDTH, date_cell, fit, terminal_width, text_width, wrap

ROOT = Path(__file__).parents[1]
TERM = ROOT / "examples" / "terms" / "stavanger-2027.toml"
PLANS = ROOT / "examples" / "plans" / "eksempelby-2027.toml"
CONTENT = sorted((ROOT / "examples" / "content").glob("*.toml"))
SCENARIO = ROOT / "examples" / "scenarios" / "late_hearing.toml"
SCHEDULE = ["schedule", "--municipality", "Stavanger", "--election-year", "2027",
            "--constituted", "2027-10-21"]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = run(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests set COLUMNS themselves: the runner's own must not leak in."""
    monkeypatch.delenv("COLUMNS", raising=False)


# -- every table fits ------------------------------------------------------------------------

STAVANGER = ["--municipality", "Stavanger", "--election-year", "2027"]
NEXT = ["next", *STAVANGER, "--today", "2028-10-01", "--weeks", "8"]
TABLES = {
    "schedule": SCHEDULE,
    "schedule-en-ids": [*SCHEDULE, "--lang", "en", "--ids"],
    "status": ["status", str(TERM), "--today", "2029-03-01"],
    "status-nn-ids": ["status", str(TERM), "--today", "2029-03-01", "--lang", "nn", "--ids"],
    "measures": ["measures", str(TERM), str(TERM)],
    "plans": ["plans", str(PLANS), "--today", "2029-01-15"],
    "simulate": ["simulate", str(SCENARIO), "--quiet"],
    "compare": ["compare", "--election-year", "2027", "--municipality", "Stavanger",
                "--municipality", "Bergen", "--runs", "3", "--seed", "1", "--quiet"],
    "thread": ["thread", *map(str, CONTENT), "--term", str(TERM), "--today", "2029-03-01"],
    "sdgs": ["sdgs", "by"],
    "next": NEXT,
    "next-ids": [*NEXT, "--ids"],
    "next-nn-ids": [*NEXT, "--lang", "nn", "--ids"],
    "next-en": [*NEXT, "--lang", "en"],
    "next-nothing": ["next", *STAVANGER, "--today", "2030-07-01", "--weeks", "1"],
    "municipalities": ["municipalities"],
    "municipalities-en": ["municipalities", "nord", "--lang", "en"],
    "rules": ["rules"],
    "rules-nn": ["rules", "--lang", "nn"],
    "rules-en": ["rules", "--lang", "en"],
    "rules-search": ["rules", "planstrategi"],
    "rule-in-full": ["rules", "constitution"],
    "rule-in-full-en": ["rules", "public-health-overview-planned", "--lang", "en"],
}


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_no_line_is_longer_than_columns(name: str, width: int, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = _out(TABLES[name], capsys)
    longest = max(out.splitlines(), key=text_width)
    assert text_width(longest) <= width, longest
    # and the width is used, not a narrower one: the tables are wide enough to need it
    if name in ("schedule", "status", "plans"):
        assert text_width(longest) > width - 15


def test_without_columns_a_piped_table_is_the_default_width(
        capsys: pytest.CaptureFixture[str]) -> None:
    out = _out([*SCHEDULE, "--ids"], capsys)
    assert DEFAULT_WIDTH - 15 < max(map(text_width, out.splitlines())) <= DEFAULT_WIDTH


def test_the_width_option_wins_over_columns(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = _out([*SCHEDULE, "--width", "60"], capsys)
    assert max(map(text_width, out.splitlines())) <= 60


def test_a_table_written_to_a_file_ignores_the_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    target = tmp_path / "plan.txt"
    _out([*SCHEDULE, "--ids", "--output", str(target)], capsys)
    widths = list(map(text_width, target.read_text(encoding="utf-8").splitlines()))
    assert 60 < max(widths) <= DEFAULT_WIDTH


def test_long_titles_wrap_with_every_word_kept(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    titles = [m["title"] for m in json.loads(_out([*SCHEDULE, "--format", "json"],
                                                  capsys))["milestones"]]
    monkeypatch.setenv("COLUMNS", "80")
    out = _out(SCHEDULE, capsys)
    words = out.split()
    longest = max(titles, key=len)
    assert len(longest) > 40  # so it has to wrap at 80 columns beside four dates and two codes
    for title in titles:
        assert " ".join(title.split()) in " ".join(words), title
    # the continuation of a wrapped title starts in the title column, not at the margin
    header = out.splitlines()[0]
    column = header.index(label("tables_col_title", "nb"))
    continued = [line for line in out.split("\n\n")[0].splitlines()[1:] if line[:10].isspace()]
    assert continued and all(len(line) - len(line.lstrip()) == column for line in continued)


def test_below_the_fixed_columns_each_row_becomes_a_block(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "44")
    out = _out(SCHEDULE, capsys)
    assert max(map(text_width, out.splitlines())) <= 44
    assert "frist      21.10.2028" in out  # name and value a line, the dates whole


# -- ids, dates and words ---------------------------------------------------------------------

def test_the_id_column_only_with_ids(capsys: pytest.CaptureFixture[str]) -> None:
    plain = _out(SCHEDULE, capsys)
    assert "planstrategi.adopted" not in plain
    assert plain.splitlines()[0].split() == ["start", "slutt", "frist", "bindende", "sikkerhet",
                                             "tittel"]
    with_ids = _out([*SCHEDULE, "--ids", "--width", "300"], capsys)
    assert with_ids.splitlines()[0].split()[5] == "id"
    row = next(line for line in with_ids.splitlines() if " planstrategi.adopted " in line)
    # the planstrategi of the 2027 term is due one year after the constituent meeting
    assert "21.10.2028" in row and "lovpålagt" in row
    # the status table (the rule messages under it name milestones by id either way)
    status = _out(["status", str(TERM), "--today", "2029-03-01"], capsys).split("\n\n")[1]
    assert "planstrategi.adopted" not in status
    assert "planstrategi.adopted" in _out(["status", str(TERM), "--today", "2029-03-01",
                                           "--ids"], capsys).split("\n\n")[1]


def test_json_and_csv_keep_ids_and_iso_dates(capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(_out([*SCHEDULE, "--format", "csv"], capsys))))
    adopted = next(r for r in rows if r["id"] == "planstrategi.adopted")
    assert adopted["due"] == "2028-10-21" and adopted["binding"] == "statutory"
    doc = json.loads(_out([*SCHEDULE, "--format", "json"], capsys))
    assert any(m["due"] == "2028-10-21" for m in doc["milestones"])


def test_norwegian_tables_have_norwegian_dates(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (SCHEDULE, [*SCHEDULE, "--lang", "nn"], TABLES["status"], TABLES["measures"],
                 TABLES["plans"]):
        table = _out(argv, capsys).split("\n\n")
        assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", "".join(table)), argv
        # the rows carry no ISO date (messages of the rules, after the table, may)
        assert not ISO_DATE.search(table[0] if argv[0] != "status" else table[1]), argv
    assert date_cell(None, "nb") == ""


def test_english_tables_have_english_headers_values_and_iso_dates(
        capsys: pytest.CaptureFixture[str]) -> None:
    out = _out([*SCHEDULE, "--lang", "en", "--ids", "--width", "300"], capsys)
    lines = out.splitlines()
    assert lines[0].split() == ["start", "end", "due", "binding", "conf", "id", "title"]
    row = next(line for line in lines if " planstrategi.adopted " in line)
    assert "2028-10-21" in row and "statutory" in row
    assert lines[-1].startswith("conf: L law text")


def test_binding_values_and_legend_in_nynorsk(capsys: pytest.CaptureFixture[str]) -> None:
    out = _out([*SCHEDULE, "--lang", "nn", "--width", "300"], capsys)
    assert out.splitlines()[0].split()[:4] == ["start", "slutt", "frist", "bindande"]
    assert "lovpålagd" in out and "tilrådd" in out and "praksis" in out
    assert "statutory" not in out and "lovpålagt" not in out
    assert out.splitlines()[-1] == label("tables_legend", "nn")


def test_statuses_in_the_users_language(capsys: pytest.CaptureFixture[str]) -> None:
    nb = _out(["status", str(TERM), "--today", "2029-03-01", "--width", "200"], capsys)
    nn = _out(["status", str(TERM), "--today", "2029-03-01", "--width", "200", "--lang", "nn"],
              capsys)
    first = [line.split()[0] for line in nb.split("\n\n")[1].splitlines()[1:]
             if line[:1].isalpha()]
    assert {"utført*", "forsinket", "planlagt"} <= set(first)
    assert "forseinka" in nn and "planlagd" in nn and "forsinket" not in nn
    assert nb.splitlines()[0].endswith("status per 01.03.2029")


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "10", "5000", "-80", "٨٠"])
def test_a_bad_width_is_one_line_in_the_users_language(value: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run([*SCHEDULE, "--width", value]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "ikke en gyldig bredde" in err and "fra 40 til 1000" in err


# -- the layout ---------------------------------------------------------------------------------

def test_widths_count_what_the_terminal_shows() -> None:
    assert text_width("Bærum") == 5
    assert text_width("Bæ\u0301rum") == 5  # a combining accent takes no column
    assert text_width("東京") == 4
    assert all(text_width(line) <= 5 for line in wrap("東京都庁舎 Tromsø", 5))


def test_fit_keeps_fixed_columns_whole() -> None:
    rows = [["start", "tittel"], ["02.03.2028", "Kommuneplanens samfunnsdel vedtatt av kommunestyret"]]
    lines = fit(rows, 40, wrapping=1)
    assert all(text_width(line) <= 40 for line in lines)
    assert lines[1].startswith("02.03.2028  Kommuneplanens")
    assert " ".join(" ".join(line.split()) for line in lines[1:]).split()[1:] == rows[1][1].split()
    assert fit(rows, None, wrapping=1)[1] == "02.03.2028  " + rows[1][1]


def test_terminal_width_reads_columns_then_the_terminal() -> None:
    assert terminal_width({"COLUMNS": "100"}) == 100
    assert terminal_width({"COLUMNS": "20"}) == 40  # the narrowest layout
    assert terminal_width({"COLUMNS": "wide"}) == DEFAULT_WIDTH
    assert terminal_width({}, io.StringIO()) == DEFAULT_WIDTH  # not a terminal
