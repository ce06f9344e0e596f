"""``plancycle municipalities``: list or search the municipalities and county authorities of a
term, by number or by name, without diacritics
(:func:`~plancycle.municipalities.search_municipalities`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from plancycle.commands._listing import FORMATS, render_csv, render_json
from plancycle.commands._options import add_language, add_output, emit, parse_year
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.errors import InputError
from plancycle.i18n import Language, label
from plancycle.municipalities import County, Municipality, counties, search_municipalities
from plancycle.textable import fit

#: The columns of ``municipalities --format csv`` (and the fields of each JSON item).
CSV_FIELDS = ("number", "name", "kind", "county_number", "county_name")


def register(commands: Any) -> None:
    parser = commands.add_parser("municipalities", help=help_text("command_municipalities"),
                                 description=help_text("municipalities_description"))
    parser.add_argument("search", nargs="?", metavar="SEARCH",
                        help=help_text("municipalities_search"))
    parser.add_argument("--election-year", type=parse_year, metavar="YEAR",
                        help=help_text("municipalities_election_year"))
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help=help_text("municipalities_format"))
    add_language(parser)
    add_output(parser)
    add_table_options(parser)
    parser.set_defaults(handler=run_municipalities)


def run_municipalities(args: argparse.Namespace) -> int:
    year: int | None = args.election_year
    found = search_municipalities(args.search, year)
    if not found:
        if year is None:
            raise InputError(key="municipalities_none", query=args.search)
        raise InputError(key="municipalities_none_term", query=args.search, year=year,
                         end=year + 4)
    county_names = {c.number: c.name for c in counties(year)}
    rows = [_fields(owner, county_names) for owner in found]
    if args.format == "json":
        text = render_json({"election_year": year, "search": args.search,
                            "items": [dict(zip(CSV_FIELDS, row, strict=True)) for row in rows]})
    elif args.format == "csv":
        text = render_csv(CSV_FIELDS, rows)
    else:
        text = municipalities_table(rows, args.lang, table_width(args))
    emit(text.encode(), args.output)
    return 0


def _fields(owner: Municipality | County, county_names: dict[str, str]) -> list[str]:
    if isinstance(owner, County):
        return [owner.number, owner.name, "county", owner.number, owner.name]
    return [owner.number, owner.name, "municipality", owner.county_number,
            county_names.get(owner.county_number, "")]


def municipalities_table(rows: Sequence[Sequence[str]], lang: Language,
                        width: int | None = None) -> str:
    """One line per municipality or county authority: number, kind, county and name, at most
    ``width`` characters wide (:func:`plancycle.textable.fit`; the county and the name wrap)."""
    header = [label(f"municipalities_col_{column}", lang)
              for column in ("number", "kind", "county", "name")]
    body = [[number, label(f"municipalities_kind_{kind}", lang), county, name]
            for number, name, kind, _, county in rows]
    return "\n".join(fit([header, *body], width, wrapping=(2, 3))) + "\n"
