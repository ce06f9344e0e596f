"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from plancycle.calendar_no import check_election_year
from plancycle.errors import InputError
from plancycle.feed.config import FeedConfig
from plancycle.feed.register import load_register
from plancycle.i18n import LANGUAGES
from plancycle.meetings import DEFAULT_PATTERN, MeetingPlan, compile_pattern, load_meeting_plan
from plancycle.models import ElectionPeriod, Schedule
from plancycle.municipalities import County, Municipality, find_county, find_municipality
from plancycle.output import write_atomic
from plancycle.processes import PROCESS_MODELS
from plancycle.schedule import ScheduleOptions, build_schedule
from plancycle.termfile import TermFile, read_term_file


class UsageError(Exception):
    """The command line is wrong (argparse found it, or a handler did): the CLI prints the
    message in the user's language and exits 2."""


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


def add_selection(parser: argparse.ArgumentParser, *, output: bool = True,
                  term: bool = False) -> None:
    """The options that select a schedule: year, municipality, model, K, E, language; with
    ``term``, also ``--term FILE`` (a followed term), which replaces the others
    (:func:`term_from_args`)."""
    if term:
        parser.add_argument("--term", type=Path, metavar="FILE",
                            help="a followed term (a term file, see plancycle record): its "
                                 "current dates, actual where recorded; replaces --election-year, "
                                 "--municipality, --county and the options the file holds")
    parser.add_argument("--election-year", type=parse_year, required=not term, metavar="YEAR",
                        help="municipal election year: 2011, 2015, … (every fourth year)")
    owner = parser.add_mutually_exclusive_group()
    owner.add_argument("--municipality", metavar="NUMBER|NAME",
                       help="kommunenummer (e.g. 1103) or name (e.g. Stavanger)")
    owner.add_argument("--county", metavar="NUMBER|NAME",
                       help="a county authority (fylkeskommune) by fylkesnummer (e.g. 46) or name "
                            "(e.g. Vestland)")
    parser.add_argument("--model", choices=PROCESS_MODELS, default=None if term else "samskaping",
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
    parser.add_argument("--meetings", type=Path, metavar="FILE",
                        help="the council's meeting plan (.ics, .csv or .toml): decisions are "
                             "placed on its meetings")
    parser.add_argument("--meeting-pattern", metavar="REGEX",
                        help="which events of an .ics meeting plan are council meetings "
                             f"(searched in SUMMARY, case-insensitive; default: {DEFAULT_PATTERN})")
    if output:
        add_output(parser)


def add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="nb",
                        help="language of titles, descriptions and messages (default: nb)")


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write to FILE (atomically) instead of stdout")


def period_from_args(args: argparse.Namespace) -> ElectionPeriod:
    return ElectionPeriod.for_year(args.election_year, election_day_override=args.election_day,
                                   constituted=args.constituted)


def meeting_plan_from_args(args: argparse.Namespace) -> MeetingPlan | None:
    """The meeting plan of ``--meetings`` (its reader's warnings go to stderr), or None."""
    path: Path | None = getattr(args, "meetings", None)
    pattern: str | None = getattr(args, "meeting_pattern", None)
    if path is None:
        if pattern is not None:
            raise InputError(key="meeting_pattern_alone")
        return None
    plan = load_meeting_plan(path, pattern, lang=args.lang)
    for message in plan.warnings:
        warn(message)
    return plan


def options_from_args(args: argparse.Namespace) -> ScheduleOptions:
    plan = meeting_plan_from_args(args)
    return ScheduleOptions(handlingsdel_notice=not args.no_handlingsdel_notice,
                           council_meetings=plan.dates if plan else ())


def owner_from_args(args: argparse.Namespace) -> Municipality | County | None:
    """The municipality of ``--municipality`` or the county authority of ``--county``."""
    if args.municipality:
        return find_municipality(args.municipality)
    county: str | None = getattr(args, "county", None)
    return find_county(county) if county else None


def schedule_from_args(args: argparse.Namespace) -> Schedule:
    """The schedule the selection options describe."""
    return build_schedule(period_from_args(args), owner_from_args(args),
                          args.model or "samskaping", options_from_args(args), lang=args.lang)


#: The selection options a term file replaces (``--term`` is not allowed with them).
_TERM_REPLACES = (("election_year", "--election-year"), ("municipality", "--municipality"),
                  ("county", "--county"), ("model", "--model"), ("constituted", "--constituted"),
                  ("election_day", "--election-day"),
                  ("no_handlingsdel_notice", "--no-handlingsdel-notice"),
                  ("meetings", "--meetings"), ("meeting_pattern", "--meeting-pattern"))


def term_from_args(args: argparse.Namespace) -> TermFile | None:
    """The term file of ``--term`` (its meeting plan's warnings go to stderr), or None when the
    selection options are used instead; both, or neither, is a :class:`UsageError`."""
    path: Path | None = getattr(args, "term", None)
    if path is None:
        if args.election_year is None:
            raise UsageError("the following arguments are required: --election-year | --term")
        return None
    for name, option in _TERM_REPLACES:
        if getattr(args, name, None):
            raise UsageError(f"argument --term: not allowed with argument {option}")
    loaded = read_term_file(path, lang=args.lang)
    for message in loaded.warnings:
        warn(message)
    return loaded


def add_feed_config(parser: argparse.ArgumentParser) -> None:
    """Options of the feed server and static publishing: meeting plans, register, base URL."""
    parser.add_argument("--meetings-dir", type=Path, metavar="DIR",
                        help="folder of council meeting plans that feeds may name "
                             "(?meetings=NAME, or meetings in the register)")
    parser.add_argument("--meeting-pattern", metavar="REGEX",
                        help="council meetings in those plans' .ics files (default: "
                             f"{DEFAULT_PATTERN}); the register may set one per file")
    parser.add_argument("--register", type=Path, metavar="FILE",
                        help="feed register (TOML): the dated decisions (constituent meeting, "
                             "meeting plan) that move events, so SEQUENCE rises")
    parser.add_argument("--base-url", metavar="URL",
                        help="public address of the feeds, e.g. https://plan.example.no")


def feed_config_from_args(args: argparse.Namespace, *, election_year: int | None,
                          cache_size: int = 512) -> FeedConfig:
    """The :class:`FeedConfig` of :func:`add_feed_config`'s options, checked now so that a
    wrong folder or a broken register fails at start, not on a subscriber's request."""
    folder: Path | None = args.meetings_dir
    if folder is not None and not folder.is_dir():
        raise InputError(key="feed_meetings_dir", folder=str(folder))
    if args.meeting_pattern is not None:
        compile_pattern(args.meeting_pattern)
    if args.register is not None:
        load_register(args.register)
    if election_year is not None:
        check_election_year(election_year)
    return FeedConfig(base_url=args.base_url, meetings_dir=folder.resolve() if folder else None,
                      meeting_pattern=args.meeting_pattern, register=args.register,
                      election_year=election_year, cache_size=cache_size)


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
