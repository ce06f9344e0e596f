"""Text metrics without a font engine: a conservative width estimate and oriented text boxes.

Widths are the advance widths of DejaVu Sans and Liberation Sans (the Arial metric), whichever is
wider, rounded up to 0.05 em and measured in headless Chromium; the SVGs ask for exactly these
fonts (:data:`FONT_FAMILY`), so the estimate is an upper bound wherever one of them is installed.
Characters not in the table count as 1 em. The same estimate places the labels and checks, in the
tests, that no two labels overlap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"

Anchor = Literal["start", "middle", "end"]

#: Height above the baseline (accented capitals such as Å included) and below it, in em.
ASCENT = 0.96
DESCENT = 0.25

_WIDTHS: dict[bool, dict[int, str]] = {
    False: {
        300: "'Iijl",
        350: " ,./:;\\|·’",
        400: "()-[]ft",
        450: "!r",
        500: "\"*J`",
        550: "csz“”",
        600: "?L_kvxy§–•",
        650: "$0123456789FTabdeghnopqu{}«»äåèéöøü",
        700: "ABEKPSVXYZÄÅÉ",
        750: "CNRUÜ",
        800: "&DGHOQÖØ◆",
        850: "#+<=>^w~",
        900: "M●",
        950: "%■",
        1000: "WmÆæ—…",
        1050: "@",
    },
    True: {
        350: " 'ijl",
        400: ",./:;I\\|·’",
        450: "-f",
        500: "!()[]`rt",
        550: "\"*",
        600: "J_csz§–",
        650: "?Lx«»•",
        700: "$0123456789EFTaekovyÉäåèéöø“”",
        750: "CPSYZbdghnpqu{}ü",
        800: "ABKRVXÄÅ◆",
        850: "#+<=>DGHNOQU^~ÖØÜ",
        900: "&●",
        950: "w■",
        1000: "@M—…",
        1050: "%mæ",
        1100: "Æ",
        1150: "W",
    },
}
_EM: dict[bool, dict[str, float]] = {
    bold: {char: width / 1000 for width, chars in table.items() for char in chars}
    for bold, table in _WIDTHS.items()
}


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The (over-)estimated advance width of ``text`` at font size ``size`` px."""
    widths = _EM[bold]
    return size * sum(widths.get(char, 1.0) for char in text)


def wrap(text: str, size: float, max_width: float, *, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``max_width`` (a longer word stays whole)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold=bold) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True)
class Box:
    """A rectangle of ``width`` × ``height`` centred on (``cx``, ``cy``), turned ``angle`` degrees
    clockwise (SVG's ``rotate``)."""

    cx: float
    cy: float
    width: float
    height: float
    angle: float = 0.0

    def corners(self) -> tuple[tuple[float, float], ...]:
        cos, sin = math.cos(math.radians(self.angle)), math.sin(math.radians(self.angle))
        half_w, half_h = self.width / 2, self.height / 2
        return tuple(
            (self.cx + dx * cos - dy * sin, self.cy + dx * sin + dy * cos)
            for dx, dy in ((-half_w, -half_h), (half_w, -half_h), (half_w, half_h), (-half_w, half_h))
        )

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the axis-aligned box around this one."""
        xs, ys = zip(*self.corners(), strict=True)
        return min(xs), min(ys), max(xs), max(ys)

    def overlaps(self, other: Box) -> bool:
        """True when the two rectangles share interior points (separating-axis test)."""
        mine, theirs = self.corners(), other.corners()
        for polygon in (mine, theirs):
            for i in range(4):
                (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % 4]
                axis = (y1 - y2, x2 - x1)
                a = _project(mine, axis)
                b = _project(theirs, axis)
                if a[1] <= b[0] + 1e-9 or b[1] <= a[0] + 1e-9:
                    return False
        return True


def _project(points: Iterable[tuple[float, float]], axis: tuple[float, float]) -> tuple[float, float]:
    values = [x * axis[0] + y * axis[1] for x, y in points]
    return min(values), max(values)


def text_box(x: float, y: float, text: str, size: float, *, anchor: Anchor = "start",
             bold: bool = False, angle: float = 0.0) -> Box:
    """The box an SVG ``<text x y>`` (``y`` the baseline) covers, turned about (x, y) by ``angle``."""
    width = text_width(text, size, bold=bold)
    height = (ASCENT + DESCENT) * size
    shift = {"start": width / 2, "middle": 0.0, "end": -width / 2}[anchor]
    # centre before rotation, relative to the rotation point (x, y)
    dx, dy = shift, (DESCENT - ASCENT) * size / 2
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return Box(x + dx * cos - dy * sin, y + dx * sin + dy * cos, width, height, angle)
