"""Pictures of a schedule as SVG, written with the standard library only.

- :func:`wheel_svg`: the årshjul (year wheel) of one year of the term, or of the whole term;
- :func:`timeline_svg`: a Gantt-style timeline of the term, one row per process.

Both are pure: the same schedule gives the same bytes. Labels never overlap at the drawing's own
size (:mod:`plancycle.svg.layout`); texts come in the schedule's language.
"""

from __future__ import annotations

from plancycle.svg.timeline import timeline_svg
from plancycle.svg.wheel import wheel_svg

__all__ = ["timeline_svg", "wheel_svg"]
