"""The legend under the wheel and the timeline: what the shapes, outlines and tints mean, in text.

Entries flow left to right and wrap at the given width; :meth:`Legend.height` tells the drawing
how much room to leave before anything is drawn.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from plancycle.i18n import Language, label
from plancycle.models import Schedule
from plancycle.rules import Binding
from plancycle.svg.document import Drawing
from plancycle.svg.metrics import text_width, wrap
from plancycle.svg.style import BINDINGS, GRID, INK, MUTED, band_attrs, marker

SIZE = 12.0
LINE = 21.0
SYMBOL = 16.0  # room for a symbol before its text
ITEM_GAP = 18.0

SymbolKind = Literal["marker", "band", "swatch"]


@dataclass(frozen=True)
class Entry:
    """A symbol (a binding's marker or band, or a tint swatch) followed by its text."""

    text: str
    kind: SymbolKind | None = None
    binding: Binding = "statutory"
    tint: str = ""

    def width(self) -> float:
        return (SYMBOL + 4 if self.kind else 0) + text_width(self.text, SIZE)


@dataclass(frozen=True)
class Row:
    heading: str
    entries: Sequence[Entry] = ()


@dataclass
class Legend:
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    def _placed(self, width: float) -> tuple[list[tuple[float, int, Entry | str]], int]:
        """(x, line, entry or bold heading) for everything, and the number of lines."""
        out: list[tuple[float, int, Entry | str]] = []
        line = 0
        for row in self.rows:
            out.append((0.0, line, row.heading))
            x = text_width(row.heading, SIZE, bold=True) + ITEM_GAP / 2
            for entry in row.entries:
                if x + entry.width() > width and x > 0:
                    line, x = line + 1, SYMBOL
                out.append((x, line, entry))
                x += entry.width() + ITEM_GAP
            line += 1
        for note in self.notes:
            for text in wrap(note, SIZE, width):
                out.append((0.0, line, Entry(text)))
                line += 1
        return out, line

    def height(self, width: float) -> float:
        return self._placed(width)[1] * LINE

    def draw(self, drawing: Drawing, parent: ET.Element, left: float, top: float,
             width: float) -> None:
        group = drawing.group(parent, {"class": "legend"})
        drawing.add(group, "line", {"x1": left, "y1": top - 8, "x2": left + width, "y2": top - 8,
                                    "stroke": GRID})
        placed, _ = self._placed(width)
        for x, line, item in placed:
            baseline = top + line * LINE + SIZE
            middle = baseline - SIZE * 0.35
            if isinstance(item, str):
                drawing.text(group, left + x, baseline, item, size=SIZE, bold=True, fill=INK)
                continue
            text_x = left + x
            if item.kind == "marker":
                marker(drawing, group, text_x + 6, middle, item.binding, 11)
            elif item.kind == "band":
                drawing.add(group, "rect", {"x": text_x, "y": middle - 4, "width": SYMBOL - 2,
                                            "height": 8, **band_attrs(item.binding)})
            elif item.kind == "swatch":
                drawing.add(group, "rect", {"x": text_x, "y": middle - 6, "width": SYMBOL - 2,
                                            "height": 12, "fill": item.tint, "stroke": GRID})
            if item.kind:
                text_x += SYMBOL + 4
            drawing.text(group, text_x, baseline, item.text, size=SIZE,
                         fill=INK if item.kind else MUTED)


def standard_legend(lang: Language, processes: Sequence[tuple[str, str]], heading_key: str,
                    notes: Sequence[str]) -> Legend:
    """Binding markers, period outlines, the processes (name, tint; left out when empty) under
    the heading ``heading_key``, and notes."""
    names = {b: label(f"svg_legend_{b}", lang) for b in BINDINGS}
    rows = [
        Row(label("svg_legend_day", lang) + ":", [Entry(names[b], "marker", b) for b in BINDINGS]),
        Row(label("svg_legend_phase", lang) + ":", [Entry(names[b], "band", b) for b in BINDINGS]),
    ]
    if processes:
        rows.append(Row(label(heading_key, lang), [
            Entry(f"{i}. {name}", "swatch", tint=tint)
            for i, (name, tint) in enumerate(processes, start=1)]))
    return Legend(rows=rows, notes=list(notes))


def schedule_notes(schedule: Schedule) -> list[str]:
    """The notes under the legend: what ``*`` means and, for the reform model, that it assumes a
    law change not in force (every output built on it must say so)."""
    notes = [label("svg_legend_provisional", schedule.lang)]
    if schedule.model == "reform":
        notes.append(label("reform_warning", schedule.lang))
    return notes
