"""The ``plancycle`` command line: a contract other tools script against.

Subcommands live in :mod:`plancycle.commands`, one module each. Bad input never shows a
traceback: one line on stderr naming what was wrong and what is allowed, and exit code 2. So
does output that cannot be written: standard output closed, gone (a reader that stopped, as
``| head`` does) or full (``/dev/full``), and any other system error (:func:`run`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from plancycle import __version__, commands
from plancycle.commands._options import EMPTY_VALUE, StdoutError, UsageError, reason_in
from plancycle.commands._texts import CLI_LANGUAGE
from plancycle.errors import PlanCycleError
from plancycle.i18n import LANGUAGES, Language, label
from plancycle.output import shown

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it


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
        (r"one of the arguments (?P<args>.+) is required", "usage_one_required"),
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
        (r"argument (?P<arg>\S+): " + re.escape(EMPTY_VALUE), "usage_empty"),
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
    """Run the CLI; returns the exit code (0 fine, 2 bad input or output that cannot be
    written, 130 interrupted)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    language = CLI_LANGUAGE.set(requested_language(arguments))
    try:
        args = build_parser().parse_args(arguments)
        code: int = args.handler(args)
        _flush_stdout()
    except UsageError as exc:
        return _fail(usage_message(str(exc), requested_language(arguments)))
    except PlanCycleError as exc:
        return _fail(exc.in_language(requested_language(arguments)))
    except (StdoutError, BrokenPipeError) as exc:  # BrokenPipeError: a print() to stdout
        _detach_stdout()
        lang = requested_language(arguments)
        return _fail(label("error_stdout_failed", lang, reason=reason_in(exc, lang)))
    except OSError as exc:  # anything the commands did not foresee: still one line
        lang = requested_language(arguments)
        if exc.filename is not None:
            return _fail(label("error_os_failed_file", lang, file=shown(str(exc.filename)),
                               reason=reason_in(exc, lang)))
        return _fail(label("error_os_failed", lang, reason=reason_in(exc, lang)))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        CLI_LANGUAGE.reset(language)
    return code


def _fail(message: str) -> int:
    """The one line of a failure on stderr; the exit code."""
    if sys.stderr is not None:  # stderr closed too: the exit code says it
        with contextlib.suppress(OSError, ValueError):
            print(f"plancycle: error: {message}", file=sys.stderr, flush=True)
    return EXIT_BAD_INPUT


def _flush_stdout() -> None:
    """Flush what ``print`` left in stdout's buffer; a failure is a :class:`StdoutError`."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except OSError as exc:
        raise StdoutError(exc.errno, exc.strerror or str(exc)) from exc
    except ValueError:  # closed
        pass


def _detach_stdout() -> None:
    """After stdout failed, point it at the null device, so that the interpreter's own flush
    at exit does not print a second complaint ("Exception ignored ... BrokenPipeError")."""
    original = sys.__stdout__
    if original is None or sys.stdout is not original:  # closed, captured (tests) or replaced
        return
    with contextlib.suppress(OSError, ValueError):
        descriptor = original.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)


def main() -> NoReturn:
    sys.exit(run())
