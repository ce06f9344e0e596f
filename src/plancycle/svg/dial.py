"""The geometry of the wheel: days to angles, points and ring sectors.

Angles are degrees clockwise from 12 o'clock (January 1 at the top); one equal sector per
calendar year shown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from plancycle.models import Milestone
from plancycle.svg.document import num


@dataclass(frozen=True)
class Dial:
    """Maps days to angles, one equal sector per year in ``years``."""

    years: tuple[int, ...]

    @property
    def first(self) -> dt.date:
        return dt.date(self.years[0], 1, 1)

    @property
    def final(self) -> dt.date:
        """The last day the dial shows."""
        return dt.date(self.years[-1], 12, 31)

    def angle(self, day: dt.date) -> float:
        """The angle at the start of ``day``; days before the dial give 0, after it 360."""
        if day > self.final:
            return 360.0
        day = max(day, self.first)
        sector = 360.0 / len(self.years)
        new_year = dt.date(day.year, 1, 1)
        length = (dt.date(day.year + 1, 1, 1) - new_year).days
        return sector * (day.year - self.years[0] + (day - new_year).days / length)

    def span(self, milestone: Milestone) -> tuple[float, float] | None:
        """Start and end angle of the milestone's days (clipped to the dial), or None."""
        if milestone.end < self.first or milestone.start > self.final:
            return None
        return self.angle(milestone.start), self.angle(milestone.end + dt.timedelta(days=1))


def point(radius: float, angle: float) -> tuple[float, float]:
    """The point at ``radius`` and ``angle`` relative to the centre (SVG axes: y down)."""
    rad = math.radians(angle)
    return radius * math.sin(rad), -radius * math.cos(rad)


def sector_path(cx: float, cy: float, r_in: float, r_out: float, a0: float, a1: float) -> str:
    """SVG path of the ring sector between radii ``r_in`` and ``r_out`` from ``a0`` to ``a1``."""
    a1 = min(a1, a0 + 359.99)
    large = 1 if a1 - a0 > 180 else 0
    (x0, y0), (x1, y1) = point(r_out, a0), point(r_out, a1)
    (x2, y2), (x3, y3) = point(r_in, a1), point(r_in, a0)
    return (f"M{num(cx + x0)} {num(cy + y0)}A{num(r_out)} {num(r_out)} 0 {large} 1 "
            f"{num(cx + x1)} {num(cy + y1)}L{num(cx + x2)} {num(cy + y2)}"
            f"A{num(r_in)} {num(r_in)} 0 {large} 0 {num(cx + x3)} {num(cy + y3)}Z")


@dataclass
class Placed:
    """A milestone on the wheel: its ring, its angles and, once rings are laid out, its lane
    radius and the angle its leader leaves from (a period's middle, a day's own angle)."""

    milestone: Milestone
    ring: int
    start: float
    end: float
    radius: float = 0.0

    @property
    def is_period(self) -> bool:
        return self.milestone.start != self.milestone.end

    @property
    def anchor(self) -> float:
        return (self.start + self.end) / 2 if self.is_period else self.start
