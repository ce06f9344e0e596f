"""The årshjul and the timeline of a followed term with a plan register show the plans (one
ring or row, "Planer"/"Plans"), and refuse a term file together with the options it replaces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plancycle.cli import run

TERM = Path(__file__).parents[1] / "examples" / "plans" / "eksempelby-2027.toml"


@pytest.mark.parametrize("argv", [["wheel", "--term-file", str(TERM), "--year", "2029"],
                                  ["timeline", "--term", str(TERM)]])
def test_the_wheel_and_timeline_of_a_term_with_plans_show_them(
        argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "picture.svg"
    assert run([*argv, "--lang", "en", "--output", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert re.search(r">(\d\. )?Plans<", svg)  # the ring (numbered) or the row
    assert "plan.kdp-klima." in svg  # the revised climate plan's milestones are drawn
    capsys.readouterr()


def test_a_term_file_replaces_the_selection_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["wheel", "--term-file", str(TERM), "--election-year", "2027", "--lang", "en"]) == 2
    assert "--term-file: not allowed with argument --election-year" in capsys.readouterr().err
