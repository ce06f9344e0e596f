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
from plancycle.i18n import Language, label
from plancycle.measures import TermMeasures
from plancycle.termfile import read_term_file

#: The fields of ``measures --format json|csv``, in order (a contract scripts read).
FIELDS = tuple(TermMeasures.model_fields)


def register(commands: Any) -> None:
    measures = commands.add_parser(
        "measures", help="the KS study's measures of a followed term",
        description="Read a term file and give the measures of what happened: the samfunnsdel's "
                    "adoption and the days from election day to it, the share of the term "
                    "governed with a samfunnsdel the council adopted itself, the first budget "
                    "year after it, and whether the planstrategi was adopted by K + 1 year.")
    measures.add_argument("term_file", metavar="TERM_FILE", type=Path, help="the term file (TOML)")
    measures.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                          help="the day to measure on (default: the end of the term; only "
                               "recorded facts count, so the result does not depend on it)")
    measures.add_argument("--format", choices=("table", "json", "csv"), default="table")
    add_language(measures)
    add_output(measures)
    measures.set_defaults(handler=run_measures)


def run_measures(args: argparse.Namespace) -> int:
    loaded = read_term_file(args.term_file, lang=args.lang)
    for message in loaded.warnings:
        warn(message)
    today: dt.date = args.today or loaded.term.period().end
    status = loaded.term.status(today, lang=args.lang)
    assert status.measures is not None
    data = _render(status.measures, args.format, args.lang)
    emit(data.encode(), args.output)
    return 0


def _render(measures: TermMeasures, form: str, lang: Language) -> str:
    values = measures.model_dump(mode="json")
    if form == "json":
        return json.dumps(values, ensure_ascii=False, indent=2) + "\n"
    if form == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerow(["" if values[name] is None else values[name] for name in FIELDS])
        return out.getvalue()
    width = max(len(label(f"measure_{name}", lang)) for name in FIELDS)
    lines = []
    for name in FIELDS:
        value = values[name]
        shown = "–" if value is None else (label("yes" if value else "no", lang)
                                           if isinstance(value, bool) else str(value))
        lines.append(f"{label(f'measure_{name}', lang):<{width}}  {shown}")
    return "\n".join(lines) + "\n"
