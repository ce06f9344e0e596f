"""The ``plancycle`` command line: a contract other tools script against.

Bad input never shows a traceback: one line on stderr naming what was wrong and what is allowed,
and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from plancycle import __version__
from plancycle.errors import InputError, PlanCycleError
from plancycle.i18n import LANGUAGES
from plancycle.ical import to_ical
from plancycle.models import ElectionPeriod, Schedule
from plancycle.municipalities import find_municipality
from plancycle.output import to_csv, to_json, to_table, write_atomic
from plancycle.processes import PROCESS_MODELS
from plancycle.schedule import ScheduleOptions, build_schedule

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2027-10-21") from None


def _year(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a year: use a municipal election year such as 2027") from None


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--election-year", type=_year, required=True, metavar="YEAR",
                        help="municipal election year: 2011, 2015, … (every fourth year)")
    parser.add_argument("--municipality", metavar="NUMBER|NAME",
                        help="kommunenummer (e.g. 1103) or name (e.g. Stavanger)")
    parser.add_argument("--model", choices=PROCESS_MODELS, default="samskaping",
                        help="process model (default: samskaping)")
    parser.add_argument("--constituted", type=_date, metavar="YYYY-MM-DD",
                        help="date of the constituent meeting (default: assumed, third Thursday "
                             "of October)")
    parser.add_argument("--election-day", type=_date, metavar="YYYY-MM-DD",
                        help="election day, when it differs from the official or customary one")
    parser.add_argument("--lang", choices=LANGUAGES, default="nb",
                        help="language of titles and descriptions (default: nb)")
    parser.add_argument("--no-handlingsdel-notice", action="store_true",
                        help="do not apply the 30-day handlingsdel notice (pbl § 11-4, "
                             "unverified)")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write to FILE (atomically) instead of stdout")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="plancycle",
                     description="Norwegian municipal plan cycle: schedules and calendars.")
    parser.add_argument("--version", action="version", version=f"plancycle {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                     metavar="COMMAND")
    schedule = commands.add_parser("schedule", help="the milestones of one term")
    _selection(schedule)
    schedule.add_argument("--format", choices=("table", "json", "csv"), default="table")
    ics = commands.add_parser("ics", help="the term as an iCalendar file")
    _selection(ics)
    return parser


def _schedule(args: argparse.Namespace) -> Schedule:
    period = ElectionPeriod.for_year(args.election_year,
                                     election_day_override=args.election_day,
                                     constituted=args.constituted)
    municipality = find_municipality(args.municipality) if args.municipality else None
    options = ScheduleOptions(handlingsdel_notice=not args.no_handlingsdel_notice)
    return build_schedule(period, municipality, args.model, options, lang=args.lang)


def _render(args: argparse.Namespace, schedule: Schedule) -> bytes:
    if args.command == "ics":
        return to_ical(schedule)
    if args.format == "json":
        return to_json(schedule).encode()
    if args.format == "csv":
        return to_csv(schedule).encode()
    return to_table(schedule).encode()


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if output.is_dir():
        raise InputError(f"--output {output} is a directory: give a file name")
    if not output.parent.exists():
        raise InputError(f"--output {output}: folder {output.parent} does not exist")
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise InputError(f"--output {output} cannot be written: {exc.strerror}") from exc


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 fine, 2 bad input)."""
    try:
        args = build_parser().parse_args(argv)
        schedule = _schedule(args)
        data = _render(args, schedule)
        for warning in schedule.warnings:
            print(f"plancycle: warning: {warning}", file=sys.stderr)
        _emit(data, args.output)
    except _UsageError as exc:
        print(f"plancycle: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PlanCycleError as exc:
        print(f"plancycle: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    return 0


def main() -> NoReturn:
    sys.exit(run())
