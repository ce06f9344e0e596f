"""``plancycle schedule`` and ``plancycle ics``: one term's milestones as text or a calendar.

With ``--term FILE`` both show a followed term (a term file): its current dates, actual where
facts are recorded and re-planned from them otherwise.
"""

from __future__ import annotations

import argparse
from typing import Any

from plancycle.commands._options import (
    add_selection,
    emit,
    nonempty_path,
    parse_date,
    schedule_from_args,
    term_from_args,
    warn,
)
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.errors import InputError
from plancycle.ical import to_ical
from plancycle.output import to_csv, to_json, to_table


def register(commands: Any) -> None:
    schedule = commands.add_parser("schedule", help=help_text("command_schedule"),
                                   description=help_text("schedule_description"))
    add_selection(schedule, term=True)
    schedule.add_argument("--format", choices=("table", "json", "csv"), default="table",
                          help=help_text("opt_format"))
    add_table_options(schedule, ids=True)
    schedule.set_defaults(handler=run_schedule)
    ics = commands.add_parser("ics", help=help_text("command_ics"),
                              description=help_text("ics_description"))
    add_selection(ics, term=True)
    ics.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                     help=help_text("ics_today"))
    ics.add_argument("--content", type=nonempty_path, nargs="+", metavar="FILE",
                     help=help_text("ics_content"))
    ics.set_defaults(handler=run_ics)


def run_schedule(args: argparse.Namespace) -> int:
    loaded = term_from_args(args)
    schedule = loaded.term.schedule(args.lang) if loaded else schedule_from_args(args)
    if args.format == "table":
        data = to_table(schedule, width=table_width(args), ids=args.ids).encode()
    else:
        data = (to_json if args.format == "json" else to_csv)(schedule).encode()
    for warning in schedule.warnings:
        warn(warning)
    emit(data, args.output)
    return 0


def run_ics(args: argparse.Namespace) -> int:
    loaded = term_from_args(args)
    notes = None
    if args.content:
        from plancycle.content import calendar_notes, load_content

        notes = calendar_notes(load_content(args.content), args.lang)
    if loaded is None:
        if args.today is not None:
            raise InputError(key="termfile_today_needs_term")
        schedule = schedule_from_args(args)
        data = to_ical(schedule, notes=notes)
        warnings = schedule.warnings
    else:
        from plancycle.ical import versioned_ical
        from plancycle.term_calendar import term_revisions

        # term_to_ical, with the content's notes
        data = versioned_ical(term_revisions(loaded.term, today=args.today, lang=args.lang),
                              notes=notes)
        warnings = loaded.term.schedule(args.lang).warnings
    for warning in warnings:
        warn(warning)
    emit(data, args.output)
    return 0
