"""The wheel and the timeline in a real browser: headless Chromium renders each SVG to a PNG of
exactly the SVG's size that is not blank, and measures every text no wider than the estimate
the label placement relies on. Skipped only where Chromium is not installed."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.models import Schedule
from plancycle.svg import timeline_svg, wheel_svg
from plancycle.svg.check import size
from plancycle.svg.metrics import text_width

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False)


def _png(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) image data of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        if kind == b"IDAT":
            chunks.append(data[position + 8:position + 8 + length])
        position += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


@pytest.fixture(scope="module")
def stavanger() -> Schedule:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
    return build_schedule(period, find_municipality("Stavanger"), "samskaping", lang="nb")


@pytest.mark.parametrize("view", ["year", "term", "timeline"])
def test_chromium_renders_a_non_blank_png_of_the_svg_size(view: str, stavanger: Schedule,
                                                         tmp_path: Path) -> None:
    svg = {"year": lambda: wheel_svg(stavanger), "term": lambda: wheel_svg(stavanger, term=True),
           "timeline": lambda: timeline_svg(stavanger)}[view]()
    width, height = size(svg)
    source, picture = tmp_path / f"{view}.svg", tmp_path / f"{view}.png"
    source.write_bytes(svg)
    _chromium(tmp_path / "profile", f"--screenshot={picture}", f"--window-size={width},{height}",
              source.as_uri())
    png_width, png_height, pixels = _png(picture)
    assert (png_width, png_height) == (width, height)
    # A blank picture filters to rows of 0 (or 255) bytes; drawn text and shapes leave many
    # intermediate values behind.
    varied = sum(1 for byte in pixels if byte not in (0, 255))
    assert varied > 0.01 * len(pixels)


def test_chromium_measures_every_text_no_wider_than_the_estimate(stavanger: Schedule,
                                                                 tmp_path: Path) -> None:
    english = stavanger.model_copy(update={"lang": "en"})
    svgs = [wheel_svg(stavanger), wheel_svg(stavanger, term=True), timeline_svg(stavanger),
            wheel_svg(english, year=2027)]
    page = ["<!DOCTYPE html><html><body>"]
    page += [svg.decode().split("?>", 1)[1] for svg in svgs]
    page.append("<pre id='out'></pre><script>const out = [];"
                "document.querySelectorAll('svg').forEach((svg, s) => svg.querySelectorAll('text')"
                ".forEach((t, i) => out.push([s, i, t.getComputedTextLength()])));"
                "document.getElementById('out').textContent = JSON.stringify(out);</script>"
                "</body></html>")
    source = tmp_path / "measure.html"
    source.write_text("".join(page), encoding="utf-8")
    result = _chromium(tmp_path / "profile", "--dump-dom", source.as_uri())
    found = re.search(r"<pre id=\"out\">(.*?)</pre>", result.stdout, re.S)
    assert found, result.stderr[-2000:]
    measured = json.loads(html.unescape(found.group(1)))
    texts = [list(ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")) for svg in svgs]
    assert len(measured) == sum(len(t) for t in texts)
    for s, i, real in measured:
        element = texts[s][i]
        estimate = text_width(element.text or "", float(element.get("font-size", "0")),
                              bold=element.get("font-weight") == "bold")
        assert real <= estimate + 0.01, (element.text, real, estimate)
