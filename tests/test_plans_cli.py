"""``plancycle plans`` on the example term (issue 10, item 6): the report in four formats, the
overview page, the template, and bad input as one line with exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.plans import COLUMNS, load_plan_register

EXAMPLE = Path(__file__).parents[1] / "examples" / "plans"


@pytest.fixture
def term(tmp_path: Path) -> Path:
    for name in ("eksempelby-2027.toml", "planregister.csv"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return tmp_path / "eksempelby-2027.toml"


def test_the_table_shows_register_load_and_stale_plans(term: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plans", str(term), "--today", "2029-06-01", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    for plan in load_plan_register(EXAMPLE / "planregister.csv").plans:
        assert plan.id in out
    assert "Plan load per quarter" in out and "2029-Q1" in out
    assert "tp-kulturminne: adopted 2012-03-29, before 2023-01-01" in out
    assert "21 plans, 18 decided on in the planstrategi" in out


def test_json_has_load_and_stale_and_a_capacity_warning(term: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plans", str(term), "--today", "2029-06-01", "--format", "json",
                "--capacity", "1"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["stale_before"] == "2023-01-01"
    assert len(data["load"]) == 16
    stale = {item["plan"]: item["reasons"] for item in data["stale"]}
    assert stale["tp-kulturminne"] == ["old"]
    assert stale["tp-landbruk"] == ["old", "no_owner"]
    assert data["warnings"] and all(w["capacity"] == 1 for w in data["warnings"])
    assert "kapasiteten 1" in captured.err


def test_csv_and_xlsx_reports(term: Path, tmp_path: Path) -> None:
    assert run(["plans", str(term), "--today", "2029-06-01", "--format", "csv",
                "--output", str(tmp_path / "r.csv")]) == 0
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 22
    assert run(["plans", str(term), "--today", "2029-06-01", "--format", "xlsx",
                "--output", str(tmp_path / "r.xlsx")]) == 0
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    book = load_workbook(tmp_path / "r.xlsx")
    assert len(book.sheetnames) == 3
    assert book.worksheets[0].max_row == 22


def test_html_writes_the_overview(term: Path, tmp_path: Path) -> None:
    assert run(["plans", str(term), "--today", "2029-06-01", "--html", str(tmp_path / "site")]) == 0
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Planoversikt: Gjøvik kommune" in page
    assert page.count('<tr id="plan-') == 21
    assert "<script" not in page


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".toml"])
def test_the_template_is_an_empty_register_that_reads(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"planer{suffix}"
    assert run(["plans", "--template", "--output", str(target)]) == 0
    assert load_plan_register(target).plans == ()
    if suffix == ".xlsx":
        from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

        book = load_workbook(target)
        assert book.sheetnames == ["Planer", "Forklaring"]
        assert [row[0] for row in book["Forklaring"].iter_rows(min_row=2, values_only=True)
                ][:len(COLUMNS)] == list(COLUMNS)


@pytest.mark.parametrize("argv", [
    ["plans"],
    ["plans", "--template"],
    ["plans", "--template", "--output", "planer.docx"],
    ["plans", "missing-term.toml"],
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, argv: list[str],
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("plancycle: feil: ")


def test_a_term_without_a_register_is_refused(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    term = tmp_path / "term.toml"
    term.write_text('election_year = 2027\nmunicipality = "3407"\n', encoding="utf-8")
    assert run(["plans", str(term), "--lang", "en"]) == 2
    assert "has no plan register" in capsys.readouterr().err


def test_the_service_route_renders_a_stored_term_with_a_register() -> None:
    pytest.importorskip("fastapi")
    import datetime as dt

    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from plancycle.service.plans_page import router
    from plancycle.service.service import NotFound
    from plancycle.termfile import load_term

    stored = load_term(EXAMPLE / "eksempelby-2027.toml")

    class Store:
        def term(self, owner: str, election_year: int) -> object:
            return stored if owner == "3407" else stored.model_copy(update={"plans": None})

    class Service:
        store = Store()

        def today(self) -> dt.date:
            return dt.date(2029, 6, 1)

        def term_ref(self, owner: str, election_year: str) -> tuple[str, int]:
            if election_year != "2027":
                raise NotFound(key="service_no_year", year=election_year)
            return owner, 2027

    app = FastAPI()
    app.state.service = Service()
    app.include_router(router)
    client = TestClient(app)
    answer = client.get("/plans/3407/2027?lang=nn")
    assert answer.status_code == 200
    assert answer.text.count('<tr id="plan-') == 21 and "Gjeldande" in answer.text
    assert "style-src 'sha256-" in answer.headers["content-security-policy"]
    assert client.get("/plans/3407/2026").status_code == 404
    assert client.get("/plans/0301/2027").status_code == 404
    assert client.get("/plans/3407/2027?lang=de").status_code == 400
    assert client.get("/plans/3407/2027?today=i-dag").status_code == 400


def test_a_capacity_per_owner_warns_for_that_owner_only(term: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """In the example, Plan og samfunn (owner of the arealdel and the housing plan) runs two
    plan processes at once from 2029-Q2; Oppvekst never more than one."""
    assert run(["plans", str(term), "--today", "2029-06-01", "--format", "json", "--lang", "en",
                "--capacity", "Plan og samfunn=1,Oppvekst=1"]) == 0
    captured = capsys.readouterr()
    warnings = json.loads(captured.out)["warnings"]
    assert warnings and {w["owner"] for w in warnings} == {"Plan og samfunn"}
    assert "2029-Q2: Plan og samfunn has 2 plan processes at once" in captured.err


@pytest.mark.parametrize("value", ["0", "Helse=0", "=2", "Helse=1,Helse=2", "Helse=x"])
def test_a_bad_capacity_is_one_line(term: Path, value: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plans", str(term), "--capacity", value, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("plancycle: error: argument --capacity") and err.count("\n") == 1
