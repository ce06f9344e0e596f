"""``plancycle timeline``: the whole term as a Gantt-style SVG timeline, one row per process."""

from __future__ import annotations

import argparse
from typing import Any

from plancycle.commands._images import check_svg_output
from plancycle.commands._options import add_selection, emit, schedule_from_args, warn
from plancycle.commands._texts import help_text
from plancycle.svg import timeline_svg


def register(commands: Any) -> None:
    timeline = commands.add_parser(
        "timeline", help=help_text("command_timeline"),
        description=help_text("timeline_description"))
    add_selection(timeline, term=True)
    timeline.set_defaults(handler=run_timeline)


def run_timeline(args: argparse.Namespace) -> int:
    check_svg_output(args.output)
    schedule = schedule_from_args(args)
    data = timeline_svg(schedule)
    for warning in schedule.warnings:
        warn(warning)
    emit(data, args.output)
    return 0
