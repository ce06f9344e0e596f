"""The register's decided plans as process instances of the term (issue 10).

The engine runs every decided plan as an instance of process ``plan``
(:mod:`plancycle.processes.plan`, :mod:`plancycle.planning.plans`); this module reads them back
out of a followed term: :func:`plan_milestones` (what the reports and overview page show) and
:func:`in_force` (the register's plans still in force on a day: a plan leaves the list when its
repeal or merger is recorded).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from plancycle.i18n import Language
from plancycle.ids import PLAN_PROCESS
from plancycle.models import Milestone
from plancycle.planning.plans import plan_kind, plan_requests
from plancycle.plans.register import Plan

if TYPE_CHECKING:  # the term imports the register; importing the term here would be a cycle
    from plancycle.term import Term

__all__ = ["ENDING_STEPS", "in_force", "plan_kind", "plan_milestones", "plan_requests"]

#: The steps whose recording ends a plan's life in the register (pbl § 10-1 decisions).
ENDING_STEPS = ("repealed", "merged")


def plan_milestones(term: Term, lang: Language = "nb") -> tuple[Milestone, ...]:
    """Every milestone of the term's plan instances, as the followed term dates them now
    (recorded facts applied), in date order."""
    if term.plans is None:
        return ()
    return tuple(m for m in term.schedule(lang).milestones if m.process == PLAN_PROCESS)


def in_force(term: Term, today: dt.date) -> tuple[Plan, ...]:
    """The register's plans in force on ``today``: not ``repealed`` in the register, and no
    repeal or merger recorded on or before ``today`` (a planned one does not count)."""
    if term.plans is None:
        return ()
    ended: set[str] = set()
    for fact in term.facts:
        parts = fact.milestone.split(".")
        if len(parts) == 3 and parts[0] == PLAN_PROCESS and parts[2] in ENDING_STEPS \
                and fact.date <= today:
            ended.add(parts[1])
    return tuple(plan for plan in term.plans.plans
                 if plan.status != "repealed" and plan.id not in ended)
