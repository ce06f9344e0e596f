"""The thread report as a workbook (``plancycle thread --format xlsx``): a sheet of focus areas
(one row each, a column per budget year with its measures), one of the 17 SDGs and one of the
measures that serve no goal or focus area."""

from __future__ import annotations

import datetime as dt

from plancycle.content.thread import ThreadReport
from plancycle.i18n import Language, label
from plancycle.sdgs import goal
from plancycle.workbooks import workbook_bytes


def to_xlsx(report: ThreadReport, lang: Language) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.properties.creator = "plancycle"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    sheet = book.active
    assert sheet is not None
    sheet.title = "focus_areas"
    years = sorted({*report.term_years, *report.budget_years})
    sheet.append(["id", "title", "kind", "guidelines", "themes", *map(str, years),
                  "first_budget_year", "term_share", "adopted_after_samfunnsdel", "broken"])
    for t in report.focus_areas:
        carried = {y.year: ", ".join(y.measures) for y in t.years}
        sheet.append([t.id, t.title, t.kind, ", ".join(t.guidelines), ", ".join(t.themes),
                      *(carried.get(y, "") for y in years), t.first_budget_year, t.term_share,
                      t.adopted_after_samfunnsdel, t.broken])
    sdgs = book.create_sheet("sdgs")
    sdgs.append(["goal", "name", "challenge_picture", "samfunnsdel"])
    covered = set(report.breadth.covered) if report.breadth else set()
    for number in range(1, 18):
        sdgs.append([number, goal(number).names[lang], number in covered,
                     number in report.samfunnsdel_sdg_goals])
    orphans = book.create_sheet("orphans")
    orphans.append(["year", "id", "title"])
    for o in report.orphans:
        orphans.append([o.year, o.id, o.title])
    book.create_sheet("about").append([label("thread_title", lang, owner=report.municipality or "–",
                                             first=report.election_year,
                                             last=report.election_year + 4)])
    return workbook_bytes(book)
