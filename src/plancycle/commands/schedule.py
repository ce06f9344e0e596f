"""``plancycle schedule`` and ``plancycle ics``: one term's milestones as text or a calendar."""

from __future__ import annotations

import argparse
from typing import Any

from plancycle.commands._options import add_selection, emit, schedule_from_args, warn
from plancycle.ical import to_ical
from plancycle.output import to_csv, to_json, to_table


def register(commands: Any) -> None:
    schedule = commands.add_parser("schedule", help="the milestones of one term")
    add_selection(schedule)
    schedule.add_argument("--format", choices=("table", "json", "csv"), default="table")
    schedule.set_defaults(handler=run_schedule)
    ics = commands.add_parser("ics", help="the term as an iCalendar file")
    add_selection(ics)
    ics.set_defaults(handler=run_ics)


def run_schedule(args: argparse.Namespace) -> int:
    schedule = schedule_from_args(args)
    renderers = {"json": to_json, "csv": to_csv, "table": to_table}
    data = renderers[args.format](schedule).encode()
    for warning in schedule.warnings:
        warn(warning)
    emit(data, args.output)
    return 0


def run_ics(args: argparse.Namespace) -> int:
    schedule = schedule_from_args(args)
    data = to_ical(schedule)
    for warning in schedule.warnings:
        warn(warning)
    emit(data, args.output)
    return 0
