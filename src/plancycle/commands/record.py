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
from plancycle.errors import InputError
from plancycle.i18n import label
from plancycle.termfile import record


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "record", help="record a fact (what actually happened) in a term file",
        description="Add one fact to a term file: MILESTONE_ID happened on DATE (a phase opened "
                    "on DATE, and closed on --end). The fact is checked against the term; a "
                    "refused fact leaves the file unchanged. Recording the same fact again "
                    "changes nothing.")
    parser.add_argument("term_file", metavar="TERM_FILE", type=Path, help="the term file (TOML)")
    parser.add_argument("milestone", metavar="MILESTONE_ID",
                        help="e.g. planstrategi.adopted or action_economy_plan.2028.adopted")
    parser.add_argument("date", metavar="DATE", type=parse_date,
                        help="the day it happened (a phase: the day it opened), YYYY-MM-DD")
    parser.add_argument("--end", type=parse_date, metavar="YYYY-MM-DD",
                        help="for a phase (a consultation, a hearing): the day it closed")
    parser.add_argument("--replace", action="store_true",
                        help="correct a fact already recorded with other dates")
    parser.add_argument("--recorded", metavar="ISO-DATETIME",
                        help="when the fact was recorded, with a time zone (e.g. "
                             "2028-12-01T09:30:00Z; default: now, UTC)")
    parser.add_argument("--source", metavar="TEXT",
                        help="where the fact is documented (a URL, a case number)")
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
