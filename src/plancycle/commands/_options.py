"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from plancycle.commands._texts import cli_language, help_text
from plancycle.errors import InputError
from plancycle.i18n import LANGUAGES, Language, label
from plancycle.messages import Message, os_reason

if TYPE_CHECKING:  # the rest is imported where it is used, so a command loads what it needs
    from plancycle.feed.config import FeedConfig
    from plancycle.meetings import MeetingPlan
    from plancycle.models import ElectionPeriod, Schedule
    from plancycle.municipalities import County, Municipality
    from plancycle.schedule import ScheduleOptions
    from plancycle.termfile import TermFile

#: The default of ``--meeting-pattern`` (as :data:`plancycle.meetings.DEFAULT_PATTERN`, which a
#: test holds equal), here so that building the parser does not import the meeting plans.
DEFAULT_PATTERN = r"kommunestyre|bystyre|fylkesting"


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


#: A whole number as the command line takes it: ASCII digits only (``int()`` also takes ``²``'s
#: cousins such as ``٢٠٢٧``), an optional sign, at most 30 digits.
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


def whole_number(text: str) -> int | None:
    """``text`` as an int when it is a whole number in ASCII digits, else None."""
    stripped = text.strip()
    return int(stripped) if _WHOLE_NUMBER.fullmatch(stripped) else None


def parse_year(text: str) -> int:
    """argparse type: a year (validated later against the election years)."""
    value = whole_number(text)
    if value is None:
        raise argparse.ArgumentTypeError(
            f"{text[:40]!r} is not a year: use a municipal election year such as 2027")
    return value


def parse_integer(text: str) -> int:
    """argparse type: a whole number (ASCII digits)."""
    value = whole_number(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number")
    return value


def parse_count(text: str) -> int:
    """argparse type: a whole number of 1 or more."""
    value = parse_integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} must be 1 or more")
    return value


#: What argparse says of an empty value (``cli`` shows it in the user's language).
EMPTY_VALUE = "an empty value is not allowed"


def nonempty(text: str) -> str:
    """argparse type: a text that is not empty (nor only spaces). ``--municipality ""`` used to
    be taken as "not given", which silently gave a schedule tied to no municipality."""
    if not text.strip():
        raise argparse.ArgumentTypeError(EMPTY_VALUE)
    return text


def nonempty_path(text: str) -> Path:
    """argparse type: a path that is not empty (``Path("")`` is the current folder)."""
    return Path(nonempty(text))


def add_selection(parser: argparse.ArgumentParser, *, output: bool = True,
                  term: bool = False, term_flag: str = "--term") -> None:
    """The options that select a schedule: year, municipality, model, K, E, language; with
    ``term``, also ``--term FILE`` (a followed term; ``term_flag`` names the option where
    ``--term`` means something else, as in ``wheel``), which replaces the others
    (:func:`term_from_args`)."""
    from plancycle.processes import PROCESS_MODELS

    if term:
        dest = "term" if term_flag == "--term" else "term_file"
        parser.add_argument(term_flag, dest=dest, type=nonempty_path, metavar="FILE",
                            help=help_text("opt_term"))
    parser.add_argument("--election-year", type=parse_year, required=not term, metavar="YEAR",
                        help=help_text("opt_election_year"))
    owner = parser.add_mutually_exclusive_group()
    owner.add_argument("--municipality", type=nonempty, metavar="NUMBER|NAME",
                       help=help_text("opt_municipality"))
    owner.add_argument("--county", type=nonempty, metavar="NUMBER|NAME",
                       help=help_text("opt_county"))
    parser.add_argument("--model", choices=PROCESS_MODELS, default=None if term else "samskaping",
                        help=help_text("opt_model"))
    parser.add_argument("--constituted", type=parse_date, metavar="YYYY-MM-DD",
                        help=help_text("opt_constituted"))
    parser.add_argument("--election-day", type=parse_date, metavar="YYYY-MM-DD",
                        help=help_text("opt_election_day"))
    parser.add_argument("--lang", choices=LANGUAGES, default="nb",
                        help=help_text("opt_lang_titles"))
    parser.add_argument("--no-handlingsdel-notice", action="store_true",
                        help=help_text("opt_no_handlingsdel_notice"))
    parser.add_argument("--meetings", type=nonempty_path, metavar="FILE",
                        help=help_text("opt_meetings"))
    parser.add_argument("--meeting-pattern", type=nonempty, metavar="REGEX",
                        help=help_text("opt_meeting_pattern", pattern=DEFAULT_PATTERN))
    if output:
        add_output(parser)


def add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="nb",
                        help=help_text("opt_lang"))


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=nonempty_path, metavar="FILE",
                        help=help_text("opt_output"))


def period_from_args(args: argparse.Namespace) -> ElectionPeriod:
    from plancycle.models import ElectionPeriod

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
    from plancycle.meetings import load_meeting_plan, term_window

    year: int | None = getattr(args, "election_year", None)
    plan = load_meeting_plan(path, pattern, lang=args.lang,
                             window=term_window(year) if year is not None else None)
    for message in plan.warnings:
        warn(message)
    return plan


def options_from_args(args: argparse.Namespace) -> ScheduleOptions:
    from plancycle.schedule import ScheduleOptions

    plan = meeting_plan_from_args(args)
    return ScheduleOptions(handlingsdel_notice=not args.no_handlingsdel_notice,
                           council_meetings=plan.dates if plan else ())


def owner_from_args(args: argparse.Namespace) -> Municipality | County | None:
    """The municipality of ``--municipality`` or the county authority of ``--county``, among
    those of the term of ``--election-year`` (a number or name of another term is refused)."""
    from plancycle.municipalities import find_county, find_municipality

    year: int | None = getattr(args, "election_year", None)
    if args.municipality:
        return find_municipality(args.municipality, year)
    county: str | None = getattr(args, "county", None)
    return find_county(county, year) if county else None


def with_change_warnings(schedule: Schedule) -> Schedule:
    """``schedule`` with a warning for each merger, split or renumbering of its owner in force
    during the term (:func:`~plancycle.municipalities.change_warnings`), each once."""
    from plancycle.municipalities import change_warnings

    owner = schedule.municipality or schedule.county
    extra = tuple(w for w in change_warnings(owner, schedule.period.election_year, schedule.lang)
                  if w not in schedule.warnings)
    if not extra:
        return schedule
    return schedule.model_copy(update={"warnings": (*schedule.warnings, *extra)})


def schedule_from_args(args: argparse.Namespace) -> Schedule:
    """The schedule the selection options describe, or the followed term's (``--term``)."""
    takes_term = hasattr(args, "term_file") or (hasattr(args, "term")
                                                 and not isinstance(args.term, bool))
    loaded = term_from_args(args) if takes_term else None
    if loaded is not None:
        return loaded.term.schedule(lang=args.lang)
    from plancycle.schedule import build_schedule

    schedule = build_schedule(period_from_args(args), owner_from_args(args),
                              args.model or "samskaping", options_from_args(args), lang=args.lang)
    return with_change_warnings(schedule)


#: The selection options a term file replaces (``--term`` is not allowed with them).
_TERM_REPLACES = (("election_year", "--election-year"), ("municipality", "--municipality"),
                  ("county", "--county"), ("model", "--model"), ("constituted", "--constituted"),
                  ("election_day", "--election-day"),
                  ("no_handlingsdel_notice", "--no-handlingsdel-notice"),
                  ("meetings", "--meetings"), ("meeting_pattern", "--meeting-pattern"))


def term_from_args(args: argparse.Namespace) -> TermFile | None:
    """The term file of ``--term`` (``--term-file`` in ``wheel``; its meeting plan's warnings go
    to stderr), or None when the selection options are used instead; both, or neither, is a
    :class:`UsageError`."""
    flag, path = "--term-file", getattr(args, "term_file", None)
    if not hasattr(args, "term_file"):
        flag, path = "--term", getattr(args, "term", None)
    if path is None:
        if args.election_year is None:
            raise UsageError(f"the following arguments are required: --election-year | {flag}")
        return None
    for name, option in _TERM_REPLACES:
        if getattr(args, name, None):
            raise UsageError(f"argument {flag}: not allowed with argument {option}")
    from plancycle.termfile import read_term_file

    loaded = read_term_file(path, lang=args.lang)
    for message in loaded.warnings:
        warn(message)
    return loaded


def add_feed_config(parser: argparse.ArgumentParser) -> None:
    """Options of the feed server and static publishing: meeting plans, register, base URL."""
    parser.add_argument("--meetings-dir", type=nonempty_path, metavar="DIR",
                        help=help_text("feed_meetings_dir"))
    parser.add_argument("--meeting-pattern", type=nonempty, metavar="REGEX",
                        help=help_text("feed_meeting_pattern", pattern=DEFAULT_PATTERN))
    parser.add_argument("--register", type=nonempty_path, metavar="FILE",
                        help=help_text("feed_register"))
    parser.add_argument("--base-url", type=nonempty, metavar="URL",
                        help=help_text("feed_base_url"))


def feed_config_from_args(args: argparse.Namespace, *, election_year: int | None,
                          cache_size: int = 512) -> FeedConfig:
    """The :class:`FeedConfig` of :func:`add_feed_config`'s options, checked now so that a
    wrong folder or a broken register fails at start, not on a subscriber's request."""
    from plancycle.calendar_no import check_election_year
    from plancycle.feed.config import FeedConfig
    from plancycle.feed.register import load_register
    from plancycle.meetings import compile_pattern
    from plancycle.output import shown

    folder: Path | None = args.meetings_dir
    if folder is not None and not is_folder(folder, "--meetings-dir"):
        raise InputError(key="feed_meetings_dir", folder=shown(folder))
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
    print(f"plancycle: {label('frame_warning', cli_language())}: {message}", file=sys.stderr)


def is_folder(path: Path, option: str) -> bool:
    """Whether ``path`` is a folder; a name the system cannot even look up (too long, a NUL) is
    an :class:`InputError` naming ``option``."""
    try:
        return path.is_dir()
    except (OSError, ValueError) as exc:
        from plancycle.output import shown

        raise InputError(key="path_unusable", option=option, path=shown(path),
                         reason=reason(exc)) from None


def reason(exc: BaseException) -> Message | str:
    """What went wrong, for a one-line message: for a common OSError words in the user's
    language (a :class:`~plancycle.messages.Message`, translated as an error's field), else the
    system's words."""
    return os_reason(exc)


def reason_in(exc: BaseException, lang: Language) -> str:
    """:func:`reason` as text in ``lang``."""
    found = reason(exc)
    return found if isinstance(found, str) else found.in_language(lang)


class StdoutError(OSError):
    """Writing to standard output failed (closed, a reader gone, a full device): ``cli`` shows
    one line and exits 2."""


def write_stdout(data: bytes) -> None:
    """``data`` on standard output, flushed; any failure is a :class:`StdoutError`."""
    stream = sys.stdout
    if stream is None:  # started with stdout closed (``>&-``)
        raise StdoutError(errno.EBADF, os.strerror(errno.EBADF))
    try:
        stream.flush()
        stream.buffer.write(data)
        stream.flush()
    except OSError as exc:
        raise StdoutError(exc.errno, exc.strerror or str(exc)) from exc
    except ValueError as exc:  # "I/O operation on closed file"
        raise StdoutError(errno.EBADF, str(exc)) from exc


def emit(data: bytes, output: Path | None, option: str = "--output") -> None:
    """Write ``data`` to ``output`` atomically, or to stdout. Every failure is one line: a
    folder, a missing folder, a name too long, no permission, a full disk; the file that was
    there before stays as it was."""
    if output is None:
        write_stdout(data)
        return
    write_file(data, output, option)


def write_file(data: bytes, output: Path, option: str) -> None:
    """Write ``data`` to ``output`` atomically for the option ``option``; each failure is an
    :class:`InputError` naming the option."""
    from plancycle.output import shown, write_atomic

    if is_folder(output, option):
        raise InputError(key="output_is_folder", option=option, file=shown(output))
    if not is_folder(output.parent, option):
        raise InputError(key="output_no_folder", option=option, file=shown(output),
                         folder=shown(output.parent))
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise InputError(key="output_unwritable", option=option, file=shown(output),
                         reason=reason(exc)) from None
