"""A small SVG writer on :mod:`xml.etree.ElementTree`: escaping by the XML library, numbers in one
fixed format, attributes in the order given, so the same drawing always gives the same bytes."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from plancycle.svg.metrics import FONT_FAMILY, Anchor, text_box

SVG_NS = "http://www.w3.org/2000/svg"

Attr = str | float | int


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (``-0`` written as ``0``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(attrs: dict[str, Attr]) -> dict[str, str]:
    return {key: value if isinstance(value, str) else num(value) for key, value in attrs.items()}


class Drawing:
    """An ``<svg>`` document of ``width`` × ``height`` px (also its viewBox)."""

    def __init__(self, width: float, height: float, *, title: str, description: str) -> None:
        self.width, self.height = width, height
        self.root = ET.Element("svg", _attrs({
            "xmlns": SVG_NS, "width": math.ceil(width), "height": math.ceil(height),
            "viewBox": f"0 0 {math.ceil(width)} {math.ceil(height)}", "role": "img",
            "aria-labelledby": "title desc", "font-family": FONT_FAMILY,
        }))
        self.add(self.root, "title", {"id": "title"}, title)
        self.add(self.root, "desc", {"id": "desc"}, description)
        self.add(self.root, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})

    def add(self, parent: ET.Element, tag: str, attrs: dict[str, Attr] | None = None,
            text: str | None = None) -> ET.Element:
        element = ET.SubElement(parent, tag, _attrs(attrs or {}))
        if text is not None:
            element.text = text
        return element

    def group(self, parent: ET.Element, attrs: dict[str, Attr] | None = None) -> ET.Element:
        return self.add(parent, "g", attrs)

    def text(self, parent: ET.Element, x: float, y: float, content: str, *, size: float,
             anchor: Anchor = "start", bold: bool = False, angle: float = 0.0,
             fill: str = "#1f2328", attrs: dict[str, Attr] | None = None) -> ET.Element:
        """A one-line ``<text>`` with its font size, anchor and weight written out, so its box can
        be recomputed from the SVG alone (see :func:`plancycle.svg.metrics.text_box`)."""
        base: dict[str, Attr] = {"x": x, "y": y, "font-size": size, "text-anchor": anchor}
        if bold:
            base["font-weight"] = "bold"
        if angle:
            base["transform"] = f"rotate({num(angle)} {num(x)} {num(y)})"
        base["fill"] = fill
        base.update(attrs or {})
        left, top, right, bottom = text_box(x, y, content, size, anchor=anchor, bold=bold,
                                            angle=angle).bounds()
        if left < -0.5 or top < -0.5 or right > self.width + 0.5 or bottom > self.height + 0.5:
            raise ValueError(f"text {content!r} falls outside the drawing")
        return self.add(parent, "text", base, content)

    def to_bytes(self) -> bytes:
        ET.indent(self.root, space=" ")
        body = ET.tostring(self.root, encoding="unicode", short_empty_elements=True)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")

