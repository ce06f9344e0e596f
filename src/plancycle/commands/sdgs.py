"""``plancycle sdgs``: the UN sustainable development goals and their targets, all or those
matching a search, so a planner can find a target's number (issue 11; :mod:`plancycle.sdgs`)."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from plancycle.commands._options import add_language, add_output, emit
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.i18n import Language, label
from plancycle.sdgs import Goal, search
from plancycle.textable import paragraph

#: The table's width when none is given (it fits a 100-column terminal) and the indent of a
#: target's text.
WIDTH = 100
INDENT = 8


def register(commands: Any) -> None:
    sdgs = commands.add_parser(
        "sdgs", help=help_text("command_sdgs"),
        description=help_text("sdgs_description"))
    sdgs.add_argument("search", metavar="SEARCH", nargs="*",
                      help=help_text("sdgs_search"))
    sdgs.add_argument("--format", choices=("table", "json"), default="table",
                      help=help_text("opt_format"))
    add_language(sdgs)
    add_output(sdgs)
    add_table_options(sdgs)
    sdgs.set_defaults(handler=run_sdgs)


def run_sdgs(args: argparse.Namespace) -> int:
    query = " ".join(args.search)
    found = search(query, args.lang)
    text = (as_json(found, args.lang) if args.format == "json" else
            as_table(found, query, args.lang, width=table_width(args)))
    emit(text.encode(), args.output)
    return 0


def as_dict(found: tuple[Goal, ...], lang: Language) -> dict[str, Any]:
    """The JSON document: ``{"goals": [{"number", "name", "targets": [{"number", "text"}]}]}``;
    a target shown in English for want of a Norwegian text has ``"missing_nb": true``."""
    return {"goals": [
        {"number": goal.number, "name": goal.name(lang),
         "targets": [{"number": target.number, "text": target.text(lang),
                      **({"missing_nb": True} if lang != "en" and target.missing_nb else {})}
                     for target in goal.targets]}
        for goal in found]}


def as_json(found: tuple[Goal, ...], lang: Language) -> str:
    return json.dumps(as_dict(found, lang), ensure_ascii=False, indent=2) + "\n"


def as_table(found: tuple[Goal, ...], query: str, lang: Language, *, width: int = WIDTH) -> str:
    """Each goal's heading, then its targets: the number, and the text wrapped to ``width``
    columns; a text shown in English in nb/nn is marked ``*``."""
    if not found:
        return label("sdg_no_match", lang, search=query.strip()) + "\n"
    lines: list[str] = []
    marked = False
    for goal in found:
        if lines:
            lines.append("")
        lines += textwrap.wrap(label("sdg_goal", lang, number=goal.number,
                                     name=goal.name(lang)), width)
        for target in goal.targets:
            missing = lang != "en" and target.missing_nb
            marked = marked or missing
            text = target.text(lang) + (" *" if missing else "")
            lines += textwrap.wrap(text, width, initial_indent=f"  {target.number:<{INDENT - 2}}",
                                   subsequent_indent=" " * INDENT, break_long_words=True)
    count = sum(len(goal.targets) for goal in found)
    lines += ["", *paragraph(label("sdg_count", lang, goals=len(found), targets=count), width)]
    if marked:
        lines += paragraph(label("sdg_missing_nb", lang), width)
    return "\n".join(lines) + "\n"
