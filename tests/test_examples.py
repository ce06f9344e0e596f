"""The examples in examples/ run and do what they say."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parents[1] / "examples"


def _run(script: str, *args: str, cwd: Path) -> str:
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), *args], cwd=cwd,
                          capture_output=True, text=True, check=True)
    return proc.stdout


def test_stavanger_calendar_example_writes_a_calendar(tmp_path: Path) -> None:
    out = _run("stavanger_calendar.py", str(tmp_path / "s.ics"), cwd=tmp_path)
    assert "2028-10-21  Planning strategy adopted by the council" in out
    assert (tmp_path / "s.ics").read_bytes().count(b"BEGIN:VEVENT") > 50


def test_late_planstrategi_example_reports_the_deadline_breach(tmp_path: Path) -> None:
    out = _run("late_planstrategi.py", cwd=tmp_path)
    assert "state: adopted" in out
    assert "planstrategi-deadline: 12 days late" in out
