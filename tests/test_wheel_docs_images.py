"""The årshjul and timeline pictures in docs/img are what the commands draw today, so the
documentation cannot show a wheel the code no longer makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancycle.cli import run

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "img"
SELECTION = ["--election-year", "2027", "--municipality", "Stavanger", "--model", "samskaping"]
PICTURES = {
    "arshjul-2027.svg": ["wheel", *SELECTION],
    "arshjul-2027-term.svg": ["wheel", *SELECTION, "--term"],
    "timeline-2027.svg": ["timeline", *SELECTION],
}


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_docs_picture_is_current(name: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    fresh = tmp_path / name
    assert run([*PICTURES[name], "--output", str(fresh)]) == 0
    capsys.readouterr()
    command = " ".join(["plancycle", *PICTURES[name], "--output", f"docs/img/{name}"])
    assert (IMAGES / name).read_bytes() == fresh.read_bytes(), f"stale picture: run {command}"
