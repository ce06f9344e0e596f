"""``plancycle status --format xlsx``: a followed term on a day, a sheet per part: the milestones
with their status and dates, the rules broken so far, the forecast and one about the term."""

from __future__ import annotations

from collections.abc import Sequence

from plancycle.checks import Violation
from plancycle.exports.columns import (
    MILESTONE_COLUMNS,
    about_sheet,
    header,
    milestone_cells,
    owner_text,
)
from plancycle.exports.sheets import Cell, Sheet, workbook
from plancycle.i18n import Language, label
from plancycle.term import TermMilestone, TermStatus

#: The columns of the milestones sheet: status first, then the milestone's and the term's dates.
STATUS_COLUMNS = ("status", *MILESTONE_COLUMNS[:4], "inferred", "planned_start", "planned_end",
                  "actual_start", "actual_end", *MILESTONE_COLUMNS[4:])
#: The columns of the violations and forecast sheets.
VIOLATION_COLUMNS = ("date", "rule", "milestone", "limit", "days_late", "binding", "section",
                     "message", "fix", "url")


def _milestone_row(m: TermMilestone, lang: Language) -> list[Cell]:
    cells = milestone_cells(m, lang)
    return [label(f"termstatus_{m.status}", lang), *cells[:4], m.inferred, m.planned_start,
            m.planned_end, m.actual_start, m.actual_end, *cells[4:]]


def _violations(name: str, found: Sequence[Violation], lang: Language) -> Sheet:
    rows: list[list[Cell]] = [[v.date, v.rule, v.milestone, v.limit, v.days_late,
                               label(v.binding, lang), v.section, v.message, v.fix, v.url]
                              for v in found]
    return Sheet(label(name, lang), header(VIOLATION_COLUMNS, lang), rows, frozen_columns=1)


def status_sheets(status: TermStatus, lang: Language) -> list[Sheet]:
    """Milestones, violations, forecast and the about sheet."""
    milestones = Sheet(label("export_sheet_milestones", lang), header(STATUS_COLUMNS, lang),
                       [_milestone_row(m, lang) for m in status.milestones], frozen_columns=2)
    pairs: list[tuple[str, Cell]] = [
        ("export_about_owner", owner_text(status.municipality or status.county)),
        ("export_about_election_year", status.election_year),
        ("export_col_model", status.model),
        ("export_about_today", status.today),
        *(("export_about_warning", warning) for warning in status.warnings)]
    return [milestones, _violations("export_sheet_violations", status.violations, lang),
            _violations("export_sheet_forecast", status.forecast, lang), about_sheet(pairs, lang)]


def status_xlsx(status: TermStatus, lang: Language = "nb") -> bytes:
    """The status report as ``.xlsx`` bytes (the same report always gives the same bytes)."""
    return workbook(status_sheets(status, lang), lang)
