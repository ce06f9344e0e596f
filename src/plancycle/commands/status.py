"""``plancycle status``: a followed term on a given day: every milestone's status and dates,
the rules broken so far and those that will be broken if nothing changes."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from plancycle.commands._options import add_language, add_output, emit, parse_date, warn
from plancycle.exports.binary import refuse_terminal
from plancycle.i18n import Language, label
from plancycle.term import TermMilestone, TermStatus
from plancycle.termfile import read_term_file

#: The columns of ``status --format csv`` (a contract scripts read).
CSV_FIELDS = ("id", "process", "kind", "title", "start", "end", "due", "binding", "confidence",
              "provisional", "status", "planned_start", "planned_end", "actual_start",
              "actual_end")


def register(commands: Any) -> None:
    status = commands.add_parser(
        "status", help="a followed term on a given day: statuses, violations and forecast",
        description="Read a term file and show, for --today, every milestone with its status "
                    "(done, in_progress, overdue, planned) and current dates, the rules broken "
                    "so far and the forecast: the rules that will be broken if nothing changes.")
    status.add_argument("term_file", metavar="TERM_FILE", type=Path, help="the term file (TOML)")
    status.add_argument("--today", type=parse_date, required=True, metavar="YYYY-MM-DD",
                        help="the day the status is for (required: there is no hidden clock)")
    status.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table")
    add_language(status)
    add_output(status)
    status.set_defaults(handler=run_status)


def run_status(args: argparse.Namespace) -> int:
    refuse_terminal(args.format, args.output)
    loaded = read_term_file(args.term_file, lang=args.lang)
    for message in loaded.warnings:
        warn(message)
    result = loaded.term.status(args.today, lang=args.lang)
    renderers = {"json": status_json, "csv": status_csv, "table": status_table}
    if args.format == "xlsx":
        from plancycle.exports.status_xlsx import status_xlsx

        data = status_xlsx(result, args.lang)
    else:
        data = renderers[args.format](result, args.lang).encode()
    for warning in result.warnings:
        warn(warning)
    emit(data, args.output)
    return 0


def status_json(status: TermStatus, lang: Language = "nb") -> str:
    """:meth:`TermStatus.to_json_dict` as JSON text."""
    del lang
    return json.dumps(status.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


def status_csv(status: TermStatus, lang: Language = "nb") -> str:
    """One row per milestone with :data:`CSV_FIELDS`; empty cells for missing dates."""
    del lang
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for m in status.milestones:
        writer.writerow([m.id, m.process, m.kind, m.title, _day(m.start), _day(m.end), _day(m.due),
                         m.binding, m.confidence, "true" if m.provisional else "false", m.status,
                         _day(m.planned_start), _day(m.planned_end), _day(m.actual_start),
                         _day(m.actual_end)])
    return buffer.getvalue()


def status_table(status: TermStatus, lang: Language = "nb") -> str:
    """A plain-text report: a heading, one milestone a line, then violations and forecast."""
    owner = status.municipality or status.county
    lines = [label("termstatus_heading", lang,
                   owner=f"{owner.name} ({owner.number})" if owner else
                   label("termstatus_no_owner", lang),
                   year=status.election_year, today=status.today.isoformat()), ""]
    header = tuple(label(f"termstatus_col_{name}", lang)
                   for name in ("status", "start", "end", "due", "id", "title"))
    rows = [header] + [_row(m, lang) for m in status.milestones]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines += ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])) + "  " + row[-1]
              for row in rows]
    if any(m.inferred for m in status.milestones):
        lines += ["", label("termstatus_inferred_note", lang)]
    for key, found in (("termstatus_violations", status.violations),
                       ("termstatus_forecast", status.forecast)):
        lines += ["", label(key, lang, count=len(found))]
        lines += [f"  {v.date.isoformat()}  {v.message} {v.fix}" for v in found]
    return "\n".join(lines) + "\n"


def _row(m: TermMilestone, lang: Language) -> tuple[str, ...]:
    state = label(f"termstatus_{m.status}", lang) + ("*" if m.inferred else "")
    end = m.end.isoformat() if m.end != m.start else ""
    return (state, m.start.isoformat(), end, _day(m.due), m.id, m.title)


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""
