"""What ``wheel`` and ``timeline`` write: SVG only. Asked for another image format, they say
today's way to make one from the SVG instead of writing SVG under a misleading name."""

from __future__ import annotations

from pathlib import Path

from plancycle.errors import InputError
from plancycle.output import shown

#: The formats ``rsvg-convert`` (Debian's librsvg2-bin) writes; any other image becomes a PNG.
_CONVERTIBLE = ("png", "pdf", "ps", "eps")


def check_svg_output(output: Path | None) -> None:
    """Refuse an ``--output`` whose suffix is not ``.svg`` (a file without a suffix gets SVG),
    naming the command that makes the asked format from the SVG."""
    if output is None or not output.suffix or output.suffix.lower() == ".svg":
        return
    asked = output.suffix[1:].lower()
    kind = asked if asked in _CONVERTIBLE else "png"
    svg = output.with_suffix(".svg")
    raise InputError(key="image_not_svg", file=shown(output), suffix=output.suffix,
                     svg=shown(svg), kind=kind, converted=shown(output.with_suffix(f".{kind}")))
