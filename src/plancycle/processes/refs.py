"""Typed date references of a process declaration, parsed once when a step is declared.

A :class:`~plancycle.processes.declaration.DateSpec` names the date it is planned from with a short
string; :func:`parse_ref` turns it into one of the types below, so a typo in a definition fails when
the definition module is imported, not when a schedule is built. The grammar:

- ``"E"`` election day, ``"K"`` the constituent meeting, ``"E_next"`` the next election day;
- ``"due"``: the step's own due date;
- ``"rule:<rule-id>:<param>"``: an ``MM-DD`` parameter of a (practice) rule in the cycle year;
- ``"ms:<process>.<step>"`` or ``"ms:<process>.<step>:end"``: another milestone's first or last day
  (in the same cycle year and instance when it is of the same process).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

AnchorName = Literal["E", "K", "E_next"]
Edge = Literal["start", "end"]

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_RULE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


@dataclass(frozen=True)
class AnchorRef:
    """Election day, the constituent meeting or the next election day."""

    name: AnchorName


@dataclass(frozen=True)
class DueRef:
    """The step's own due date (a notice counted back from its meeting, a report due by law)."""


@dataclass(frozen=True)
class RuleDateRef:
    """A ``MM-DD`` parameter of a rule, in the cycle year (a practice date such as June 15)."""

    rule: str
    param: str


@dataclass(frozen=True)
class MilestoneRef:
    """Another milestone's first (``start``) or last (``end``) day."""

    process: str
    step: str
    edge: Edge = "start"

    def __str__(self) -> str:
        return f"{self.process}.{self.step}" + (":end" if self.edge == "end" else "")


DateRef = AnchorRef | DueRef | RuleDateRef | MilestoneRef


def parse_ref(text: str) -> DateRef:
    """The typed reference of ``text``; raises ``ValueError`` naming the grammar on a typo."""
    if text in ("E", "K", "E_next"):
        return AnchorRef(text)  # type: ignore[arg-type]  # narrowed by the membership test
    if text == "due":
        return DueRef()
    kind, _, rest = text.partition(":")
    if kind == "rule":
        rule, _, param = rest.partition(":")
        if _RULE.match(rule) and _NAME.match(param):
            return RuleDateRef(rule, param)
    elif kind == "ms":
        target, _, edge = rest.partition(":")
        process, _, step = target.partition(".")
        if _NAME.match(process) and _NAME.match(step) and edge in ("", "end"):
            return MilestoneRef(process, step, "end" if edge == "end" else "start")
    raise ValueError(f"date reference {text!r} is not E, K, E_next, due, rule:<rule>:<param> or "
                     "ms:<process>.<step>[:end]")
