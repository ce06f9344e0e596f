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
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.exports.binary import refuse_terminal
from plancycle.i18n import Language, label
from plancycle.term import TermMilestone, TermStatus
from plancycle.termfile import read_term_file
from plancycle.textable import date_cell, fit, paragraph

#: The columns of ``status --format csv`` (a contract scripts read).
CSV_FIELDS = ("id", "process", "kind", "title", "start", "end", "due", "binding", "confidence",
              "provisional", "status", "planned_start", "planned_end", "actual_start",
              "actual_end")


def register(commands: Any) -> None:
    status = commands.add_parser(
        "status", help=help_text("command_status"),
        description=help_text("status_description"))
    status.add_argument("term_file", metavar="TERM_FILE", type=Path, help=help_text("opt_term_file"))
    status.add_argument("--today", type=parse_date, required=True, metavar="YYYY-MM-DD",
                        help=help_text("status_today"))
    status.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table",
                        help=help_text("opt_format"))
    add_language(status)
    add_output(status)
    add_table_options(status, ids=True)
    status.set_defaults(handler=run_status)


def run_status(args: argparse.Namespace) -> int:
    refuse_terminal(args.format, args.output)
    loaded = read_term_file(args.term_file, lang=args.lang)
    for message in loaded.warnings:
        warn(message)
    result = loaded.term.status(args.today, lang=args.lang)
    if args.format == "table":
        data = status_table(result, args.lang, width=table_width(args), ids=args.ids).encode()
    elif args.format == "xlsx":
        from plancycle.exports.status_xlsx import status_xlsx

        data = status_xlsx(result, args.lang)
    else:
        data = (status_json if args.format == "json" else status_csv)(result, args.lang).encode()
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


def status_table(status: TermStatus, lang: Language = "nb", *, width: int | None = None,
                 ids: bool = False) -> str:
    """A plain-text report at most ``width`` characters wide (``None``: no limit): a heading,
    one milestone a line (the internal ids only with ``ids``), then violations and forecast."""
    owner = status.municipality or status.county
    lines = paragraph(label("termstatus_heading", lang,
                            owner=f"{owner.name} ({owner.number})" if owner else
                            label("termstatus_no_owner", lang),
                            year=status.election_year, today=date_cell(status.today, lang)),
                      width)
    lines.append("")
    names = ("status", "start", "end", "due", *(("id",) if ids else ()), "title")
    header = [label(f"termstatus_col_{name}", lang) for name in names]
    rows = [header] + [_row(m, lang, ids) for m in status.milestones]
    lines += fit(rows, width, wrapping=len(names) - 1)
    if any(m.inferred for m in status.milestones):
        lines += ["", *paragraph(label("termstatus_inferred_note", lang), width)]
    for key, found in (("termstatus_violations", status.violations),
                       ("termstatus_forecast", status.forecast)):
        lines += ["", *paragraph(label(key, lang, count=len(found)), width)]
        for v in found:
            lines += paragraph(f"{date_cell(v.date, lang)}  {v.message} {v.fix}", width, "  ")
    return "\n".join(lines) + "\n"


def _row(m: TermMilestone, lang: Language, ids: bool) -> list[str]:
    state = label(f"termstatus_{m.status}", lang) + ("*" if m.inferred else "")
    end = date_cell(m.end, lang) if m.end != m.start else ""
    return [state, date_cell(m.start, lang), end, date_cell(m.due, lang),
            *((m.id,) if ids else ()), m.title]


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""
