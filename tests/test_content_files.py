"""Content files (issue 11): TOML and Excel round trips, the templates, and every broken file
refused with one line naming the file and the place, exit 2."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from plancycle.cli import run
from plancycle.content import load_content, load_document, to_toml
from plancycle.content.files import ContentError
from plancycle.content.schema import content_schema_pages
from plancycle.content.workbook import to_workbook
from plancycle.errors import PlanCycleError

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "content"
FILES = sorted(EXAMPLE.glob("*.toml"))


def _copy(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for path in FILES:
        target = tmp_path / path.name
        shutil.copy(path, target)
        out[path.stem] = target
    return out


def _fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = run(["thread", *argv, "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_example_document_round_trips_through_toml_and_xlsx(path: Path,
                                                                  tmp_path: Path) -> None:
    document = load_document(path)
    toml = tmp_path / "again.toml"
    toml.write_text(to_toml(document), encoding="utf-8")
    assert load_document(toml) == document
    xlsx = tmp_path / "again.xlsx"
    xlsx.write_bytes(to_workbook(document))
    assert load_document(xlsx) == document


def test_the_example_set_loads_with_four_budget_years() -> None:
    content = load_content(FILES)
    assert [b.year for b in content.budgets] == [2028, 2029, 2030, 2031]
    assert content.samfunnsdel is not None and len(content.samfunnsdel.focus_areas) == 6
    assert content.challenge_picture is not None
    assert content.challenge_picture.milestone == "samfunnsdel.challenge_picture"
    assert content.budgets[0].milestone == "action_economy_plan.2027.adopted"


def test_templates_are_written_and_a_filled_in_template_reads(tmp_path: Path) -> None:
    assert run(["thread", "--template", str(tmp_path / "t")]) == 0
    names = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert names == ["budget.xlsx", "challenge_picture.xlsx", "guidelines.xlsx",
                     "samfunnsdel.xlsx"]
    book = load_workbook(tmp_path / "t" / "budget.xlsx")
    front = book["document"]
    for row in front.iter_rows(min_row=2):
        key = row[0].value
        row[1].value = {"election_year": 2027, "year": 2029, "municipality": "Fjordvik"}.get(
            str(key), row[1].value)
    book["measures"].append(["m-1", "Et tiltak", "", "", 1000, "Indikator A; Indikator B",
                             "started"])
    book.save(tmp_path / "filled.xlsx")
    budget = load_document(tmp_path / "filled.xlsx")
    assert budget.kind == "budget"
    assert budget.measures[0].indicators == ("Indikator A", "Indikator B")
    assert budget.measures[0].amount == 1000


def test_published_content_schemas_are_current() -> None:
    for page, text in content_schema_pages().items():
        assert (ROOT / "docs" / page).read_text(encoding="utf-8") == text, (
            f"docs/{page} is stale: regenerate with `python -m plancycle.docs_gen`")


# --- broken files ------------------------------------------------------------------------------

def test_a_measure_citing_an_unknown_focus_area(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    files = _copy(tmp_path)
    path = files["budsjett-2030"]
    path.write_text(path.read_text(encoding="utf-8").replace(
        'focus_areas = ["sentrum"]', 'focus_areas = ["sentrumm"]'), encoding="utf-8")
    err = _fail(capsys, *map(str, files.values()))
    assert f"{path}: measures[4].focus_areas[1]: unknown focus area 'sentrumm'" in err


def test_an_unknown_sdg_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _copy(tmp_path)
    path = files["utfordringsbilde"]
    path.write_text(path.read_text(encoding="utf-8").replace('["3.4"]', '["3.4", "3.99"]'),
                    encoding="utf-8")
    err = _fail(capsys, str(path))
    assert f"{path}: themes[3].sdg_targets[2]: target 3.99 is not an SDG target" in err


def test_a_malformed_sdg_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.toml"
    path.write_text(EXAMPLE.joinpath("samfunnsdel.toml").read_text(encoding="utf-8").replace(
        '["8.3"]', '["8-3"]', 1), encoding="utf-8")
    err = _fail(capsys, str(path))
    assert f"{path}: goals[4].sdg_targets[1]: '8-3' is not a target number" in err


def test_duplicate_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "g.toml"
    path.write_text(EXAMPLE.joinpath("politiske-foringer.toml").read_text(encoding="utf-8")
                    .replace('id = "g6"', 'id = "g2"'), encoding="utf-8")
    err = _fail(capsys, str(path))
    assert f"{path}: guidelines[6].id: id 'g2' is used before (at guidelines[2].id)" in err


def test_bad_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('kind = "budget"\nyear = \n', encoding="utf-8")
    err = _fail(capsys, str(path))
    assert err.startswith(f"plancycle: error: {path}: not valid TOML")


@pytest.mark.parametrize(("text", "place", "words"), [
    ('schema_version = 1\nelection_year = 2027\n', "kind", "missing"),
    ('kind = "budsjett"\nelection_year = 2027\n', "kind", "'budsjett' is unknown"),
    ('schema_version = 2\nkind = "budget"\nelection_year = 2027\nyear = 2028\n',
     "schema_version", "not supported"),
    ('kind = "budget"\nelection_year = 2027\nyear = 2028\n[[measures]]\nid = "a"\n',
     "measures[1].title", "missing"),
    ('kind = "budget"\nelection_year = 2027\nyear = 2028\ncolour = 1\n', "colour", "unknown field"),
    ('kind = "budget"\nelection_year = 2027\nyear = 2028\n[[measures]]\nid = "a"\ntitle = "A"\n'
     'status = "finished"\n', "measures[1].status", "'finished' is not allowed"),
    ('kind = "budget"\nelection_year = 2027\nyear = 2028\n[[measures]]\nid = "a b"\n'
     'title = "A"\n', "measures[1].id", "not a valid id"),
])
def test_shape_errors_name_the_place(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     text: str, place: str, words: str) -> None:
    path = tmp_path / "doc.toml"
    path.write_text(text, encoding="utf-8")
    err = _fail(capsys, str(path))
    assert f"{path}: {place}: " in err and words in err, err


def test_too_many_measures_are_refused(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.toml"
    rows = "".join(f'[[measures]]\nid = "m{i}"\ntitle = "T"\n' for i in range(301))
    path.write_text(f'kind = "budget"\nelection_year = 2027\nyear = 2028\n{rows}',
                    encoding="utf-8")
    assert "at most 300" in _fail(capsys, str(path))


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in sheets.items():
        page = book.create_sheet(name)
        for row in rows:
            page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


DOC = [["key", "value"], ["kind", "budget"], ["election_year", 2027], ["year", 2029]]


def test_a_spreadsheet_with_a_missing_column(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "b.xlsx"
    path.write_bytes(_workbook({"document": DOC, "measures": [["id", "focus_areas"], ["a", ""]]}))
    err = _fail(capsys, str(path))
    assert f"{path}: measures!1: the column 'title' is missing; required: id, title" in err


def test_a_spreadsheet_cell_is_named_by_sheet_and_cell(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "b.xlsx"
    path.write_bytes(_workbook({"document": DOC, "measures": [
        ["id", "title", "status"], ["a", "A", "done"], ["b", "B", "finished"]]}))
    err = _fail(capsys, str(path))
    assert f"{path}: measures!C3: 'finished' is not allowed" in err


def test_a_spreadsheet_missing_a_sheet_or_unknown_column(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "b.xlsx"
    path.write_bytes(_workbook({"document": DOC}))
    assert "the sheet 'measures' is missing" in _fail(capsys, str(path))
    path.write_bytes(_workbook({"document": DOC, "measures": [["id", "title", "cost"]]}))
    assert f"{path}: measures!C1: unknown column 'cost'" in _fail(capsys, str(path))


def test_not_a_workbook_and_a_zip_bomb_are_refused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "b.xlsx"
    path.write_bytes(b"not a zip")
    assert "not an Excel workbook" in _fail(capsys, str(path))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"0" * 70_000_000)
    path.write_bytes(buffer.getvalue())
    assert "unpacks to 70000000 bytes" in _fail(capsys, str(path))


def test_missing_file_and_unknown_suffix(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert "no such file" in _fail(capsys, str(tmp_path / "none.toml"))
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    assert "unknown file type '.csv'" in _fail(capsys, str(tmp_path / "a.csv"))
    assert "no content files" in _fail(capsys)


def test_documents_of_two_terms_or_a_budget_twice(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    files = _copy(tmp_path)
    err = _fail(capsys, str(files["budsjett-2028"]), str(files["budsjett-2028"]))
    assert "budget year 2028 is given before" in err
    other = tmp_path / "other.toml"
    other.write_text(files["budsjett-2029"].read_text(encoding="utf-8").replace(
        "election_year = 2027", "election_year = 2031").replace("year = 2029", "year = 2032"),
        encoding="utf-8")
    assert "election year 2031, but" in _fail(capsys, str(files["samfunnsdel"]), str(other))


def test_errors_read_in_bokmal(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('kind = "budsjett"\nelection_year = 2027\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_document(path)
    assert isinstance(caught.value, PlanCycleError)
    assert "kind «budsjett» er ukjent" in caught.value.in_language("nb")


def test_the_command_exits_2_in_a_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("kind = [", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "plancycle", "thread", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
