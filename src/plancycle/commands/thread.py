"""``plancycle thread``: the red thread from the challenge picture to the budget (issue 11).

``plancycle thread CONTENT_FILE… [--term TERM_FILE] [--today D] [--scenario FILE]
[--format table|json|html|xlsx] [--output FILE]`` reads content files (TOML or Excel, see
:mod:`plancycle.content`) and reports breadth, chain, timing and, with ``--scenario``, the first
budget year each focus area reaches per process model. ``plancycle thread --template DIR``
writes the four Excel templates to fill in.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from plancycle.clock import utc_today
from plancycle.commands._options import (
    add_language,
    add_output,
    emit,
    nonempty_path,
    parse_date,
    warn,
    write_file,
)
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.content.models import DOCUMENT_KINDS
from plancycle.errors import InputError


def register(commands: Any) -> None:
    thread = commands.add_parser(
        "thread", help=help_text("command_thread"),
        description=help_text("thread_description"))
    thread.add_argument("content_files", metavar="CONTENT_FILE", type=nonempty_path, nargs="*",
                        help=help_text("thread_content_files"))
    thread.add_argument("--term", type=nonempty_path, metavar="TERM_FILE",
                        help=help_text("thread_term"))
    thread.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                        help=help_text("thread_today"))
    thread.add_argument("--scenario", type=nonempty_path, metavar="FILE",
                        help=help_text("thread_scenario"))
    thread.add_argument("--template", type=nonempty_path, metavar="DIR",
                        help=help_text("thread_template"))
    thread.add_argument("--format", choices=("table", "json", "html", "xlsx"), default="table",
                        help=help_text("opt_format"))
    add_language(thread)
    add_output(thread)
    add_table_options(thread)
    thread.set_defaults(handler=run_thread)


def run_thread(args: argparse.Namespace) -> int:
    if args.template is not None:
        return _templates(args.template)
    if not args.content_files:
        raise InputError(key="content_no_files")
    if args.today is not None and args.term is None:
        raise InputError(key="thread_today_needs_term")
    from plancycle.content.files import load_content
    from plancycle.content.thread import ModelReach, documents_timing, thread_report

    content = load_content(args.content_files)
    if content.samfunnsdel is None:
        raise InputError(key="thread_needs_samfunnsdel")
    timing = documents_timing(content)
    if args.term is not None:
        from plancycle.content.timing import term_timing
        from plancycle.termfile import read_term_file

        loaded = read_term_file(args.term, lang=args.lang)
        for message in loaded.warnings:
            warn(message)
        if loaded.term.election_year != content.election_year:
            raise InputError(key="thread_term_year", year=loaded.term.election_year,
                             content=content.election_year)
        today = args.today or utc_today()
        years = range(content.election_year + 1, content.election_year + 6)
        timing = term_timing(loaded.term, today, years)
    scenario: tuple[ModelReach, ...] = ()
    if args.scenario is not None:
        from plancycle.content.scenario_reach import scenario_reach
        from plancycle.simulation import load_scenario

        scenario = scenario_reach(content, load_scenario(args.scenario))
    report = thread_report(content, timing=timing, scenario=scenario)
    if args.format == "json":
        from plancycle.content.report_text import to_json

        data = to_json(report).encode()
    elif args.format == "html":
        from plancycle.content.html import to_html

        data = to_html(report, content, args.lang).encode()
    elif args.format == "xlsx":
        from plancycle.content.report_xlsx import to_xlsx

        data = to_xlsx(report, args.lang)
    else:
        from plancycle.content.report_text import to_table

        data = to_table(report, args.lang, width=table_width(args)).encode()
    emit(data, args.output)
    return 0


def _templates(folder: Path) -> int:
    from plancycle.content.workbook import template

    if not folder.is_dir():
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            raise InputError(key="thread_template_folder", folder=str(folder)) from None
    for kind in DOCUMENT_KINDS:
        write_file(template(kind), folder / f"{kind}.xlsx", "--template")
    return 0
