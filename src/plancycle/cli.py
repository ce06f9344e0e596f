"""The ``plancycle`` command line: a contract other tools script against.

Subcommands live in :mod:`plancycle.commands`, one module each. Bad input never shows a
traceback: one line on stderr naming what was wrong and what is allowed, and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from plancycle import __version__, commands
from plancycle.commands._options import UsageError
from plancycle.errors import PlanCycleError
from plancycle.i18n import LANGUAGES, Language, label

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump); the caller exits 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="plancycle",
                     description="Norwegian municipal plan cycle: schedules, calendars and "
                                 "state machines for the election term.")
    parser.add_argument("--version", action="version", version=f"plancycle {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                       metavar="COMMAND")
    for module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{commands.__name__}.{module.name}").register(subparsers)
    return parser


#: argparse's messages (Python 3.11 wording) and the argument types', each with the label that
#: says it in the user's language. A message that matches none is shown as argparse wrote it.
_USAGE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key) for pattern, key in (
        (r"the following arguments are required: (?P<args>.+)", "usage_required"),
        (r"argument (?P<arg>\S+): invalid choice: (?P<value>'.*?') \(choose from (?P<choices>.+)\)",
         "usage_invalid_choice"),
        (r"unrecognized arguments: (?P<args>.+)", "usage_unrecognized"),
        (r"argument (?P<arg>\S+): expected one argument", "usage_expected_one"),
        (r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)",
         "usage_not_allowed_with"),
        (r"argument (?P<arg>\S+): (?P<value>'.*?') is not a date: use YYYY-MM-DD, e\.g\. \S+",
         "usage_not_a_date"),
        (r"argument (?P<arg>\S+): (?P<value>'.*?') is not a year: .*", "usage_not_a_year"),
        (r"argument (?P<arg>\S+): (?P<value>'.*?') is not a whole number",
         "usage_not_a_whole_number"),
        (r"argument (?P<arg>\S+): (?P<value>'.*?') must be 1 or more", "usage_at_least_one"),
        (r"argument (?P<arg>\S+): invalid (?P<type>\w+) value: (?P<value>'.*?')",
         "usage_invalid_value"),
    )
)


def usage_message(message: str, lang: Language) -> str:
    """argparse's one-line complaint in ``lang``."""
    for pattern, key in _USAGE_MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return label(key, lang, **found.groupdict())
    return message


def requested_language(argv: Sequence[str]) -> Language:
    """The language of messages: ``--lang`` when given and valid, else bokmål (the default)."""
    for index, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else None)
        if value in LANGUAGES:
            return value
    return "nb"


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 fine, 2 bad input)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(arguments)
        code: int = args.handler(args)
    except UsageError as exc:
        message = usage_message(str(exc), requested_language(arguments))
        print(f"plancycle: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PlanCycleError as exc:
        message = exc.in_language(requested_language(arguments))
        print(f"plancycle: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    return code


def main() -> NoReturn:
    sys.exit(run())
