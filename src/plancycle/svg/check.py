"""Checks of a finished drawing, read back from its SVG text alone: where each ``<text>`` lies
(by the estimate of :mod:`plancycle.svg.metrics`), whether any two overlap, whether all lie
inside the picture. The tests use them on every kind of drawing; they work on any SVG whose texts
carry ``x``, ``y``, ``font-size``, ``text-anchor`` and at most a ``rotate(a x y)``, as plancycle's
do."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import cast

from plancycle.svg.document import SVG_NS
from plancycle.svg.metrics import Anchor, Box, text_box

_ROTATE = re.compile(r"rotate\(([-\d.]+) [-\d.]+ [-\d.]+\)")


@dataclass(frozen=True)
class PlacedText:
    text: str
    box: Box
    milestone: str | None  # the data-milestone of the group it belongs to, if any


def placed_texts(svg: bytes) -> list[PlacedText]:
    """Every ``<text>`` of ``svg`` with its box."""
    root = ET.fromstring(svg)
    out: list[PlacedText] = []

    def walk(element: ET.Element, milestone: str | None) -> None:
        milestone = element.get("data-milestone", milestone)
        for child in element:
            if child.tag == f"{{{SVG_NS}}}text":
                match = _ROTATE.fullmatch(child.get("transform", "rotate(0 0 0)"))
                if match is None:
                    raise ValueError(f"text {child.text!r} has a transform other than rotate")
                anchor = cast(Anchor, child.get("text-anchor", "start"))
                box = text_box(float(child.get("x", "0")), float(child.get("y", "0")),
                               child.text or "", float(child.get("font-size", "16")),
                               anchor=anchor, bold=child.get("font-weight") == "bold",
                               angle=float(match.group(1)))
                out.append(PlacedText(child.text or "", box, milestone))
            else:
                walk(child, milestone)

    walk(root, None)
    return out


def overlapping(texts: list[PlacedText]) -> list[tuple[PlacedText, PlacedText]]:
    """Every pair of texts whose boxes overlap."""
    bounds = [t.box.bounds() for t in texts]
    order = sorted(range(len(texts)), key=lambda i: bounds[i][0])
    pairs: list[tuple[PlacedText, PlacedText]] = []
    for position, i in enumerate(order):
        for j in order[position + 1:]:
            if bounds[j][0] >= bounds[i][2]:
                break
            if bounds[j][1] < bounds[i][3] and bounds[i][1] < bounds[j][3] \
                    and texts[i].box.overlaps(texts[j].box):
                pairs.append((texts[i], texts[j]))
    return pairs


def size(svg: bytes) -> tuple[int, int]:
    """The drawing's width and height in px."""
    root = ET.fromstring(svg)
    return int(root.get("width", "0")), int(root.get("height", "0"))
