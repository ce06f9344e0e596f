"""``plancycle rules``: the rule table (:func:`~plancycle.rules.rule_table`) as a list, or one
rule in full: its text, paragraphs, Lovdata URLs, binding, confidence and the periods in force
of each version."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from typing import Any

from plancycle.commands._listing import FORMATS, render_csv, render_json
from plancycle.commands._options import add_language, add_output, emit
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.errors import InputError
from plancycle.i18n import Language, label
from plancycle.rules import Rule, find_rules, rule_table
from plancycle.textable import date_cell, fit, paragraph

#: The columns of ``rules --format csv``: one row per version of each rule.
CSV_FIELDS = ("id", "version", "valid_from", "valid_to", "in_force", "binding", "confidence",
              "basis", "url", "text")


def register(commands: Any) -> None:
    parser = commands.add_parser("rules", help=help_text("command_rules"),
                                 description=help_text("rules_description"))
    parser.add_argument("query", nargs="?", metavar="RULE_ID|SEARCH",
                        help=help_text("rules_query"))
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help=help_text("rules_format"))
    add_language(parser)
    add_output(parser)
    add_table_options(parser)
    parser.set_defaults(handler=run_rules)


def run_rules(args: argparse.Namespace) -> int:
    table = rule_table()
    ids = table.ids if args.query is None else find_rules(args.query)
    if not ids:
        raise InputError(key="rules_unknown", query=args.query.strip())
    rules = [table.versions(rule_id) for rule_id in ids]
    lang: Language = args.lang
    if args.format == "json":
        text = render_json({"revised": table.revised.isoformat(),
                            "rules": [{"id": versions[0].id,
                                       "versions": [_version(rule, lang) for rule in versions]}
                                      for versions in rules]})
    elif args.format == "csv":
        text = render_csv(CSV_FIELDS, [_row(rule, lang) for versions in rules
                                       for rule in versions])
    elif len(rules) == 1 and args.query is not None:
        text = rule_in_full(rules[0], lang, table_width(args))
    else:
        text = rules_table(rules, table.revised, lang, table_width(args))
    emit(text.encode(), args.output)
    return 0


def _version(rule: Rule, lang: Language) -> dict[str, Any]:
    return {"version": rule.version,
            "valid_from": rule.valid_from.isoformat() if rule.valid_from else None,
            "valid_to": rule.valid_to.isoformat() if rule.valid_to else None,
            "in_force": rule.in_force, "binding": rule.binding, "confidence": rule.confidence,
            "basis": [basis.model_dump() for basis in rule.basis], "text": rule.title(lang),
            "params": dict(rule.params)}


def _row(rule: Rule, lang: Language) -> list[str]:
    return [rule.id, str(rule.version), rule.valid_from.isoformat() if rule.valid_from else "",
            rule.valid_to.isoformat() if rule.valid_to else "",
            "true" if rule.in_force else "false", rule.binding, rule.confidence,
            _basis(rule), " ".join(basis.url for basis in rule.basis if basis.url),
            rule.title(lang)]


def _basis(rule: Rule) -> str:
    return "; ".join(f"{basis.law} {basis.section}".strip() for basis in rule.basis)


#: The longest basis a line of the list shows (a few sources are long sentences).
_BASIS_WIDTH = 40


def _shortened(text: str) -> str:
    return text if len(text) <= _BASIS_WIDTH else text[:_BASIS_WIDTH - 1].rstrip() + "…"


def _period(rule: Rule, lang: Language) -> str:
    start, end = date_cell(rule.valid_from, lang), date_cell(rule.valid_to, lang)
    key = ("rules_period_from_to" if start and end else "rules_period_from" if start
           else "rules_period_to" if end else "rules_period_always")
    return label(key, lang, start=start, end=end)


def rules_table(rules: Sequence[Sequence[Rule]], revised: dt.date, lang: Language,
                width: int | None = None) -> str:
    """A heading (how many rules, when revised) and one row per rule, its newest version, at
    most ``width`` characters wide (:func:`plancycle.textable.fit`; the basis and the rule's
    text wrap, every word kept)."""
    header = [label(f"rules_col_{column}", lang)
              for column in ("id", "binding", "confidence", "basis", "text")]
    rows = [[versions[-1].id, label(versions[-1].binding, lang), versions[-1].confidence,
             _shortened(_basis(versions[-1])), versions[-1].title(lang)] for versions in rules]
    heading = label("rules_heading", lang, count=len(rules), revised=date_cell(revised, lang))
    return "\n".join([*paragraph(heading, width), "", *fit([header, *rows], width, wrapping=(3, 4)),
                      "", *paragraph(label("rules_more", lang), width)]) + "\n"


def rule_in_full(versions: Sequence[Rule], lang: Language, width: int | None = None) -> str:
    """One rule: its id, then each version (oldest first) with its period in force, text,
    binding, confidence and basis with the Lovdata URL; lines wrapped to ``width``."""
    lines = [versions[0].id]
    for rule in versions:
        lines += ["", *paragraph(label("rules_version", lang, version=rule.version,
                                       period=_period(rule, lang)) if rule.in_force else
                                 label("rules_version_not_in_force", lang, version=rule.version),
                                 width)]
        lines += [*paragraph(rule.title(lang), width, "  "),
                  *paragraph(f"{label('binding', lang)}: {label(rule.binding, lang)}", width, "  "),
                  *paragraph(f"{label('confidence', lang)}: {rule.confidence} "
                             f"({label(f'confidence_{rule.confidence}', lang)})", width, "  ")]
        for basis in rule.basis:
            lines += paragraph(f"{label('basis', lang)}: {basis.law} {basis.section}".rstrip()
                               + (f"  {basis.url}" if basis.url else ""), width, "  ")
    return "\n".join(lines) + "\n"
