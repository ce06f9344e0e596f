"""``plancycle next``: what is due in the coming weeks, most binding first; with ``--term`` the
followed term's current dates and statuses, overdue first (:mod:`plancycle.upcoming`)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from typing import Any

from plancycle.commands._listing import FORMATS, render_csv, render_json
from plancycle.commands._options import (
    add_selection,
    emit,
    parse_date,
    parse_integer,
    schedule_from_args,
    term_from_args,
    warn,
)
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.i18n import Language, label
from plancycle.municipalities import County, Municipality
from plancycle.textable import date_cell, fit, paragraph
from plancycle.upcoming import MAX_WEEKS, DueItem, check_weeks, due_soon, due_soon_in_term

#: The columns of ``next --format csv`` (and the fields of each JSON item).
CSV_FIELDS = ("id", "title", "date", "event", "binding", "confidence", "rules", "status")


def register(commands: Any) -> None:
    parser = commands.add_parser("next", help=help_text("command_next"),
                                 description=help_text("next_description"))
    add_selection(parser, term=True)
    parser.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                        help=help_text("next_today"))
    parser.add_argument("--weeks", type=parse_integer, default=6, metavar="N",
                        help=help_text("next_weeks", limit=MAX_WEEKS))
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help=help_text("next_format"))
    add_table_options(parser, ids=True)
    parser.set_defaults(handler=run_next)


def run_next(args: argparse.Namespace) -> int:
    weeks = check_weeks(args.weeks)
    today: dt.date = args.today
    if today is None:  # the edge: the machine's day, only when none is given
        from plancycle.clock import utc_today

        today = utc_today()
    loaded = term_from_args(args)
    owner: Municipality | County | None
    if loaded is not None:
        status = loaded.term.status(today, lang=args.lang)
        items, owner, year = due_soon_in_term(status, weeks), status.municipality or status.county, \
            status.election_year
        warnings, term = status.warnings, True
    else:
        schedule = schedule_from_args(args)
        items = due_soon(schedule, today, weeks)
        owner, year = schedule.municipality or schedule.county, schedule.period.election_year
        warnings, term = schedule.warnings, False
    last = today + dt.timedelta(weeks=weeks)
    if args.format == "json":
        text = render_json({
            "today": today.isoformat(), "until": last.isoformat(), "weeks": weeks,
            "election_year": year,
            "county" if isinstance(owner, County) else "municipality":
                {"number": owner.number, "name": owner.name} if owner else None,
            "items": [_fields(item) for item in items]})
    elif args.format == "csv":
        text = render_csv(CSV_FIELDS, [[str(v) for v in _fields(item, csv=True).values()]
                                       for item in items])
    else:
        text = next_table(items, today, last, owner, args.lang, term=term,
                          width=table_width(args), ids=args.ids)
    for message in warnings:
        warn(message)
    emit(text.encode(), args.output)
    return 0


def _fields(item: DueItem, *, csv: bool = False) -> dict[str, Any]:
    rules: Sequence[str] | str = " ".join(item.rules) if csv else list(item.rules)
    return {"id": item.id, "title": item.title, "date": item.date.isoformat(),
            "event": item.event, "binding": item.binding, "confidence": item.confidence,
            "rules": rules, "status": item.status or ("" if csv else None)}


def next_table(items: Sequence[DueItem], today: dt.date, last: dt.date,
               owner: Municipality | County | None, lang: Language, *, term: bool,
               width: int | None = None, ids: bool = False) -> str:
    """A heading (whose days, which weeks) and one line per item, at most ``width`` characters
    wide (:func:`plancycle.textable.fit`; the title wraps, the rule ids are kept whole), the
    milestone ids only with ``ids``; a line saying so when nothing is due."""
    first, until = date_cell(today, lang), date_cell(last, lang)
    name = f"{owner.name} ({owner.number})" if owner else label("termstatus_no_owner", lang)
    heading = paragraph(label("next_heading", lang, owner=name, first=first, last=until), width)
    if not items:
        return "\n".join([*heading, "", *paragraph(label("next_nothing", lang, first=first,
                                                          last=until), width)]) + "\n"
    header = ([label("next_col_status", lang)] if term else []) \
        + [label(f"next_col_{column}", lang) for column in ("date", "event", "binding", "rule")] \
        + ([label("tables_col_id", lang)] if ids else []) + [label("next_col_title", lang)]
    rows = [([label(f"termstatus_{item.status}", lang)] if term else [])
            + [date_cell(item.date, lang), label(f"next_event_{item.event}", lang),
               label(item.binding, lang), ", ".join(item.rules)]
            + ([item.id] if ids else []) + [item.title]
            for item in items]
    return "\n".join([*heading, "", *fit([header, *rows], width,
                                          wrapping=len(header) - 1)]) + "\n"
