"""Every ```python example of the documentation site runs, and prints what the page says it prints.

The blocks of one page run in order in one namespace (a page reads like one session). The comment
lines right after a ``print(...)`` statement are its expected output, one comment line per line.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "research" not in p.relative_to(DOCS).parts)
_BLOCK = re.compile(r"^(?P<indent> *)```python\n(?P<code>.*?)^(?P=indent)```", re.M | re.S)


def python_blocks(text: str) -> list[str]:
    """The ```python blocks of a page, dedented (blocks inside tabs or admonitions are indented)."""
    blocks = []
    for match in _BLOCK.finditer(text):
        indent = len(match["indent"])
        blocks.append("".join(line[indent:] for line in match["code"].splitlines(keepends=True)))
    return blocks


def expected_output(code: str) -> list[str]:
    """The comment lines right after a ``print(...)`` statement: the output the page promises."""
    lines = code.splitlines()
    ends = sorted({node.end_lineno for node in ast.walk(ast.parse(code))
                   if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                   and isinstance(node.value.func, ast.Name) and node.value.func.id == "print"
                   and node.end_lineno is not None})
    out: list[str] = []
    for end in ends:
        for line in lines[end:]:
            if not line.strip().startswith("# "):
                break
            out.append(line.strip()[2:])
    return out


def _page_id(page: Path) -> str:
    return str(page.relative_to(DOCS))


def test_the_site_has_python_examples() -> None:
    assert sum(len(python_blocks(p.read_text(encoding="utf-8"))) for p in PAGES) >= 5


@pytest.mark.parametrize("page", [p for p in PAGES if python_blocks(p.read_text(encoding="utf-8"))],
                         ids=_page_id)
def test_python_examples_run_and_print_what_the_page_says(page: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    code = "\n".join(python_blocks(page.read_text(encoding="utf-8")))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(page), "exec"), {"__name__": "__docs__"})
    printed = out.getvalue().splitlines()
    assert printed == expected_output(code)


def test_expected_output_reads_comments_after_print_only() -> None:
    code = ('x = 1\n# not output\nprint(x)\n# 1\nprint("a\\nb")\n# a\n# b\ny = 2\n# not output\n'
            'for i in (3, 4):\n    print(\n        i)\n# 3\n# 4\n')
    assert expected_output(code) == ["1", "a", "b", "3", "4"]


def test_indented_blocks_are_found_and_dedented() -> None:
    text = '=== "tab"\n\n    ```python\n    print(1)\n    # 1\n    ```\n\n```python\nx = 2\n```\n'
    assert python_blocks(text) == ["print(1)\n# 1\n", "x = 2\n"]
