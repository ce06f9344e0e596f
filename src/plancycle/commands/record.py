"""``plancycle record``: record one fact (what actually happened) in a term file.

The fact is checked by :meth:`plancycle.term.Term.record` and written with
:func:`plancycle.termfile.record_fact`: atomically, the file's comments and key order kept, and
nothing changed when it is refused. ``--recorded`` defaults to now (UTC, whole seconds): the one
place plancycle reads the clock, for metadata only (when the fact was recorded).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from plancycle.clock import utc_now
from plancycle.commands._options import add_language, parse_date
from plancycle.commands._texts import help_text
from plancycle.errors import InputError
from plancycle.i18n import label
from plancycle.termfile import record


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "record", help=help_text("command_record"),
        description=help_text("record_description"))
    parser.add_argument("term_file", metavar="TERM_FILE", type=Path, help=help_text("opt_term_file"))
    parser.add_argument("milestone", metavar="MILESTONE_ID",
                        help=help_text("record_milestone"))
    parser.add_argument("date", metavar="DATE", type=parse_date,
                        help=help_text("record_date"))
    parser.add_argument("--end", type=parse_date, metavar="YYYY-MM-DD",
                        help=help_text("record_end"))
    parser.add_argument("--replace", action="store_true",
                        help=help_text("record_replace"))
    parser.add_argument("--recorded", metavar="ISO-DATETIME",
                        help=help_text("record_recorded"))
    parser.add_argument("--source", metavar="TEXT",
                        help=help_text("record_source"))
    add_language(parser)
    parser.set_defaults(handler=run_record)


def parse_moment(text: str) -> dt.datetime:
    """An ISO date-time with a time zone, in UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise InputError(key="termfile_bad_recorded", value=text)
    return moment.astimezone(dt.UTC)


def run_record(args: argparse.Namespace) -> int:
    recorded = parse_moment(args.recorded) if args.recorded is not None \
        else utc_now()
    result = record(args.term_file, args.milestone, args.date, end=args.end,
                    replace=args.replace, recorded=recorded, source=args.source, lang=args.lang)
    fact = result.fact
    dates = fact.date.isoformat() + (f"–{fact.end.isoformat()}" if fact.end else "")
    key = "termfile_recorded" if result.changed else "termfile_unchanged"
    print(label(key, args.lang, file=str(args.term_file), id=fact.milestone, dates=dates))
    return 0
