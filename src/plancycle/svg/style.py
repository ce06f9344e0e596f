"""The visual grammar shared by the wheel and the timeline.

How binding a date is shows in shape *and* colour, and a text legend names it: statutory
(lovpålagt) a red diamond, recommended (anbefalt) a blue circle, practice (praksis) a grey square;
periods are bands outlined solid, dashed or dotted in the same order. Each process has a tint.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from plancycle.rules import Binding
from plancycle.svg.document import Attr, Drawing, num

INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
LEADER = "#8c959f"


@dataclass(frozen=True)
class BindingStyle:
    colour: str
    fill: str  # a light fill for period bands
    dash: str  # stroke-dasharray of a period's outline ("" for solid)
    text: str  # the colour of a label's date (dark enough to read on white)


BINDING_STYLES: dict[Binding, BindingStyle] = {
    "statutory": BindingStyle("#b3261e", "#f2c4bf", "", "#a32019"),
    "recommended": BindingStyle("#1d5fa8", "#c5daf2", "5 3", "#1d5fa8"),
    "practice": BindingStyle("#5c6670", "#dde1e5", "1.5 2.5", "#4d5660"),
}
BINDINGS: tuple[Binding, ...] = ("statutory", "recommended", "practice")

#: Background tint of each process's ring or row, in process order; unknown processes cycle.
PROCESS_TINTS: tuple[str, ...] = ("#f6f1e7", "#eaf1f8", "#ecf5ea", "#f5edf3", "#f0f0f0")


def marker(drawing: Drawing, parent: ET.Element, x: float, y: float, binding: Binding,
           size: float, attrs: dict[str, Attr] | None = None) -> ET.Element:
    """The marker of a one-day item: diamond (statutory), circle (recommended), square (practice)."""
    style = BINDING_STYLES[binding]
    base: dict[str, Attr] = {"fill": style.colour, "stroke": "#ffffff", "stroke-width": 1}
    base.update(attrs or {})
    half = size / 2
    if binding == "statutory":
        points = f"{num(x)},{num(y - half * 1.2)} {num(x + half)},{num(y)} " \
                 f"{num(x)},{num(y + half * 1.2)} {num(x - half)},{num(y)}"
        return drawing.add(parent, "polygon", {"points": points, **base})
    if binding == "recommended":
        return drawing.add(parent, "circle", {"cx": x, "cy": y, "r": half, **base})
    side = size * 0.84
    return drawing.add(parent, "rect", {"x": x - side / 2, "y": y - side / 2, "width": side,
                                        "height": side, **base})


def band_attrs(binding: Binding) -> dict[str, Attr]:
    """Fill and outline of a period's band (arc or bar)."""
    style = BINDING_STYLES[binding]
    attrs: dict[str, Attr] = {"fill": style.fill, "stroke": style.colour, "stroke-width": 1.4}
    if style.dash:
        attrs["stroke-dasharray"] = style.dash
    return attrs
