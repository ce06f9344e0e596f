"""Where the wheel's labels go: outside the wheel, joined to their items by leader lines.

Each label is the item's date (bold, in the binding's colour, next to the wheel) and its title.
Two placements, chosen by how many labels there are:

- :func:`place_in_columns` (one year, up to a few dozen labels): horizontal text in two columns
  that hug the circle, January–June on the right and July–December on the left (the split moves
  by up to 40° when a column would be taller than the wheel), stacked top to bottom without overlap;
- :func:`place_on_rays` (the whole term, some eighty labels): each label along a ray from the
  centre, spread round the circle so neighbouring rays are a line height apart at the inner end
  (they only diverge further out).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from plancycle.svg.dial import Placed, point
from plancycle.svg.layout import clearance, stack, stack_around
from plancycle.svg.metrics import ASCENT, DESCENT, Anchor, text_width

SIZE = 12.0  # label font size
PITCH = 16.0  # line height within a label
DATE_GAP = 6.0  # between the date and the title
BASELINE = (ASCENT - DESCENT) / 2  # from the middle of a line down to its baseline, in em


@dataclass(frozen=True)
class Line:
    """One ``<text>`` of a label, relative to the wheel's centre."""

    x: float
    y: float
    text: str
    anchor: Anchor
    bold: bool = False
    angle: float = 0.0


@dataclass
class WheelLabel:
    """The label of one placed item; the placements fill ``lines`` and ``attach``."""

    placed: Placed
    date: str
    title_lines: list[str]
    gap: float = 5.0  # room below the label in a column
    lines: list[Line] = field(default_factory=list)
    attach: tuple[float, float] = (0.0, 0.0)  # where the leader meets the label

    @property
    def height(self) -> float:
        return len(self.title_lines) * PITCH + self.gap

    @property
    def date_width(self) -> float:
        return text_width(self.date, SIZE, bold=True)

    @property
    def width(self) -> float:
        return self.date_width + DATE_GAP + max(text_width(t, SIZE) for t in self.title_lines)


def place_in_columns(labels: Sequence[WheelLabel], elbow: float, clear: float) -> None:
    """Two columns of horizontal labels outside the circle of radius ``clear``; each label
    wants its first line level with its item's leader at radius ``elbow``."""
    top_split, bottom_split = _balanced_split(labels, 2 * clear)
    for side in (1, -1):
        column = sorted(
            (lab for lab in labels if _side(lab.placed.anchor, top_split, bottom_split) == side),
            key=lambda lab: (_along(lab.placed.anchor, side, bottom_split), lab.placed.ring,
                             lab.placed.radius))
        wants = [point(elbow, lab.placed.anchor)[1] - PITCH / 2 for lab in column]
        heights = [lab.height for lab in column]
        reach = max(clear + 40, sum(heights) / 2 + 10)
        for lab, top in zip(column, stack(wants, heights, -reach, reach), strict=True):
            offset = max(10.0, clearance(top, top + lab.height - lab.gap, clear))
            anchor: Anchor = "start" if side > 0 else "end"
            baseline = top + PITCH / 2 + BASELINE * SIZE
            title_x = side * (offset + lab.date_width + DATE_GAP)
            lab.lines = [Line(side * offset, baseline, lab.date, anchor, bold=True)] + [
                Line(title_x, baseline + i * PITCH, text, anchor)
                for i, text in enumerate(lab.title_lines)]
            lab.attach = (side * (offset - 3), top + PITCH / 2)


def place_on_rays(labels: Sequence[WheelLabel], elbow: float, clear: float) -> float:
    """One-line labels along rays outside ``clear`` (further out if they need more room);
    returns the radius where they start."""
    if not labels:
        return clear
    radius = max(clear, 1.06 * PITCH * len(labels) / math.radians(330))
    size = math.degrees(2 * math.asin(min(1.0, PITCH / (2 * radius)))) * 1.04
    angles = stack_around([lab.placed.anchor for lab in labels], [size] * len(labels))
    for lab, angle in zip(labels, angles, strict=True):
        right = angle < 180
        rotation = angle - 90 if right else angle + 90
        anchor: Anchor = "start" if right else "end"
        # from the ray down to the baseline, in the turned text's frame
        down = (-math.sin(math.radians(rotation)) * BASELINE * SIZE,
                math.cos(math.radians(rotation)) * BASELINE * SIZE)
        date_x, date_y = point(radius, angle)
        title_x, title_y = point(radius + lab.date_width + DATE_GAP, angle)
        lab.lines = [
            Line(date_x + down[0], date_y + down[1], lab.date, anchor, bold=True, angle=rotation),
            Line(title_x + down[0], title_y + down[1], " ".join(lab.title_lines), anchor,
                 angle=rotation),
        ]
        lab.attach = point(radius - 4, angle)
    return radius


def _signed(angle: float) -> float:
    """An angle in (-90, 270]: the top of the wheel is around 0."""
    return angle - 360 if angle > 270 else angle


def _side(angle: float, top_split: float, bottom_split: float) -> int:
    return 1 if top_split <= _signed(angle) < bottom_split else -1


def _along(angle: float, side: int, bottom_split: float) -> float:
    """Position of an anchor down its column: the right column runs clockwise from the top
    split, the left one anticlockwise round to the bottom split."""
    if side > 0:
        return _signed(angle)
    return -(angle if angle >= bottom_split else angle + 360)


def _balanced_split(labels: Sequence[WheelLabel], room: float) -> tuple[float, float]:
    """Where the right column starts (near 12 o'clock) and ends (near 6 o'clock): 0° and 180°,
    unless a column is taller than ``room``; then the splits move by up to 40° (the least that
    does) to share the labels out."""
    total = sum(lab.height for lab in labels)
    best: tuple[float, float, float] = (math.inf, 0.0, 180.0)
    for top_shift in range(0, 41, 5):
        for top in sorted({-top_shift, top_shift}):
            for bottom_shift in range(0, 41, 5):
                for bottom in sorted({180 - bottom_shift, 180 + bottom_shift}):
                    right = sum(lab.height for lab in labels
                                if _side(lab.placed.anchor, top, bottom) > 0)
                    overflow = max(0.0, max(right, total - right) - room)
                    cost = overflow + 0.5 * (top_shift + bottom_shift)
                    if cost < best[0]:
                        best = (cost, float(top), float(bottom))
    return best[1], best[2]
