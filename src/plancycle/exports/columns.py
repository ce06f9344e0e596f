"""The columns the workbooks share: a milestone as typed cells with headers in the user's
language, and the "about" sheet of a report (its field–value pairs)."""

from __future__ import annotations

from collections.abc import Sequence

from plancycle.exports.sheets import Cell, Sheet
from plancycle.i18n import Language, label
from plancycle.models import Milestone
from plancycle.municipalities import County, Municipality

#: A milestone's columns in a workbook, in order: the title first (it names the row).
MILESTONE_COLUMNS = ("title", "start", "end", "due", "process", "kind", "binding", "confidence",
                     "provisional", "basis", "id")


def header(columns: Sequence[str], lang: Language) -> list[str]:
    """The headers of ``columns`` (``export_col_<name>``) in ``lang``."""
    return [label(f"export_col_{name}", lang) for name in columns]


def milestone_cells(m: Milestone, lang: Language) -> list[Cell]:
    """:data:`MILESTONE_COLUMNS` of ``m``: dates as dates, ``provisional`` a boolean, process,
    kind, binding and confidence in words."""
    basis = "; ".join(f"{b.law} {b.section}" for b in m.basis)
    return [m.title, m.start, m.end, m.due, label(f"process_{m.process}", lang),
            label(f"kind_{m.kind}", lang), label(m.binding, lang),
            label(f"confidence_{m.confidence}", lang), m.provisional, basis, m.id]


def owner_text(owner: Municipality | County | None) -> str | None:
    """``Stavanger (1103)``, or None for a schedule tied to no municipality."""
    return f"{owner.name} ({owner.number})" if owner is not None else None


def about_sheet(pairs: Sequence[tuple[str, Cell]], lang: Language) -> Sheet:
    """The "about" sheet: one row per field (``export_about_<key>`` or ``export_col_<key>``
    when no ``about`` text exists) and its typed value."""
    rows = [(label(key, lang), value) for key, value in pairs]
    return Sheet(label("export_sheet_about", lang), header(("field", "value"), lang), rows,
                 frozen_columns=1)
