"""The tables of ``next``, ``municipalities`` and ``rules`` fit the width like every other table
(issue 13, item 4): no line longer than COLUMNS or --width, every word of a long rule text
kept, the milestone ids only with --ids, dates as dd.mm.yyyy in bokmål and nynorsk and ISO in
English. Golden facts: the planstrategi of Stavanger's 2027 term is due by 21.10.2028 (a year
after the assumed constituent meeting, pbl § 10-1); the constituent meeting rested on koml 1992
§ 17 until 30.06.2019."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.i18n import Language, label
from plancycle.rules import rule_table
from plancycle.textable import DEFAULT_WIDTH, text_width

STAVANGER = ["--municipality", "Stavanger", "--election-year", "2027"]
NEXT = ["next", *STAVANGER, "--today", "2028-10-01", "--weeks", "8"]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NORWEGIAN_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests set COLUMNS themselves: the runner's own must not leak in."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def bergen(tmp_path: Path) -> Path:
    path = tmp_path / "bergen.toml"
    path.write_text('election_year = 2027\nmunicipality = "4601"\nconstituted = 2027-10-21\n',
                    encoding="utf-8")
    return path


def _out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = run(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out




def test_the_term_table_fits_too(bergen: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    for width in (80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        out = _out(["next", "--term", str(bergen), "--today", "2028-10-01", "--ids"], capsys)
        assert max(map(text_width, out.splitlines())) <= width
        assert "planstrategi.adopted" in out


def test_without_columns_a_piped_table_is_the_default_width(
        capsys: pytest.CaptureFixture[str]) -> None:
    out = _out(["rules"], capsys)
    assert DEFAULT_WIDTH - 15 < max(map(text_width, out.splitlines())) <= DEFAULT_WIDTH


def test_the_width_option_wins_over_columns(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    for argv in (NEXT, ["municipalities"], ["rules"], ["rules", "constitution"]):
        out = _out([*argv, "--width", "60"], capsys)
        assert max(map(text_width, out.splitlines())) <= 60, argv


def test_a_table_written_to_a_file_ignores_the_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    target = tmp_path / "rules.txt"
    _out(["rules", "--output", str(target)], capsys)
    widths = list(map(text_width, target.read_text(encoding="utf-8").splitlines()))
    assert 60 < max(widths) <= DEFAULT_WIDTH


# -- every word of a long rule text -------------------------------------------------------------

def _longest_rule(lang: Language) -> tuple[str, str]:
    table = rule_table()
    rule = max((table.versions(rule_id)[-1] for rule_id in table.ids),
               key=lambda r: len(r.title(lang)))
    return rule.id, rule.title(lang)


def _text_cell(out: str, rule_id: str, lang: Language) -> str:
    """The rule text of ``rule_id``'s row in the list: from its column, or from its line in a
    stacked block, continuation lines included."""
    lines = out.splitlines()
    name = label("rules_col_text", lang)
    header = lines[2]
    if header.split()[-1] == name:  # one row per rule, the text column wrapping
        column = header.index(name)
        start = next(i for i, line in enumerate(lines) if line.startswith(rule_id + " "))
        rows = [lines[start]]
        for line in lines[start + 1:]:
            if not line[:1].isspace():
                break
            rows.append(line)
        return " ".join(line[column:] for line in rows)
    # stacked: one block per rule, "header  value" a line
    start = next(i for i, line in enumerate(lines) if line.split() == ["id", rule_id])
    at = next(i for i in range(start, len(lines)) if lines[i].startswith(name + " "))
    return " ".join([lines[at][len(name):], *_continued(lines[at + 1:])])


def _continued(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if not line[:1].isspace() or not line.strip():
            break
        out.append(line)
    return out


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_long_rule_text_keeps_every_word(width: int, lang: Language,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    rule_id, text = _longest_rule(lang)
    assert text_width(text) > 2 * width  # so it has to wrap, whatever the layout
    out = _out(["rules", "--lang", lang, "--width", str(width)], capsys)
    shown = _text_cell(out, rule_id, lang)
    # the words in order, none lost or cut off (a word split at a hyphen joins up again)
    assert "".join(shown.split()) == "".join(text.split())
    assert max(map(text_width, out.splitlines())) <= width


@pytest.mark.parametrize("width", [80, 100])
def test_a_rule_in_full_keeps_every_word(width: int, capsys: pytest.CaptureFixture[str]) -> None:
    rule_id, text = _longest_rule("nb")
    out = _out(["rules", rule_id, "--width", str(width)], capsys)
    assert max(map(text_width, out.splitlines())) <= width
    assert "".join(text.split()) in "".join(out.split())
    assert len(out.splitlines()) > 6  # the text did wrap


# -- ids and dates --------------------------------------------------------------------------------

def test_next_shows_milestone_ids_only_with_ids(capsys: pytest.CaptureFixture[str]) -> None:
    plain = _out([*NEXT, "--width", "300"], capsys)
    assert "planstrategi.adopted" not in plain
    assert plain.splitlines()[2].split() == ["dato", "hva", "bindingsgrad", "regel", "milepæl"]
    with_ids = _out([*NEXT, "--width", "300", "--ids"], capsys)
    assert with_ids.splitlines()[2].split() == ["dato", "hva", "bindingsgrad", "regel", "id",
                                                "milepæl"]
    row = next(line for line in with_ids.splitlines() if " planstrategi.adopted " in line)
    assert row.split()[:3] == ["21.10.2028", "frist", "lovpålagt"]


def test_rule_ids_in_the_next_table_are_never_split(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    for width in (80, 100, 120):
        words = _out([*NEXT, "--width", str(width)], capsys).split()
        assert "planstrategi-deadline," in words and "planstrategi-decides" in words


def test_norwegian_tables_have_norwegian_dates_and_english_iso(
        capsys: pytest.CaptureFixture[str]) -> None:
    for lang in ("nb", "nn"):
        out = _out([*NEXT, "--lang", lang], capsys)
        assert "21.10.2028" in out and not ISO_DATE.search(out)
        heading = _out(["rules", "--lang", lang], capsys).splitlines()[0]
        assert NORWEGIAN_DATE.search(heading) and not ISO_DATE.search(heading)
    english = _out([*NEXT, "--lang", "en"], capsys)
    assert "2028-10-21" in english and not NORWEGIAN_DATE.search(english)
    assert _out(["rules", "--lang", "en"], capsys).splitlines()[0] == (
        f"The rule table, last revised {rule_table().revised.isoformat()}: "
        f"{len(rule_table().ids)} rules")
    # the periods in force of one rule: koml 1992 § 17 until 30 June 2019
    assert "i kraft til og med 30.06.2019" in _out(["rules", "constitution"], capsys)
    assert "in force until 2019-06-30" in _out(["rules", "constitution", "--lang", "en"], capsys)


def test_json_and_csv_keep_iso_dates(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("json", "csv"):
        out = _out([*NEXT, "--format", fmt], capsys)
        assert "2028-10-21" in out and not NORWEGIAN_DATE.search(out)
        out = _out(["rules", "constitution", "--format", fmt], capsys)
        assert "2019-06-30" in out and not NORWEGIAN_DATE.search(out)


@pytest.mark.parametrize("argv", [NEXT, ["municipalities"], ["rules"]])
def test_a_bad_width_is_one_line_in_bokmal_exit_2(argv: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert run([*argv, "--width", "30"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "ikke en gyldig bredde" in err and "fra 40 til 1000" in err
