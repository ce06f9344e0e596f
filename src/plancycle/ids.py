"""Milestone ids and edge keys: one parser and one formatter (domain.md §4, a public contract).

A milestone id names *what* happens, never a date::

    planstrategi.adopted                    process.step
    action_economy_plan.2028.adopted        process.year.step        (a yearly cycle)
    samfunnsdel.kdp-sykkel.adopted          process.instance.step    (a second instance)
    samfunnsdel.kdp-sykkel.2029.adopted     process.instance.year.step
    plan.kdp-klima.adopted                  plan.<plan id>.step      (a decided plan, issue 10)

Steps and processes are ``snake_case``; an instance key is a slug of lowercase letters, digits and
hyphens that is not a year. The plans of process ``plan`` are never yearly, so their instance is
the plan's id (:data:`PLAN_PROCESS`), a slug that may also be all digits (``plan.2030.adopted``).
An edge key names one transition of a milestone: the id itself for a step (a phase's opening)
and ``<id>:end`` for a phase's closing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from plancycle.errors import InputError

Edge = Literal["start", "end"]

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_INSTANCE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_YEAR = re.compile(r"[0-9]{4}\Z")


#: The process whose instances are the planstrategi's decided plans (never yearly).
PLAN_PROCESS = "plan"


def valid_plan_key(key: str) -> bool:
    """True for a plan id as an instance key of process ``plan`` (``kdp-klima``, ``2030``)."""
    return bool(_INSTANCE.match(key)) and len(key) <= 64


def valid_instance_key(key: str) -> bool:
    """True for an instance key: a slug (``kdp-sykkel``) that is not a four-digit year."""
    return bool(_INSTANCE.match(key)) and not _YEAR.match(key) and len(key) <= 64


@dataclass(frozen=True, order=True)
class MilestoneId:
    """A parsed milestone id: process, optional instance key, optional cycle year, step."""

    process: str
    step: str
    year: int | None = None
    instance: str | None = None

    @classmethod
    def parse(cls, text: str) -> MilestoneId:
        """The id ``text`` as parts; raises :class:`InputError` naming the grammar."""
        parts = text.split(".")
        process, step = parts[0], parts[-1]
        middle = parts[1:-1]
        year: int | None = None
        instance: str | None = None
        ok = len(parts) in (2, 3, 4) and bool(_NAME.match(process)) and bool(_NAME.match(step))
        plan = process == PLAN_PROCESS
        if ok and plan:  # plan.<plan id>.<step>: the instance is required and never a year
            ok = len(middle) == 1 and valid_plan_key(middle[0])
            instance = middle.pop() if ok else None
        if ok and middle and _YEAR.match(middle[-1]):
            year = int(middle.pop())
        if ok and middle:
            instance = middle.pop()
            ok = valid_instance_key(instance)
        if not ok or middle:
            raise InputError(key="bad_milestone_id", id=text)
        return cls(process, step, year, instance)

    @property
    def instance_name(self) -> str:
        """The process instance the milestone belongs to (``action_economy_plan.2028``)."""
        return ".".join(str(p) for p in (self.process, self.instance, self.year) if p is not None)

    @property
    def key(self) -> str:
        """The id without instance and year (``action_economy_plan.adopted``): its texts' key."""
        return f"{self.process}.{self.step}"

    def __str__(self) -> str:
        return f"{self.instance_name}.{self.step}"


@dataclass(frozen=True, order=True)
class EdgeKey:
    """One edge of a milestone: its ``start`` (a step, a phase's opening) or ``end``."""

    milestone: MilestoneId
    edge: Edge = "start"

    @classmethod
    def parse(cls, text: str) -> EdgeKey:
        milestone, sep, end = text.partition(":")
        if sep and end != "end":
            raise InputError(key="bad_milestone_id", id=text)
        return cls(MilestoneId.parse(milestone), "end" if sep else "start")

    def __str__(self) -> str:
        return edge_key(str(self.milestone), self.edge)


def edge_key(milestone_id: str, edge: str) -> str:
    """``"samfunnsdel.adopted"`` or ``"samfunnsdel.public_consultation:end"``."""
    return milestone_id if edge == "start" else f"{milestone_id}:end"


def split_key(key: str) -> tuple[str, Edge]:
    """The milestone id and the edge (``start``/``end``) of an edge key."""
    milestone, _, end = key.partition(":")
    return milestone, "end" if end else "start"
