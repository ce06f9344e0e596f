# PYTHON_ARGCOMPLETE_OK
"""The ``plancycle`` command line: a contract other tools script against.

Subcommands live in :mod:`plancycle.commands`, one module each; only the module of the command
being run is imported (:data:`~plancycle.commands.COMMANDS`), the others show their summary in
``--help``. argparse's own words (usage, option groups, ``--help``, ``--version``, the error and
warning prefixes) are in the language of ``--lang``. Bad input never shows a traceback: one line
on stderr naming what was wrong and what is allowed, and exit code 2. So does output that cannot
be written: standard output closed, gone (a reader that stopped, as ``| head`` does) or full
(``/dev/full``), and any other system error (:func:`run`). Shell completion (argcomplete) is
served when the shell asks for it (``_ARGCOMPLETE`` in the environment).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any, NoReturn

from plancycle import __version__
from plancycle.commands import COMMANDS, available_commands
from plancycle.commands._options import EMPTY_VALUE, StdoutError, UsageError, reason_in
from plancycle.commands._texts import CLI_LANGUAGE, cli_language, help_text
from plancycle.errors import PlanCycleError
from plancycle.i18n import LANGUAGES, Language, label

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout with its ``usage:`` prefix in the command line's language."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any,
                  prefix: str | None = None) -> None:
        if prefix is None:
            prefix = label("frame_usage", cli_language()) + " "
        super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in the command line's language, with one-line errors (no usage dump; the
    caller exits 2)."""

    def __init__(self, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(add_help=False, **kwargs)
        lang = cli_language()
        for group, key in ((self._positionals, "frame_positionals"),
                           (self._optionals, "frame_options")):
            group.title = label(key, lang)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=help_text("frame_help"))

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


class _Version(argparse.Action):
    """``--version``: this plancycle's version and its rule data's revision date, read only
    when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> NoReturn:
        print(version_text(cli_language()))
        parser.exit()


def rule_data_revised() -> str:
    """The ``revised`` date of the shipped rule data (``rules.toml``), read from the file's
    top-level keys only (the rule table itself is not loaded)."""
    import tomli

    text = resources.files("plancycle.data").joinpath("rules.toml").read_text("utf-8")
    return str(tomli.loads(text.partition("\n[")[0])["revised"])


def version_text(lang: Language) -> str:
    """What ``plancycle --version`` prints, e.g. ``plancycle 0.1.0 (regeldata 2026-12-02)``."""
    return label("frame_version", lang, version=__version__, revised=rule_data_revised())


def command_of(argv: Sequence[str]) -> str | None:
    """The command named in ``argv``: its first argument that is neither an option nor the
    value of the top-level ``--lang``."""
    after_lang = False
    for arg in argv:
        if after_lang:
            after_lang = False
        elif arg == "--lang":
            after_lang = True
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. With ``argv``, only the module of the command it names is
    imported and the other commands are stubs that carry their summary (enough for ``--help``
    and for argparse to name the commands); without, every command in full (for completion)."""
    lang = cli_language()
    parser = _Parser(prog="plancycle", description=label("frame_description", lang))
    parser.add_argument("--version", action=_Version, help=help_text("frame_version"))
    parser.add_argument("--lang", choices=LANGUAGES, dest="frame_lang", metavar="nb|nn|en",
                        help=help_text("frame_lang"))
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                       title=label("frame_commands", lang),
                                       metavar=label("frame_command_metavar", lang))
    chosen = None if argv is None else COMMANDS.get(command_of(argv) or "")
    for command, module in available_commands().items():
        if command in subparsers.choices:  # registered with another command of its module
            continue
        if argv is None or module == chosen:
            importlib.import_module(f"plancycle.commands.{module}").register(subparsers)
        else:
            subparsers.add_parser(command, help=help_text(f"command_{command}"))
    for command_parser in subparsers.choices.values():  # plancycle --lang en COMMAND …
        command_parser.set_defaults(lang=lang)
    return parser


#: argparse's messages (Python 3.11 wording) and the argument types', each with the label that
#: says it in the user's language. A message that matches none is shown as argparse wrote it.
#: (Patterns, compiled only when a usage error is shown: not at every start.)
_USAGE_MESSAGES: tuple[tuple[str, str], ...] = (
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


def usage_message(message: str, lang: Language) -> str:
    """argparse's one-line complaint in ``lang``."""
    for pattern, key in _USAGE_MESSAGES:
        found = re.fullmatch(pattern, message)
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
        parser = build_parser(arguments)
        if arguments in ([], ["--lang", cli_language()], [f"--lang={cli_language()}"]):
            # nothing asked (``plancycle``, ``plancycle --lang en``): how to ask, nothing done
            print(parser.format_help(), end="")
            return EXIT_BAD_INPUT
        args = parser.parse_args(arguments)
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
            from plancycle.output import shown

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
            prefix = label("frame_error", cli_language())
            print(f"plancycle: {prefix}: {message}", file=sys.stderr, flush=True)
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


def complete() -> None:
    """Answer the shell's completion request (``_ARGCOMPLETE`` set by the bash or zsh hook of
    argcomplete; the process ends there); argcomplete is imported only then."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    token = CLI_LANGUAGE.set(requested_language(os.environ.get("COMP_LINE", "").split()))
    try:
        argcomplete.autocomplete(build_parser())
    finally:
        CLI_LANGUAGE.reset(token)


def main() -> NoReturn:
    complete()
    sys.exit(run())
