"""``plancycle diagram``: one lifecycle as a state diagram (mermaid), from the machines' definitions."""

from __future__ import annotations

import argparse
from typing import Any

from plancycle.commands._options import add_output, emit
from plancycle.diagram import ALL_PROCESSES, FORMATS, PLAN_DIAGRAMS, render
from plancycle.i18n import LANGUAGES
from plancycle.processes import PROCESS_MODELS


def register(commands: Any) -> None:
    diagram = commands.add_parser("diagram", help="a lifecycle as a mermaid state diagram")
    diagram.add_argument("process", metavar="PROCESS",
                         help=f"the process: {', '.join((*ALL_PROCESSES, *PLAN_DIAGRAMS))}")
    diagram.add_argument("--model", choices=PROCESS_MODELS, default="samskaping",
                         help="process model (default: samskaping)")
    diagram.add_argument("--format", choices=FORMATS, default="mermaid",
                         help="diagram format (default: mermaid)")
    diagram.add_argument("--lang", choices=LANGUAGES, default="nb",
                         help="language of the title and notes (default: nb)")
    diagram.add_argument("--county", action="store_true",
                         help="the process as a county authority (fylkeskommune) runs it")
    add_output(diagram)
    diagram.set_defaults(handler=run_diagram)


def run_diagram(args: argparse.Namespace) -> int:
    text = render(args.process, args.model, fmt=args.format, lang=args.lang, county=args.county)
    emit(text.encode(), args.output)
    return 0
