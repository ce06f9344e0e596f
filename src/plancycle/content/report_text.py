"""The thread report as a table (text) and as JSON (``plancycle thread --format table|json``).

JSON: :class:`~plancycle.content.thread.ThreadReport` as ``model_dump(mode="json")`` writes it
(``breadth.covered``/``missing`` are goal numbers, ``focus_areas[].years`` the measures per
budget year, ``scenario`` one entry per model with ``reach`` by focus area).
"""

from __future__ import annotations

import json

from plancycle.content.thread import FocusThread, ThreadReport
from plancycle.i18n import Language, label
from plancycle.textable import date_cell, fit, paragraph


def to_json(report: ThreadReport) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def yes_no(value: bool | None, lang: Language) -> str:
    return "–" if value is None else label("thread_yes" if value else "thread_no", lang)


def share_text(share: float) -> str:
    return f"{round(share * 100)} %"


def _row(thread: FocusThread, years: tuple[int, ...], lang: Language) -> list[str]:
    carried = {y.year: len(y.measures) for y in thread.years}
    return [thread.id, label(f"thread_kind_{thread.kind}", lang),
            ", ".join(thread.guidelines) or "–", ", ".join(thread.themes) or "–",
            *(str(carried.get(y, "–")) for y in years),
            str(thread.first_budget_year) if thread.first_budget_year else
            label("thread_broken", lang),
            share_text(thread.term_share), yes_no(thread.adopted_after_samfunnsdel, lang)]


def table(rows: list[list[str]], width: int | None = None) -> str:
    """Rows as a table of at most ``width`` characters; guidelines and themes wrap."""
    return "\n".join(fit(rows, width, wrapping=(2, 3)))


def to_table(report: ThreadReport, lang: Language, *, width: int | None = None) -> str:
    """The report for a terminal, at most ``width`` characters wide (``None``: no limit)."""
    years = tuple(sorted({*report.term_years, *report.budget_years}))
    out = [*paragraph(label("thread_title", lang, owner=report.municipality or "–",
                            first=report.election_year, last=report.election_year + 4), width), ""]
    if report.breadth is not None:
        b = report.breadth
        out.append(label("thread_breadth", lang, count=len(b.covered),
                         goals=", ".join(map(str, b.covered)) or "–"))
        out.append(label("thread_breadth_missing", lang,
                         goals=", ".join(map(str, b.missing)) or "–"))
        out.append("")
    header = [label("thread_col_focus_area", lang), label("thread_col_kind", lang),
              label("thread_col_guidelines", lang), label("thread_col_themes", lang),
              *map(str, years), label("thread_col_first", lang), label("thread_col_share", lang),
              label("thread_col_after", lang)]
    out.append(table([header, *(_row(t, years, lang) for t in report.focus_areas)], width))
    out.append("")
    out.append(label("thread_broken_list", lang, ids=", ".join(report.broken) or "–"))
    orphans = "; ".join(f"{o.year} {o.id} ({o.title})" for o in report.orphans)
    out.append(label("thread_orphans", lang, items=orphans or "–"))
    if report.untraced_themes:
        out.append(label("thread_untraced", lang, ids=", ".join(report.untraced_themes)))
    if report.timing is not None and report.timing.samfunnsdel is not None:
        day = report.timing.samfunnsdel
        out.append(label("thread_samfunnsdel_adopted", lang, date=date_cell(day.date, lang),
                         how=label("thread_recorded" if day.recorded else "thread_planned", lang)))
    for reach in report.scenario:
        first = reach.first_budget_after_samfunnsdel
        areas = ", ".join(f"{k} {v or '–'}" for k, v in reach.reach.items())
        out.append(label("thread_scenario_line", lang, model=reach.model,
                         year=first if first is not None else "–", areas=areas or "–"))
    return "\n".join(line for text in out for line in
                     ([text] if "\n" in text or not text else paragraph(text, width))) + "\n"
