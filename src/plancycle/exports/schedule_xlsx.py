"""``plancycle schedule --format xlsx``: a sheet of milestones and one about the term."""

from __future__ import annotations

from plancycle.exports.columns import (
    MILESTONE_COLUMNS,
    about_sheet,
    header,
    milestone_cells,
    owner_text,
)
from plancycle.exports.sheets import Cell, Sheet, workbook
from plancycle.i18n import label
from plancycle.models import Schedule


def schedule_sheets(schedule: Schedule) -> list[Sheet]:
    """The milestones (one row each, in date order) and the about sheet (municipality, election
    year, model, election day, constituent meeting, warnings)."""
    lang = schedule.lang
    milestones = Sheet(label("export_sheet_milestones", lang), header(MILESTONE_COLUMNS, lang),
                       [milestone_cells(m, lang) for m in schedule.milestones], frozen_columns=1)
    period = schedule.period
    pairs: list[tuple[str, Cell]] = [
        ("export_about_owner", owner_text(schedule.municipality or schedule.county)),
        ("export_about_election_year", period.election_year),
        ("export_col_model", schedule.model),
        ("export_about_election_day", period.election_day),
        ("export_about_constituted", period.constituted),
        ("export_about_constituted_assumed", period.constituted_assumed),
        *(("export_about_warning", warning) for warning in schedule.warnings)]
    return [milestones, about_sheet(pairs, lang)]


def schedule_xlsx(schedule: Schedule) -> bytes:
    """The schedule as ``.xlsx`` bytes (the same schedule always gives the same bytes)."""
    return workbook(schedule_sheets(schedule), schedule.lang)
