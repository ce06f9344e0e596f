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
from plancycle.i18n import label
from plancycle.svg import wheel_svg


def register(commands: Any) -> None:
    wheel = commands.add_parser(
        "wheel", help="the årshjul (year wheel) as SVG",
        description="Draw the årshjul: twelve months around the circle (January at the top, "
                    "clockwise), one ring per process, each milestone on its dates.")
    add_selection(wheel, term=True, term_flag="--term-file")
    view = wheel.add_mutually_exclusive_group()
    view.add_argument("--year", type=parse_year, metavar="YYYY",
                      help="calendar year to draw, from the election year to four years after "
                           "it (default: the election year + 1, year one of the term)")
    view.add_argument("--term", action="store_true",
                      help="draw the whole term: the election year and the four years after it, "
                           "one fifth of the circle each")
    wheel.add_argument("--content", type=nonempty_path, nargs="+", metavar="FILE",
                       help="content files (see plancycle thread): show in the centre the focus "
                            "areas of the year's budget")
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
