"""What the plans decide, from the challenge picture to the budget (issue 11).

::

    from plancycle.content import load_content, thread_report
    content = load_content(["utfordringsbilde.toml", "foringer.toml", "samfunnsdel.toml",
                            "budsjett-2028.toml"])
    report = thread_report(content)
    report.broken            # focus areas no budget carries

The documents (:mod:`.models`) are read from TOML or Excel (:mod:`.files`, :mod:`.workbook`);
the report (:mod:`.thread`) is pure; :mod:`.calendar` gives the calendar's and the årshjul's notes.
"""

from __future__ import annotations

from plancycle.content.calendar import calendar_notes, wheel_centre
from plancycle.content.files import ContentError, load_content, load_document, to_toml
from plancycle.content.models import (
    BudgetYear,
    ChallengePicture,
    ContentSet,
    FocusArea,
    Guideline,
    Guidelines,
    MainGoal,
    Measure,
    Samfunnsdel,
    Theme,
)
from plancycle.content.thread import ThreadReport, thread_report

__all__ = [
    "BudgetYear", "ChallengePicture", "ContentError", "ContentSet", "FocusArea", "Guideline",
    "Guidelines", "MainGoal", "Measure", "Samfunnsdel", "Theme", "ThreadReport",
    "calendar_notes", "load_content", "load_document", "thread_report", "to_toml",
    "wheel_centre",
]
