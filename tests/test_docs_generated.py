"""The generated documentation pages are up to date and are really generated from the data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from plancycle import docs_gen
from plancycle.diagram import ALL_PROCESSES, to_mermaid
from plancycle.processes import PROCESS_MODELS, definition
from plancycle.rules import rule_table

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
FIX = "stale: regenerate with `python -m plancycle.docs_gen` and commit the result"


@pytest.mark.parametrize("page", [docs_gen.RULES_PAGE, docs_gen.DIAGRAMS_PAGE])
def test_committed_page_is_what_the_code_generates(page: str) -> None:
    committed = (DOCS / page).read_text(encoding="utf-8")
    assert committed == docs_gen.pages()[page], f"docs/{page} is {FIX}"


def test_rule_table_has_one_row_per_rule_version_with_its_fields() -> None:
    table = rule_table()
    page = docs_gen.rules_page(table)
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    assert len(rows) == len(table.rules)
    for row, rule in zip(rows, table, strict=True):
        assert row.startswith(f"| `{rule.id}`")
        assert rule.text.en.replace("|", "\\|") in row
        assert f"| {rule.binding} | {rule.confidence} |" in row
        for basis in rule.basis:
            assert basis.section in row
            if basis.url:
                assert f"]({basis.url})" in row
        if not rule.in_force:
            assert "not in force" in row
        if rule.valid_from:
            assert f"from {rule.valid_from.isoformat()}" in row
        if rule.valid_to:
            assert f"until {rule.valid_to.isoformat()}" in row


def test_rule_table_follows_the_data_it_is_given() -> None:
    table = rule_table()
    first = table.rules[0]
    changed = first.model_copy(update={
        "text": first.text.model_copy(update={"en": "A rule text with a | pipe."}),
        "params": {"days": 99},
    })
    page = docs_gen.rules_page(table.model_copy(update={"rules": (changed, *table.rules[1:])}))
    assert "A rule text with a \\| pipe." in page
    assert "days = 99" in page
    assert first.text.en not in page.split("\n| `")[1]


def test_diagrams_page_holds_every_process_in_every_model() -> None:
    page = docs_gen.diagrams_page()
    for name in ALL_PROCESSES:
        assert f"(`{name}`)" in page
        for model in PROCESS_MODELS:
            drawing = to_mermaid(definition(name, model, county=name == "regional_planstrategi"), "en")
            body = drawing.split("---\n", 2)[2]
            arrows = [line.strip() for line in body.splitlines() if " : " in line]
            for arrow in arrows:
                assert arrow in page, f"{name}/{model}: {arrow}"


def test_write_rewrites_only_stale_pages(tmp_path: Path) -> None:
    written = docs_gen.write(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(docs_gen.pages())
    assert docs_gen.write(tmp_path) == []
    stale = tmp_path / docs_gen.RULES_PAGE
    stale.write_text("old\n", encoding="utf-8")
    assert docs_gen.write(tmp_path) == [stale]
    assert stale.read_text(encoding="utf-8") == docs_gen.pages()[docs_gen.RULES_PAGE]


def test_module_entry_point_writes_into_the_given_folder(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "plancycle.docs_gen", str(tmp_path)],
                          capture_output=True, text=True, check=True)
    assert "reference/rules.md" in proc.stdout
    assert (tmp_path / docs_gen.DIAGRAMS_PAGE).exists()

