"""``plancycle diagram``: one lifecycle as a state diagram (mermaid), from the machines' definitions."""

from __future__ import annotations

import argparse
from typing import Any

from plancycle.commands._options import add_output, emit
from plancycle.commands._texts import help_text
from plancycle.diagram import ALL_PROCESSES, FORMATS, PLAN_DIAGRAMS, render
from plancycle.i18n import LANGUAGES
from plancycle.processes import PROCESS_MODELS


def register(commands: Any) -> None:
    diagram = commands.add_parser("diagram", help=help_text("command_diagram"),
                                  description=help_text("diagram_description"))
    diagram.add_argument("process", metavar="PROCESS",
                         help=help_text("diagram_process",
                                        processes=", ".join((*ALL_PROCESSES, *PLAN_DIAGRAMS))))
    diagram.add_argument("--model", choices=PROCESS_MODELS, default="samskaping",
                         help=help_text("opt_model"))
    diagram.add_argument("--format", choices=FORMATS, default="mermaid",
                         help=help_text("diagram_format"))
    diagram.add_argument("--lang", choices=LANGUAGES, default="nb",
                         help=help_text("diagram_lang"))
    diagram.add_argument("--county", action="store_true",
                         help=help_text("diagram_county"))
    add_output(diagram)
    diagram.set_defaults(handler=run_diagram)


def run_diagram(args: argparse.Namespace) -> int:
    text = render(args.process, args.model, fmt=args.format, lang=args.lang, county=args.county)
    emit(text.encode(), args.output)
    return 0
