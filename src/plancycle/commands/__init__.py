"""The subcommands of the ``plancycle`` CLI, one module each.

Every public module here defines ``register(commands)``, which adds its subparser(s) to the
argparse sub-parsers object and sets ``handler`` (``(argparse.Namespace) -> int``) as a default.
:data:`COMMANDS` names the module of each command, so that :mod:`plancycle.cli` imports only the
module of the command being run (a new command is one line there). Handlers raise
:class:`~plancycle.errors.PlanCycleError` for bad input; the CLI turns it into one line on
stderr and exit code 2.
"""

from __future__ import annotations

from importlib.util import find_spec

#: Each command and the module (in this package) that registers it, in the order
#: ``plancycle --help`` lists them. A module may register several commands.
COMMANDS: dict[str, str] = {
    "schedule": "schedule",
    "ics": "schedule",
    "next": "next",
    "municipalities": "municipalities",
    "rules": "rules",
    "record": "record",
    "status": "status",
    "measures": "measures",
    "plans": "plans",
    "thread": "thread",
    "sdgs": "sdgs",
    "simulate": "simulate",
    "compare": "compare",
    "diagram": "diagram",
    "wheel": "wheel",
    "timeline": "timeline",
    "publish": "publish",
    "serve": "serve",
    "db": "db",
    "token": "token",
}


def available_commands() -> dict[str, str]:
    """:data:`COMMANDS` without those whose module is not installed (yet)."""
    present = {module for module in set(COMMANDS.values())
               if find_spec(f"{__name__}.{module}") is not None}
    return {command: module for command, module in COMMANDS.items() if module in present}
