"""The årshjul: a schedule's year (or whole term) drawn around a circle as SVG.

January is at the top and time runs clockwise. Each process has a ring (election innermost, the
action and economy plan outermost), the months (and, for the term, the years) run round the
outside, and each milestone sits on its planned days: a one-day item as a marker whose shape and
colour say how binding it is, a period as a band over its days, outlined solid, dashed or dotted
by the same measure. Items that would touch share their ring in lanes. Labels stand outside the
wheel, joined to their items by leader lines (:mod:`plancycle.svg.wheel_labels`).

The term view gives each calendar year from the election year Y to Y+4 an equal sector (5 × 72°):
the election year, when the challenge picture and the public-health overview are due, and the
four years of the term, which ends with the next constituent meeting in Y+4. The days of Y+4
after the schedule's end (31 October) are shaded.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from plancycle.errors import InputError
from plancycle.i18n import label
from plancycle.models import Schedule
from plancycle.svg.dial import Dial, Placed, point, sector_path
from plancycle.svg.document import Drawing, num
from plancycle.svg.layout import pack_lanes
from plancycle.svg.legend import Legend, schedule_notes, standard_legend
from plancycle.svg.metrics import text_box, text_width, wrap
from plancycle.svg.style import (
    BINDING_STYLES,
    GRID,
    INK,
    LEADER,
    MUTED,
    PROCESS_TINTS,
    band_attrs,
    marker,
)
from plancycle.svg.wheel_labels import SIZE, WheelLabel, place_in_columns, place_on_rays
from plancycle.svg.words import (
    milestone_tooltip,
    model_name,
    month_name,
    month_short,
    owner_name,
    process_order,
    term_text,
    term_year_text,
    when_text,
)

CENTRE = 118.0  # radius of the centre disk holding the name and year
RING = 50.0  # width of a process ring
LANE = 13.0  # a ring widens when it needs more lanes than fit at this width
MARK = 11.0  # marker size
BAND = 10.0  # thickness of a period's band
MONTH_BAND = 28.0
YEAR_BAND = 26.0
MONTH_TINT = "#eef1f4"
YEAR_TINT = "#dfe4ea"
TITLE_WIDTH = 235.0  # a one-year label's title wraps at this width
MARGIN = 24.0
CENTRE_NOTES = 7  # lines of notes (a heading and focus areas) the centre holds
NOTE_SIZE = 8.5


def wheel_svg(schedule: Schedule, *, year: int | None = None, term: bool = False,
              centre: Sequence[str] = ()) -> bytes:
    """The årshjul of ``schedule`` as SVG bytes: one calendar ``year`` of the term (default:
    year one, the year after the election) or, with ``term=True``, the whole term (Y … Y+4).
    ``centre``: a heading and lines shown in the centre under the name (the focus areas of
    ``plancycle wheel --content``, issue 11): at most :data:`CENTRE_NOTES`, each cut to fit."""
    first = schedule.period.election_year
    years = tuple(range(first, first + 5))
    if term and year is not None:
        raise InputError(key="svg_year_and_term")
    if not term:
        year = first + 1 if year is None else year
        if year not in years:
            raise InputError(key="svg_year_outside_term", year=year, first=years[0],
                             last=years[-1])
        return _Wheel(schedule, Dial((year,)), year, centre).draw()
    return _Wheel(schedule, Dial(years), None, centre).draw()


class _Wheel:
    def __init__(self, schedule: Schedule, dial: Dial, year: int | None,
                 centre: Sequence[str] = ()) -> None:
        self.schedule, self.dial, self.year = schedule, dial, year
        self.centre = tuple(centre)
        self.lang = schedule.lang
        self.processes = process_order(schedule)
        self.placed = [
            Placed(m, self.processes.index(m.process), *span)
            for m in schedule.milestones if (span := dial.span(m)) is not None
        ]
        self.rings = self._lay_rings()
        self.outer = self.rings[-1][1] if self.rings else CENTRE
        self.band_out = self.outer + MONTH_BAND + (YEAR_BAND if year is None else 0)
        self.elbow = self.band_out + 10
        self.labels = [
            WheelLabel(p, when_text(p.milestone, self.lang, year=year),
                       wrap(p.milestone.title, SIZE, TITLE_WIDTH) if year else [p.milestone.title])
            for p in self.placed
        ]
        if year is None:
            place_on_rays(self.labels, self.elbow, self.band_out + 22)
        else:
            place_in_columns(self.labels, self.elbow, self.band_out + 22)

    def _lay_rings(self) -> list[tuple[float, float]]:
        """Inner and outer radius of each ring; sets each item's lane radius."""
        rings: list[tuple[float, float]] = []
        radius = CENTRE
        for ring in range(len(self.processes)):
            members = sorted((p for p in self.placed if p.ring == ring),
                             key=lambda p: (p.start, p.start - p.end, p.milestone.id))
            pad = math.degrees(MARK * 0.7 / (radius + RING / 2))
            lanes = pack_lanes([(p.start - pad, p.end + pad if p.is_period else p.start + pad)
                                for p in members])
            count = max(lanes, default=0) + 1
            width = max(RING, count * LANE + 6)
            for item, lane in zip(members, lanes, strict=True):
                item.radius = radius + 3 + (width - 6) * (lane + 0.5) / count
            rings.append((radius, radius + width))
            radius += width
        return rings

    # --- the whole picture --------------------------------------------------------------------

    def draw(self) -> bytes:
        boxes = [text_box(line.x, line.y, line.text, SIZE, anchor=line.anchor, bold=line.bold,
                          angle=line.angle).bounds()
                 for lab in self.labels for line in lab.lines]
        reach = self.band_out + 4
        left = min([-reach] + [b[0] for b in boxes])
        right = max([reach] + [b[2] for b in boxes])
        top = min([-reach] + [b[1] for b in boxes])
        bottom = max([reach] + [b[3] for b in boxes])
        half_width = max(-left, right) + MARGIN
        width = max(2 * half_width, 960.0)
        cx, cy = width / 2, MARGIN - top
        legend = self._legend()
        legend_top = cy + bottom + 40
        height = legend_top + legend.height(width - 2 * MARGIN) + MARGIN
        drawing = Drawing(width, height, title=self._title(),
                          description=label("svg_description", self.lang,
                                            model=model_name(self.schedule)))
        root = drawing.root
        self._draw_rings(drawing, drawing.group(root, {"class": "rings"}), cx, cy)
        self._draw_scale(drawing, drawing.group(root, {"class": "scale"}), cx, cy)
        self._draw_centre(drawing, drawing.group(root, {"class": "centre"}), cx, cy)
        items = drawing.group(root, {"class": "milestones"})
        for lab in sorted(self.labels, key=lambda lab: (lab.placed.start, lab.placed.milestone.id)):
            self._draw_item(drawing, items, lab, cx, cy)
        # names of months and years on top of the leader lines that cross their bands
        self._draw_scale_names(drawing, drawing.group(root, {"class": "scale"}), cx, cy)
        legend.draw(drawing, root, MARGIN, legend_top, width - 2 * MARGIN)
        return drawing.to_bytes()

    def _title(self) -> str:
        owner = owner_name(self.schedule)
        if self.year is not None:
            return label("svg_wheel_title", self.lang, year=self.year, owner=owner)
        return label("svg_wheel_term_title", self.lang, start=self.dial.years[0],
                     end=self.dial.years[-1], owner=owner)

    def _legend(self) -> Legend:
        tints = [(label(f"process_{p}", self.lang), PROCESS_TINTS[i % len(PROCESS_TINTS)])
                 for i, p in enumerate(self.processes)]
        return standard_legend(self.lang, tints, "svg_legend_rings", schedule_notes(self.schedule))

    # --- parts --------------------------------------------------------------------------------

    def _draw_rings(self, drawing: Drawing, group: ET.Element, cx: float, cy: float) -> None:
        for index, (inner, outer) in enumerate(self.rings):
            drawing.add(group, "circle", {
                "cx": cx, "cy": cy, "r": (inner + outer) / 2, "fill": "none",
                "stroke": PROCESS_TINTS[index % len(PROCESS_TINTS)], "stroke-width": outer - inner,
                "data-process": self.processes[index]})
        for radius in [CENTRE, *(outer for _, outer in self.rings)]:
            drawing.add(group, "circle", {"cx": cx, "cy": cy, "r": radius, "fill": "none",
                                          "stroke": "#ffffff", "stroke-width": 1.5})
        after = self.schedule.period.end + dt.timedelta(days=1)
        if self.dial.first <= after <= self.dial.final:
            drawing.add(group, "path", {
                "d": sector_path(cx, cy, CENTRE, self.band_out, self.dial.angle(after), 360.0),
                "fill": "#8c959f", "fill-opacity": 0.25, "data-outside": "after-term"})

    def _months(self) -> list[tuple[int, int, float, float]]:
        """(year, month, start angle, end angle) of every month on the dial."""
        return [(year, month, self.dial.angle(dt.date(year, month, 1)),
                 self.dial.angle(dt.date(year + month // 12, month % 12 + 1, 1)))
                for year in self.dial.years for month in range(1, 13)]

    def _draw_scale(self, drawing: Drawing, group: ET.Element, cx: float, cy: float) -> None:
        """The month band (and the year band of the term) and the lines between months."""
        term = self.year is None
        months_out = self.outer + MONTH_BAND
        drawing.add(group, "circle", {"cx": cx, "cy": cy, "r": self.outer + MONTH_BAND / 2,
                                      "fill": "none", "stroke": MONTH_TINT,
                                      "stroke-width": MONTH_BAND})
        if term:
            drawing.add(group, "circle", {"cx": cx, "cy": cy, "r": months_out + YEAR_BAND / 2,
                                          "fill": "none", "stroke": YEAR_TINT,
                                          "stroke-width": YEAR_BAND})
        for _, month, angle, _ in self._months():
            new_year = term and month == 1
            x0, y0 = point(CENTRE, angle)
            x1, y1 = point(self.band_out if new_year else months_out, angle)
            drawing.add(group, "line", {
                "x1": cx + x0, "y1": cy + y0, "x2": cx + x1, "y2": cy + y1,
                "stroke": "#6e7781" if new_year else GRID, "stroke-width": 2 if new_year else 1})

    def _draw_scale_names(self, drawing: Drawing, group: ET.Element, cx: float, cy: float) -> None:
        """Month names in the month band and, for the term, "2028 · år 1" in the year band."""
        term = self.year is None
        for _, month, angle, end in self._months():
            if term:
                text, size = month_short(month, self.lang), 9.5
            else:
                text, size = month_name(month, self.lang).capitalize(), 12.0
            self._along_circle(drawing, group, cx, cy, self.outer + MONTH_BAND / 2,
                               (angle + end) / 2, text, size, bold=not term, halo=MONTH_TINT)
        if term:
            for year in self.dial.years:
                middle = (self.dial.angle(dt.date(year, 1, 1))
                          + self.dial.angle(dt.date(year + 1, 1, 1))) / 2
                self._along_circle(drawing, group, cx, cy, self.outer + MONTH_BAND + YEAR_BAND / 2,
                                   middle, f"{year} · {term_year_text(year, self.schedule)}", 12.0,
                                   bold=True, halo=YEAR_TINT)

    def _along_circle(self, drawing: Drawing, group: ET.Element, cx: float, cy: float,
                      radius: float, angle: float, text: str, size: float, *, bold: bool,
                      halo: str) -> None:
        """Text centred on the circle at ``angle``, following it and upright, with a halo of
        the band's colour that hides the leader lines behind it."""
        upper = angle <= 90 or angle >= 270
        shift = (0.96 - 0.25) / 2 * size
        x, y = point(radius - shift if upper else radius + shift, angle)
        drawing.text(group, cx + x, cy + y, text, size=size, anchor="middle", bold=bold,
                     angle=angle if upper else angle - 180, fill=INK,
                     attrs={"stroke": halo, "stroke-width": 3, "stroke-linejoin": "round",
                            "paint-order": "stroke"})

    def _draw_centre(self, drawing: Drawing, group: ET.Element, cx: float, cy: float) -> None:
        schedule = self.schedule
        drawing.add(group, "circle", {"cx": cx, "cy": cy, "r": CENTRE - 4, "fill": "#ffffff",
                                      "stroke": GRID})
        name_size, name_lines = _fit(owner_name(schedule), (19.0, 16.0, 13.0), 2 * CENTRE - 44)
        lines = [(line, name_size, True, INK) for line in name_lines]
        if self.year is not None:
            lines += [(str(self.year), 34.0, True, INK),
                      (term_year_text(self.year, schedule), 13.0, True, MUTED),
                      (term_text(schedule), 12.0, False, MUTED)]
        else:
            lines.append((term_text(schedule), 15.0, True, INK))
        lines.append((label("svg_model", self.lang, model=model_name(schedule)), 11.0, False,
                      MUTED))
        notes = list(self.centre[:CENTRE_NOTES])
        if len(self.centre) > CENTRE_NOTES:
            notes[-1] = f"… +{len(self.centre) - CENTRE_NOTES + 1}"
        first_note = len(lines)
        lines += [(text, NOTE_SIZE, i == 0, MUTED if i == 0 else INK)
                  for i, text in enumerate(notes)]
        pitches = [size * 1.3 for _, size, _, _ in lines]
        y = cy - sum(pitches) / 2
        for index, ((text, size, bold, fill), pitch) in enumerate(zip(lines, pitches,
                                                                      strict=True)):
            y += pitch
            if index >= first_note:  # a note is cut to the disk's width where it stands
                reach = max(abs(y - cy), abs(y - size - cy))
                text = _clip(text, size, 2 * math.sqrt(max(0.0, (CENTRE - 10) ** 2 - reach ** 2)),
                             bold=bold)
            drawing.text(group, cx, y - 0.3 * size, text, size=size, anchor="middle", bold=bold,
                         fill=fill)

    def _draw_item(self, drawing: Drawing, parent: ET.Element, lab: WheelLabel, cx: float,
                   cy: float) -> None:
        item, m = lab.placed, lab.placed.milestone
        group = drawing.group(parent, {"class": f"milestone {m.binding}",
                                       "data-milestone": m.id, "data-process": m.process})
        drawing.add(group, "title", None, milestone_tooltip(m, self.lang))
        start_x, start_y = point(item.radius + (BAND if item.is_period else MARK) / 2 + 1,
                                 item.anchor)
        elbow_x, elbow_y = point(self.elbow, item.anchor)
        drawing.add(group, "polyline", {
            "points": f"{num(cx + start_x)},{num(cy + start_y)} {num(cx + elbow_x)},"
                      f"{num(cy + elbow_y)} {num(cx + lab.attach[0])},{num(cy + lab.attach[1])}",
            "fill": "none", "stroke": LEADER, "stroke-width": 0.8})
        if item.is_period:
            drawing.add(group, "path", {
                "d": sector_path(cx, cy, item.radius - BAND / 2, item.radius + BAND / 2,
                                 item.start, max(item.end, item.start + 0.8)),
                **band_attrs(m.binding)})
        else:
            x, y = point(item.radius, item.start)
            marker(drawing, group, cx + x, cy + y, m.binding, MARK)
        for line in lab.lines:
            drawing.text(group, cx + line.x, cy + line.y, line.text, size=SIZE, anchor=line.anchor,
                         bold=line.bold, angle=line.angle,
                         fill=BINDING_STYLES[m.binding].text if line.bold else INK)


def _clip(text: str, size: float, width: float, *, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` at ``size``."""
    if text_width(text, size, bold=bold) <= width:
        return text
    while text and text_width(text + "…", size, bold=bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _fit(text: str, sizes: Sequence[float], width: float) -> tuple[float, list[str]]:
    """The largest of ``sizes`` at which ``text`` fits ``width`` on one line, or with each of its
    parallel names ("Porsanger - Porsángu - Porsanki") on a line of its own, or wrapped in two."""
    names = text.split(" - ")
    for size in sizes:
        for lines in ([text], names, wrap(text, size, width, bold=True)):
            if len(lines) <= 3 and all(text_width(line, size, bold=True) <= width
                                       for line in lines):
                return size, lines
    return sizes[-1], wrap(text, sizes[-1], width, bold=True)
