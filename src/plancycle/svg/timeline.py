"""The term as a Gantt-style timeline in SVG: one row per process, time running left to right.

The axis runs from 1 January of the election year Y to the schedule's end (31 October of Y+4),
with a gridline at each new year and each month. A one-day item is a marker whose shape and
colour say how binding it is; a period is a bar over its days, outlined solid, dashed or dotted by
the same measure. Each item's label (date and title) follows it on the same line, or precedes it
where the axis ends; items and labels that would touch go to separate lanes of their row
(:func:`plancycle.svg.layout.pack_lanes`), so no two labels overlap.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from plancycle.i18n import label
from plancycle.models import Milestone, Schedule
from plancycle.svg.document import Drawing
from plancycle.svg.layout import pack_lanes
from plancycle.svg.legend import schedule_notes, standard_legend
from plancycle.svg.metrics import text_width, wrap
from plancycle.svg.style import (
    BINDING_STYLES,
    GRID,
    INK,
    MUTED,
    PROCESS_TINTS,
    band_attrs,
    marker,
)
from plancycle.svg.words import (
    milestone_tooltip,
    model_name,
    month_short,
    owner_name,
    process_order,
    term_year_text,
    when_text,
)

DAY = 1.0  # px per day
SIZE = 11.5  # label font size
LANE = 19.0  # height of a lane
MARK = 10.0
BAR = 9.0
GAP = 6.0  # between an item and its label, and between a label and its date
LANE_GAP = 10.0  # between neighbours in one lane
GUTTER = 200.0  # width of the row names
ROW_PAD = 8.0  # above and below the lanes of a row
MARGIN = 24.0
HEADER = 96.0  # title, years and months
OVERRUN = 320.0  # how far a label may run past the end of the axis before it goes first


@dataclass
class _Bar:
    """An item on the axis: its days in px, its label and the lane it got."""

    milestone: Milestone
    x0: float
    x1: float
    date: str
    title: str
    before: bool = False  # label before the item (it would run off the axis's end)
    lane: int = 0

    @property
    def label_width(self) -> float:
        return text_width(self.date, SIZE, bold=True) + GAP + text_width(self.title, SIZE)

    @property
    def extent(self) -> tuple[float, float]:
        """Left and right end of the item with its label."""
        half = MARK / 2
        if self.before:
            return self.x0 - half - GAP - self.label_width, self.x1 + half
        return self.x0 - half, self.x1 + half + GAP + self.label_width


def timeline_svg(schedule: Schedule) -> bytes:
    """The Gantt-style timeline of the whole term of ``schedule`` as SVG bytes."""
    return _Timeline(schedule).draw()


class _Timeline:
    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.lang = schedule.lang
        self.first = schedule.period.start
        self.last = schedule.period.end
        self.axis = self.x(self.last + dt.timedelta(days=1))
        self.processes = process_order(schedule)
        self.rows = [self._lay_row(process) for process in self.processes]

    def x(self, day: dt.date) -> float:
        """Position of the start of ``day`` on the axis (0 = 1 January of Y)."""
        day = min(max(day, self.first), self.last + dt.timedelta(days=1))
        return (day - self.first).days * DAY

    def _lay_row(self, process: str) -> list[_Bar]:
        bars = []
        for m in self.schedule.milestones:
            if m.process != process:
                continue
            bar = _Bar(m, self.x(m.start), self.x(m.end + dt.timedelta(days=1)) if m.start != m.end
                       else self.x(m.start), when_text(m, self.lang, year=m.start.year), m.title)
            bar.before = bar.extent[1] > self.axis + OVERRUN
            bars.append(bar)
        bars.sort(key=lambda b: (b.extent[0], b.milestone.id))
        for bar, lane in zip(bars, pack_lanes([b.extent for b in bars], LANE_GAP), strict=True):
            bar.lane = lane
        return bars

    def draw(self) -> bytes:
        schedule = self.schedule
        heights = [(max((b.lane for b in row), default=0) + 1) * LANE + 2 * ROW_PAD
                   for row in self.rows]
        left = MARGIN + GUTTER
        reach = max([self.axis] + [b.extent[1] for row in self.rows for b in row])
        lowest = min([0.0] + [b.extent[0] for row in self.rows for b in row])
        left -= min(0.0, lowest)
        width = left + reach + MARGIN
        legend = standard_legend(self.lang, [], "", schedule_notes(schedule))
        rows_top = MARGIN + HEADER
        legend_top = rows_top + sum(heights) + 40
        height = legend_top + legend.height(width - 2 * MARGIN) + MARGIN
        year = schedule.period.election_year
        title = label("svg_timeline_title", self.lang, start=year, end=year + 4,
                      owner=owner_name(schedule))
        drawing = Drawing(width, height, title=title,
                          description=label("svg_description", self.lang,
                                            model=model_name(schedule)))
        root = drawing.root
        drawing.text(root, MARGIN, MARGIN + 18, title, size=18, bold=True)
        drawing.text(root, MARGIN, MARGIN + 38, label("svg_model", self.lang,
                                                       model=model_name(schedule)),
                     size=12, fill=MUTED)
        self._draw_rows(drawing, drawing.group(root, {"class": "rows"}), left, rows_top, heights)
        self._draw_scale(drawing, drawing.group(root, {"class": "scale"}), left, rows_top,
                         rows_top + sum(heights))
        items = drawing.group(root, {"class": "milestones"})
        top = rows_top
        for row, row_height in zip(self.rows, heights, strict=True):
            for bar in sorted(row, key=lambda b: (b.x0, b.milestone.id)):
                self._draw_bar(drawing, items, bar, left, top + ROW_PAD + bar.lane * LANE + LANE / 2)
            top += row_height
        legend.draw(drawing, root, MARGIN, legend_top, width - 2 * MARGIN)
        return drawing.to_bytes()

    def _draw_rows(self, drawing: Drawing, group: ET.Element, left: float, top: float,
                   heights: list[float]) -> None:
        for index, (process, height) in enumerate(zip(self.processes, heights, strict=True)):
            tint = PROCESS_TINTS[index % len(PROCESS_TINTS)]
            drawing.add(group, "rect", {"x": MARGIN, "y": top, "width": drawing.width - 2 * MARGIN,
                                        "height": height, "fill": tint, "data-process": process})
            drawing.add(group, "line", {"x1": MARGIN, "y1": top, "x2": drawing.width - MARGIN,
                                        "y2": top, "stroke": "#ffffff", "stroke-width": 2})
            lines = wrap(label(f"process_{process}", self.lang), 13, GUTTER - 16, bold=True)
            for i, line in enumerate(lines):
                drawing.text(group, MARGIN + 8, top + ROW_PAD + 13 + i * 17, line, size=13,
                             bold=True, fill=INK)
            top += height

    def _draw_scale(self, drawing: Drawing, group: ET.Element, left: float, top: float,
                    bottom: float) -> None:
        year = self.first.year
        while dt.date(year, 1, 1) <= self.last:
            start = left + self.x(dt.date(year, 1, 1))
            end = left + self.x(dt.date(year + 1, 1, 1))
            text = f"{year} · {term_year_text(year, self.schedule)}"
            drawing.text(group, (start + end) / 2, top - 34, text, size=13, anchor="middle",
                         bold=True)
            for month in range(1, 13):
                day = dt.date(year, month, 1)
                if day > self.last:
                    break
                x = left + self.x(day)
                x_next = left + self.x(dt.date(year + month // 12, month % 12 + 1, 1))
                strong = month == 1
                drawing.add(group, "line", {"x1": x, "y1": top - (44 if strong else 14), "x2": x,
                                            "y2": bottom, "stroke": "#6e7781" if strong else GRID,
                                            "stroke-width": 1.5 if strong else 0.8,
                                            "stroke-opacity": 1 if strong else 0.7})
                drawing.text(group, (x + x_next) / 2, top - 4, month_short(month, self.lang),
                             size=9.5, anchor="middle", fill=MUTED)
            year += 1
        end = left + self.axis
        drawing.add(group, "line", {"x1": end, "y1": top - 44, "x2": end, "y2": bottom,
                                    "stroke": "#6e7781", "stroke-width": 1.5})

    def _draw_bar(self, drawing: Drawing, parent: ET.Element, bar: _Bar, left: float,
                  middle: float) -> None:
        m = bar.milestone
        group = drawing.group(parent, {"class": f"milestone {m.binding}", "data-milestone": m.id,
                                       "data-process": m.process})
        drawing.add(group, "title", None, milestone_tooltip(m, self.lang))
        x0, x1 = left + bar.x0, left + bar.x1
        if m.start != m.end:
            drawing.add(group, "rect", {"x": x0, "y": middle - BAR / 2, "width": max(x1 - x0, 2.0),
                                        "height": BAR, "rx": 2, **band_attrs(m.binding)})
        else:
            marker(drawing, group, x0, middle, m.binding, MARK)
        baseline = middle + 0.355 * SIZE
        date_width = text_width(bar.date, SIZE, bold=True)
        colour = BINDING_STYLES[m.binding].text
        start = left + bar.extent[0] if bar.before else max(x1, x0) + MARK / 2 + GAP
        drawing.text(group, start, baseline, bar.date, size=SIZE, bold=True, fill=colour)
        drawing.text(group, start + date_width + GAP, baseline, bar.title, size=SIZE, fill=INK)
