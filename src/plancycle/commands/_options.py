"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from plancycle.errors import InputError
from plancycle.i18n import LANGUAGES
from plancycle.models import ElectionPeriod, Schedule
from plancycle.municipalities import find_municipality
from plancycle.output import write_atomic
from plancycle.processes import PROCESS_MODELS
from plancycle.schedule import ScheduleOptions, build_schedule


def parse_date(text: str) -> dt.date:
    """argparse type: an ISO date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2027-10-21") from None


def parse_year(text: str) -> int:
    """argparse type: a year (validated later against the election years)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a year: use a municipal election year such as 2027") from None


def add_selection(parser: argparse.ArgumentParser, *, output: bool = True) -> None:
    """The options that select a schedule: year, municipality, model, K, E, language."""
    parser.add_argument("--election-year", type=parse_year, required=True, metavar="YEAR",
                        help="municipal election year: 2011, 2015, … (every fourth year)")
    parser.add_argument("--municipality", metavar="NUMBER|NAME",
                        help="kommunenummer (e.g. 1103) or name (e.g. Stavanger)")
    parser.add_argument("--model", choices=PROCESS_MODELS, default="samskaping",
                        help="process model (default: samskaping)")
    parser.add_argument("--constituted", type=parse_date, metavar="YYYY-MM-DD",
                        help="date of the constituent meeting (default: assumed, third Thursday "
                             "of October)")
    parser.add_argument("--election-day", type=parse_date, metavar="YYYY-MM-DD",
                        help="election day, when it differs from the official or customary one")
    parser.add_argument("--lang", choices=LANGUAGES, default="nb",
                        help="language of titles and descriptions (default: nb)")
    parser.add_argument("--no-handlingsdel-notice", action="store_true",
                        help="do not apply the 30-day handlingsdel notice (pbl § 11-4, "
                             "unverified)")
    if output:
        add_output(parser)


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write to FILE (atomically) instead of stdout")


def period_from_args(args: argparse.Namespace) -> ElectionPeriod:
    return ElectionPeriod.for_year(args.election_year, election_day_override=args.election_day,
                                   constituted=args.constituted)


def options_from_args(args: argparse.Namespace) -> ScheduleOptions:
    return ScheduleOptions(handlingsdel_notice=not args.no_handlingsdel_notice)


def schedule_from_args(args: argparse.Namespace) -> Schedule:
    """The schedule the selection options describe."""
    municipality = find_municipality(args.municipality) if args.municipality else None
    return build_schedule(period_from_args(args), municipality, args.model,
                          options_from_args(args), lang=args.lang)


def warn(message: str) -> None:
    """A warning on stderr; it does not change the exit code."""
    print(f"plancycle: warning: {message}", file=sys.stderr)


def emit(data: bytes, output: Path | None) -> None:
    """Write ``data`` to ``output`` atomically, or to stdout."""
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
