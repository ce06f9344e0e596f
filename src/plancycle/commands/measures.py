"""``plancycle measures``: the KS study's measures of a followed term (the same definitions as a
simulation's report, :mod:`plancycle.measures`)."""

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
from plancycle.errors import InputError
from plancycle.i18n import Language, label
from plancycle.measures import TermMeasures
from plancycle.termfile import read_term_file
from plancycle.textable import date_cell, fit

#: The fields of ``measures --format json|csv``, in order (a contract scripts read).
FIELDS = tuple(TermMeasures.model_fields)


def register(commands: Any) -> None:
    measures = commands.add_parser(
        "measures", help=help_text("command_measures"),
        description=help_text("measures_description"))
    measures.add_argument("term_files", metavar="TERM_FILE", type=Path, nargs="+",
                          help=help_text("measures_term_files"))
    measures.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                          help=help_text("measures_today"))
    measures.add_argument("--format", choices=("table", "json", "csv"), default="table",
                          help=help_text("opt_format"))
    add_language(measures)
    add_output(measures)
    add_table_options(measures)
    measures.set_defaults(handler=run_measures)


#: At most this many term files in one call (input-driven work is bounded).
MAX_FILES = 1000


def run_measures(args: argparse.Namespace) -> int:
    if len(args.term_files) > MAX_FILES:
        raise InputError(key="too_many_term_files", given=len(args.term_files), limit=MAX_FILES)
    rows: list[dict[str, Any]] = []
    for path in args.term_files:
        loaded = read_term_file(path, lang=args.lang)
        for message in loaded.warnings:
            warn(message)
        term = loaded.term
        today: dt.date = args.today or term.period().end
        status = term.status(today, lang=args.lang)
        assert status.measures is not None
        owner = term.municipality or (f"fylke-{term.county}" if term.county else "")
        rows.append({"file": str(path), "owner": owner, "election_year": term.election_year,
                     "model": term.model, **status.measures.model_dump(mode="json")})
    width = table_width(args) if args.format == "table" else None
    emit(_render(rows, args.format, args.lang, width).encode(), args.output)
    return 0


def _render(rows: list[dict[str, Any]], form: str, lang: Language, width: int | None = None) -> str:
    if form == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    columns = ("file", "owner", "election_year", "model", *FIELDS)
    if form == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[name] is None else row[name] for name in columns])
        return out.getvalue()
    headers = [label(f"measure_{name}", lang) for name in columns]
    cells = [[_shown(row[name], lang, dated=name in DATES) for name in columns] for row in rows]
    return "\n".join(fit([headers, *cells], width)) + "\n"


#: The fields that are dates (shown as ``02.03.2028`` in bokmål and nynorsk tables).
DATES = frozenset(name for name, field in TermMeasures.model_fields.items()
                  if "date" in str(field.annotation))


def _shown(value: object, lang: Language, *, dated: bool = False) -> str:
    if value is None:
        return "–"
    if dated and isinstance(value, str):
        return date_cell(dt.date.fromisoformat(value), lang)
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    return str(value)
