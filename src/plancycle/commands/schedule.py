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
    options_from_args,
    parse_date,
    schedule_from_args,
    term_from_args,
    warn,
)
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.errors import InputError
from plancycle.exports.binary import refuse_terminal
from plancycle.ical import to_ical
from plancycle.output import to_csv, to_json, to_table


def register(commands: Any) -> None:
    schedule = commands.add_parser("schedule", help=help_text("command_schedule"),
                                   description=help_text("schedule_description"))
    add_selection(schedule, term=True)
    schedule.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table",
                          help=help_text("opt_format"))
    add_table_options(schedule, ids=True)
    every = schedule.add_mutually_exclusive_group()
    every.add_argument("--all-municipalities", action="store_true",
                       help=help_text("schedule_all_municipalities"))
    every.add_argument("--all-counties", action="store_true",
                       help=help_text("schedule_all_counties"))
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
    refuse_terminal(args.format, args.output)
    if args.all_municipalities or args.all_counties:
        return _run_every(args)
    loaded = term_from_args(args)
    schedule = loaded.term.schedule(args.lang) if loaded else schedule_from_args(args)
    if args.format == "table":
        data = to_table(schedule, width=table_width(args), ids=args.ids).encode()
    elif args.format == "xlsx":
        from plancycle.exports.schedule_xlsx import schedule_xlsx

        data = schedule_xlsx(schedule)
    else:
        data = (to_json if args.format == "json" else to_csv)(schedule).encode()
    for warning in schedule.warnings:
        warn(warning)
    emit(data, args.output)
    return 0


def _run_every(args: argparse.Namespace) -> int:
    """``--all-municipalities`` / ``--all-counties``: every owner's schedule as one table."""
    from plancycle.exports.every import every_csv, every_json, every_schedule, every_xlsx

    option = "--all-counties" if args.all_counties else "--all-municipalities"
    for name, other in (("term", "--term"), ("municipality", "--municipality"),
                        ("county", "--county")):
        if getattr(args, name, None):
            raise InputError(key="export_all_not_with", option=option, other=other)
    if args.election_year is None:
        raise InputError(key="export_all_needs_year", option=option)
    if args.format == "table":
        raise InputError(key="export_all_table", option=option)
    every = every_schedule(args.election_year, args.model or "samskaping", args.lang,
                           counties=args.all_counties, options=options_from_args(args),
                           election_day=args.election_day, constituted=args.constituted)
    renderers = {"json": every_json, "csv": every_csv}
    data = every_xlsx(every) if args.format == "xlsx" else renderers[args.format](every).encode()
    for warning in every.warnings:
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
