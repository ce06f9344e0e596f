"""``plancycle wheel``: the årshjul of one year of the term, or of the whole term, as SVG."""

from __future__ import annotations

import argparse
from typing import Any

from plancycle.commands._images import check_svg_output
from plancycle.commands._options import (
    add_selection,
    emit,
    nonempty_path,
    parse_year,
    schedule_from_args,
    warn,
)
from plancycle.commands._texts import help_text
from plancycle.i18n import label
from plancycle.svg import wheel_svg


def register(commands: Any) -> None:
    wheel = commands.add_parser(
        "wheel", help=help_text("command_wheel"),
        description=help_text("wheel_description"))
    add_selection(wheel, term=True, term_flag="--term-file")
    view = wheel.add_mutually_exclusive_group()
    view.add_argument("--year", type=parse_year, metavar="YYYY",
                      help=help_text("wheel_year"))
    view.add_argument("--term", action="store_true",
                      help=help_text("wheel_term"))
    wheel.add_argument("--content", type=nonempty_path, nargs="+", metavar="FILE",
                       help=help_text("wheel_content"))
    wheel.set_defaults(handler=run_wheel)


def run_wheel(args: argparse.Namespace) -> int:
    check_svg_output(args.output)
    schedule = schedule_from_args(args)
    centre: tuple[str, ...] = ()
    if args.content:
        from plancycle.content import load_content, wheel_centre

        content = load_content(args.content)
        year = args.year or schedule.period.election_year + 1
        titles = (wheel_centre(content, year) if not args.term else
                  tuple(f.title for f in content.samfunnsdel.focus_areas)
                  if content.samfunnsdel else ())
        centre = (label("thread_wheel_focus", args.lang), *titles) if titles else ()
    data = wheel_svg(schedule, year=args.year, term=args.term, centre=centre)
    for warning in schedule.warnings:
        warn(warning)
    emit(data, args.output)
    return 0
