"""The plan register's files (issue 10): round trips through TOML, CSV and XLSX, every broken file
refused with one line naming the file, row and column (exit 2 from the CLI), and the published
JSON Schema generated from the model and fitting the example."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from plancycle import docs_gen
from plancycle.cli import run
from plancycle.errors import DataError, InputError
from plancycle.plans import (
    COLUMNS,
    Decision,
    Plan,
    PlanRegister,
    load_plan_register,
    parse_start,
    write_plan_register,
)

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "plans"
HEADER = ",".join(COLUMNS)
GOOD = "kdp-klima,Klima og energi,kommunedelplan,Miljø,2011-02-24,2020-12-31,in_force,,revise,2028-Q3,,"


def _register() -> PlanRegister:
    return PlanRegister(
        plans=(Plan(id="kdp-klima", title='Klima, "energi" og miljø', type="kommunedelplan",
                    owner="Miljø", adopted=dt.date(2011, 2, 24), period_end=dt.date(2020, 12, 31),
                    url="https://example.no/klima", legal_basis="pbl § 11-1 tredje ledd",
                    tags=("klima", "energi")),
               Plan(id="tp-vann", title="Hovedplan vann", type="temaplan",
                    adopted=dt.date(1998, 10, 15)),
               Plan(id="str-ny", title="Ny strategi", type="strategi", status="under_revision")),
        decisions=(Decision(plan="kdp-klima", decision="revise", start="2028-09-01",
                            target=dt.date(2030, 6, 1)),
                   Decision(plan="tp-vann", decision="merge", merge_into="kdp-klima"),
                   Decision(plan="str-ny", decision="new", start="2029")))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".toml"])
def test_a_register_round_trips(tmp_path: Path, suffix: str) -> None:
    register = _register()
    path = tmp_path / f"planer{suffix}"
    write_plan_register(register, path)
    assert load_plan_register(path) == register


@pytest.mark.parametrize("suffix", [".xlsx", ".toml"])
def test_the_example_csv_and_its_twins_hold_the_same_register(tmp_path: Path, suffix: str) -> None:
    register = load_plan_register(EXAMPLE / "planregister.csv")
    assert len(register.plans) == 21
    assert load_plan_register(EXAMPLE / "planregister.xlsx") == register
    path = tmp_path / f"copy{suffix}"
    write_plan_register(register, path)
    assert load_plan_register(path) == register


def test_start_reads_a_year_a_quarter_or_a_date() -> None:
    assert parse_start("2028") == dt.date(2028, 1, 1)
    assert parse_start("2028-Q3") == dt.date(2028, 7, 1)
    assert parse_start("2028-09-01") == dt.date(2028, 9, 1)
    with pytest.raises(InputError, match="2028-Q5"):
        parse_start("2028-Q5")


def test_a_csv_with_a_bom_and_crlf_reads(tmp_path: Path) -> None:
    path = tmp_path / "planer.csv"
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + GOOD + "\r\n").encode("utf-8"))
    register = load_plan_register(path)
    assert register.plan("kdp-klima").adopted == dt.date(2011, 2, 24)
    decision = register.decision("kdp-klima")
    assert decision is not None and decision.start == dt.date(2028, 7, 1)


#: (rows after the header, the row and column the message must name, a word of the reason)
BROKEN_CSV = [
    (GOOD.replace("kommunedelplan", "kommunedelplanen"), "rad 2, kolonne C (type)", "kommunedelplanen"),
    (GOOD.replace("in_force", "gjeldende"), "rad 2, kolonne G (status)", "gjeldende"),
    (GOOD.replace("2011-02-24", "24.02.2011"), "rad 2, kolonne E (adopted)", "24.02.2011"),
    (GOOD.replace("2020-12-31", "2020-02-30"), "rad 2, kolonne F (period_end)", "2020-02-30"),
    (GOOD.replace("revise", "revider"), "rad 2, kolonne I (decision)", "revider"),
    (GOOD.replace("2028-Q3", "neste år"), "rad 2, kolonne J (start)", "neste år"),
    (GOOD.replace("kdp-klima", "KDP Klima"), "rad 2, kolonne A (id)", "KDP Klima"),
    (GOOD + "\n" + GOOD.replace("Klima og energi", "Klima igjen"), "rad 3, kolonne A (id)",
     "kdp-klima"),
    (GOOD.replace("revise,2028-Q3,,", "merge,,,tp-ukjent"), "rad 2, kolonne L (merge_into)",
     "tp-ukjent"),
    (GOOD.replace("revise,2028-Q3", "keep,2028-Q3"), "rad 2, kolonne J (start)", "keep"),
    (GOOD.replace("revise,2028-Q3", ",2028-Q3"), "rad 2, kolonne J (start)", "decision"),
    (GOOD.replace("Klima og energi", ""), "rad 2, kolonne B (title)", "tom"),
    (GOOD.replace(",,revise", ",javascript:alert(1),revise"), "rad 2, kolonne H (url)",
     "https://"),
    (GOOD + ",extra", "rad 2", "13"),
]


@pytest.mark.parametrize(("rows", "where", "word"), BROKEN_CSV)
def test_a_broken_csv_names_file_row_and_column(tmp_path: Path, rows: str, where: str,
                                                word: str) -> None:
    path = tmp_path / "planer.csv"
    path.write_text(HEADER + "\n" + rows + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_plan_register(path)
    message = caught.value.in_language("nb")
    assert "\n" not in message
    assert f"planregisteret {path}, {where}" in message
    assert word in message


def test_missing_and_unknown_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "planer.csv"
    path.write_text("id,title,type\nkdp-klima,Klima,kommunedelplan\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 1: the columns owner, adopted, .* are missing"):
        load_plan_register(path)
    path.write_text(HEADER + ",kommentar\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 1, column M: unknown column 'kommentar'"):
        load_plan_register(path)


def test_a_broken_xlsx_names_the_cell(tmp_path: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append(["kdp-klima", "Klima", "kommunedelplan", "Miljø", "i fjor"])
    path = tmp_path / "planer.xlsx"
    book.save(path)
    with pytest.raises(DataError, match=r"row 2, column E \(adopted\): 'i fjor' is not a date"):
        load_plan_register(path)
    (tmp_path / "not.xlsx").write_bytes(b"PK not a zip at all")
    with pytest.raises(DataError, match="not a valid Excel file"):
        load_plan_register(tmp_path / "not.xlsx")


def test_a_decision_for_a_plan_not_in_the_register_is_named(tmp_path: Path) -> None:
    path = tmp_path / "planer.toml"
    path.write_text('schema_version = 1\n[[plan]]\nid = "kdp-klima"\ntitle = "Klima"\n'
                    'type = "kommunedelplan"\n[[decision]]\nplan = "kdp-klima"\n'
                    'decision = "keep"\n[[decision]]\nplan = "tp-borte"\ndecision = "repeal"\n',
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"row decision\[2\], column plan: the decision is for "
                                        r"plan tp-borte, which is not in the plan register"):
        load_plan_register(path)
    with pytest.raises(InputError, match="tp-borte, which is not in the plan register"):
        PlanRegister(plans=(Plan(id="a", title="A", type="other"),),
                     decisions=(Decision(plan="tp-borte", decision="keep"),))


@pytest.mark.parametrize(("text", "match"), [
    ('[[plan]]\nid = "a"\ntitle = "A"\ntype = "plan"\n', r"row plan\[1\], column type: 'plan'"),
    ('[[plan]]\nid = "a"\ntitle = "A"\ntype = "other"\nadopted = "2019"\n',
     r"row plan\[1\], column adopted: '2019' is not a date"),
    ('schema_version = 2\n', "schema_version 2 is not supported"),
    ('[[plan]]\nid = "a"\ntitle = "A"\ntype = "other"\nfarge = "blå"\n',
     r"unknown key 'plan\[1\].farge'"),
    ('[[plan]\n', "not valid TOML"),
])
def test_a_broken_toml_is_one_line(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "planer.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=match) as caught:
        load_plan_register(path)
    assert "\n" not in str(caught.value)


def test_bounds_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "planer.csv"
    rows = "".join(f"p{n},Plan {n},other,,,,,,,,,\n" for n in range(5_001))
    path.write_text(HEADER + "\n" + rows, encoding="utf-8")
    with pytest.raises(DataError, match="more than 5000 plans"):
        load_plan_register(path)
    path.write_text(HEADER + "\n" + GOOD.replace("Klima og energi", "x" * 301) + "\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"column B \(title\): title has 301 characters"):
        load_plan_register(path)
    with pytest.raises(DataError, match="unknown file type"):
        load_plan_register(tmp_path / "planer.docx")


def test_the_cli_exits_2_with_one_line_naming_the_cell(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "planer.csv").write_text(HEADER + "\n" + GOOD.replace("in_force", "gammel")
                                         + "\n", encoding="utf-8")
    term = tmp_path / "term.toml"
    term.write_text('election_year = 2027\nmunicipality = "3407"\nplans = "planer.csv"\n',
                    encoding="utf-8")
    assert run(["plans", str(term), "--today", "2029-01-01", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "row 2, column G (status): 'gammel' is not allowed" in err


# -- the JSON Schema ------------------------------------------------------------------------------
SCHEMA = ROOT / "docs" / docs_gen.PLAN_REGISTER_SCHEMA


def test_the_published_schema_is_what_the_model_generates() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == docs_gen.pages()[docs_gen.PLAN_REGISTER_SCHEMA]


def _check(value: Any, schema: dict[str, Any], defs: dict[str, Any], where: str) -> None:
    """A small JSON Schema check (the keywords pydantic emits for the register)."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                _check(value, option, defs, where)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{where}: no option fits: {errors}")
    kinds = {"string": str, "integer": int, "array": list, "object": dict, "null": type(None),
             "boolean": bool}
    if "type" in schema:
        assert isinstance(value, kinds[schema["type"]]), f"{where}: {value!r} not {schema['type']}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if schema.get("format") == "date":
        dt.date.fromisoformat(value)
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: {key} missing"
        for key, item in value.items():
            assert key in schema["properties"], f"{where}: {key} not allowed"
            _check(item, schema["properties"][key], defs, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            _check(item, schema["items"], defs, f"{where}[{index}]")


def test_the_schema_validates_the_example_and_refuses_a_wrong_type() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = load_plan_register(EXAMPLE / "planregister.csv").model_dump(mode="json")
    _check(data, schema, schema["$defs"], "register")
    data["plans"][0]["type"] = "kommuneplan"
    with pytest.raises(AssertionError, match=re.escape("'kommuneplan' not in")):
        _check(data, schema, schema["$defs"], "register")
