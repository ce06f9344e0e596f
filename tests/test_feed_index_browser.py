"""The index page in a real browser: headless Chromium renders it (a non-blank screenshot) and
runs its script under the page's Content-Security-Policy."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from plancycle.feed import FeedConfig, make_app, serve_in_thread

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit, non-interlaced RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0
    channels = 3 if color == 2 else 4
    raw, stride, rows = zlib.decompress(idat), width * channels, []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line[i] for i in range(stride) if i % channels < 3))
        previous = line
    return width, height, rows


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server, thread = serve_in_thread(make_app(FeedConfig()))
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


def _chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "profile"
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_index_renders_as_a_non_blank_page(tmp_path: Path, base_url: str) -> None:
    shot = tmp_path / "index.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", f"{base_url}/?q=berg")
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 900)
    pixels = [row[i:i + 3] for row in rows[::4] for i in range(0, len(row), 12)]
    colours = set(pixels)
    dark = sum(1 for p in pixels if sum(p) < 200)  # text
    assert len(colours) > 20, "the page is blank or one colour"
    assert dark > 100, "no text was drawn"
    assert any(p[2] > p[0] + 60 for p in pixels), "no blue link or button was drawn"


def test_script_runs_under_the_content_security_policy(tmp_path: Path, base_url: str) -> None:
    dom = _chromium(tmp_path, "--dump-dom", f"{base_url}/?q=stavanger&lang=en")
    assert '<html lang="en" class="js">' in dom  # the inline script ran (allowed by its hash)
    assert dom.count("<tr data-search=") == 1 and "Stavanger" in dom
    assert "Calendars: 1" in dom
