"""The README's Python examples run, and its list of unverified rules is complete."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from plancycle import rule_table

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_python_examples_run_and_print_what_the_readme_says() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks
    code = "\n".join(blocks)
    out = io.StringIO()
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), namespace)
    for expected in re.findall(r"^# (\d{4}-.*)$", code, flags=re.M):
        assert expected in out.getvalue()
    assert namespace["planstrategi"].allowed_triggers() == ["start_work"]  # type: ignore[attr-defined]


def test_every_unverified_rule_is_listed_in_the_readme() -> None:
    section = README.split("## What is not verified in the law table")[1].split("\n## ")[0]
    for rule in rule_table():
        if rule.confidence == "U" or not rule.in_force:
            assert f"`{rule.id}`" in section, rule.id
