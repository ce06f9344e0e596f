"""wheel and timeline draw SVG only: --output x.png (or .pdf, .jpg) is refused in one line that
names today's way to make the file from the SVG, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancycle.cli import run

STAVANGER = ["--municipality", "Stavanger", "--election-year", "2027"]


@pytest.mark.parametrize("command", ["wheel", "timeline"])
@pytest.mark.parametrize(("name", "kind"), [("x.png", "png"), ("x.PDF", "pdf"), ("x.jpg", "png")])
def test_a_non_svg_output_is_refused_naming_rsvg_convert(
        command: str, name: str, kind: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / name
    code = run([command, *STAVANGER, "--output", str(target)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("plancycle: feil: ")
    assert "bare SVG" in err and "librsvg2-bin" in err
    assert f"rsvg-convert -f {kind} -o {target.with_suffix('.' + kind)} " in err
    assert f"--output {target.with_suffix('.svg')}" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["x.svg", "x.SVG", "x"])
def test_svg_or_no_suffix_is_written(name: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / name
    assert run(["timeline", *STAVANGER, "--output", str(target)]) == 0
    capsys.readouterr()
    assert target.read_bytes().lstrip().startswith((b"<?xml", b"<svg"))
