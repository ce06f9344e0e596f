"""The words the drawings print (month names, dates, owner, model, hover texts) in the chosen
language, and the order in which processes are shown."""

from __future__ import annotations

import datetime as dt

from plancycle.i18n import Language, label
from plancycle.models import Milestone, Schedule
from plancycle.processes.declaration import PROCESS_NAMES


def month_name(month: int, lang: Language) -> str:
    return label(f"svg_month_{month}", lang)


def month_short(month: int, lang: Language) -> str:
    return label(f"svg_month_short_{month}", lang)


def day_text(day: dt.date, lang: Language, *, with_year: bool) -> str:
    """``2. mar`` / ``2 Mar``, with the year when asked."""
    key = "svg_date_year" if with_year else "svg_date"
    return label(key, lang, day=day.day, month=month_short(day.month, lang), year=day.year)


def when_text(milestone: Milestone, lang: Language, *, year: int | None) -> str:
    """The planned date (or first–last day of a period) of ``milestone``; the year is written
    unless every date shown lies in ``year``. A ``*`` marks a provisional date."""
    days = (milestone.start,) if milestone.start == milestone.end else (milestone.start, milestone.end)
    with_year = year is None or any(day.year != year for day in days)
    text = "–".join(day_text(day, lang, with_year=with_year) for day in days)
    return text + "*" if milestone.provisional else text


def owner_name(schedule: Schedule) -> str:
    """The municipality's (or county's) name, or "all municipalities"."""
    owner = schedule.municipality or schedule.county
    return owner.name if owner else label("svg_all_municipalities", schedule.lang)


def model_name(schedule: Schedule) -> str:
    return label(f"svg_model_{schedule.model}", schedule.lang)


def term_text(schedule: Schedule) -> str:
    year = schedule.period.election_year
    return label("svg_term", schedule.lang, start=year, end=year + 4)


def term_year_text(year: int, schedule: Schedule) -> str:
    """``valgår`` for the election year, ``år 1`` … ``år 4`` for the years of the term."""
    number = year - schedule.period.election_year
    if number == 0:
        return label("svg_election_year", schedule.lang)
    return label("svg_term_year", schedule.lang, number=number)


def milestone_tooltip(milestone: Milestone, lang: Language) -> str:
    """The hover text of an item: title, dates, binding, due date and the paragraphs it cites."""
    parts = [milestone.title, when_text(milestone, lang, year=None), label(milestone.binding, lang)]
    if milestone.due is not None:
        parts.append(f"{label('due', lang)}: {day_text(milestone.due, lang, with_year=True)}")
    parts += [f"{basis.law} {basis.section}".strip() for basis in milestone.basis]
    if milestone.provisional:
        parts.append(label("provisional", lang))
    return "\n".join(parts)


def process_order(schedule: Schedule) -> list[str]:
    """The processes of ``schedule`` in the order of the rings and rows (election first)."""
    present: set[str] = {m.process for m in schedule.milestones}
    ordered: list[str] = [p for p in PROCESS_NAMES if p in present]
    return ordered + sorted(present - set(ordered))
