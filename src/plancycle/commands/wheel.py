"""``plancycle wheel``: the årshjul of one year of the term, or of the whole term, as SVG."""

from __future__ import annotations

import argparse
from typing import Any

from plancycle.commands._options import add_selection, emit, parse_year, schedule_from_args, warn
from plancycle.svg import wheel_svg


def register(commands: Any) -> None:
    wheel = commands.add_parser(
        "wheel", help="the årshjul (year wheel) as SVG",
        description="Draw the årshjul: twelve months around the circle (January at the top, "
                    "clockwise), one ring per process, each milestone on its dates.")
    add_selection(wheel)
    view = wheel.add_mutually_exclusive_group()
    view.add_argument("--year", type=parse_year, metavar="YYYY",
                      help="calendar year to draw, from the election year to four years after "
                           "it (default: the election year + 1, year one of the term)")
    view.add_argument("--term", action="store_true",
                      help="draw the whole term: the election year and the four years after it, "
                           "one fifth of the circle each")
    wheel.set_defaults(handler=run_wheel)


def run_wheel(args: argparse.Namespace) -> int:
    schedule = schedule_from_args(args)
    data = wheel_svg(schedule, year=args.year, term=args.term)
    for warning in schedule.warnings:
        warn(warning)
    emit(data, args.output)
    return 0
