"""From a plan register's decisions to the engine's plan instances (issue 10, pbl § 10-1).

The planstrategi decides, for each plan of the register, ``revise``, ``keep``, ``new``,
``repeal`` or ``merge``. A decided plan becomes one :class:`~plancycle.planning.PlanRequest`:

========================================  ===============================================
decision and plan type                    process (:mod:`plancycle.processes.plan`)
========================================  ===============================================
revise/new an arealdel or kommunedelplan  ``kommuneplan`` (pbl ch. 11)
revise/new a regional plan                ``regional`` (pbl ch. 8)
revise/new a temaplan, strategi,          ``practice``
handlingsplan or other plan
repeal                                    ``repeal`` (one council decision)
merge                                     ``merge`` (one council decision)
keep, or no decision                      none: the plan continues
revise/new the samfunnsdel                none here: it is the term's own ``samfunnsdel``
========================================  ===============================================

Each request depends on its own plan only, so one plan's decision changes no other plan's
events, and its ids (``plan.<plan-id>.<step>``) never contain the title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from plancycle.i18n import Language, label
from plancycle.planning.engine import PlanRequest
from plancycle.processes.plan import PlanKind
from plancycle.processes.plan import definition as plan_definition

if TYPE_CHECKING:  # the register imports nothing of the engine; only its shape is read here
    from plancycle.models import Milestone
    from plancycle.plans.register import Decision, Plan, PlanRegister

__all__ = ["PlanChoice", "plan_kind", "plan_requests", "shows_plan", "target_warnings"]

#: Which plans' milestones an output shows: None all, else the chosen plan ids (empty: none).
PlanChoice = frozenset[str] | None

_PROCESS_OF_TYPE: dict[str, PlanKind] = {
    "arealdel": "kommuneplan", "kommunedelplan": "kommuneplan", "regional_plan": "regional",
    "temaplan": "practice", "strategi": "practice", "handlingsplan": "practice",
    "other": "practice",
}


def plan_kind(plan: Plan, decision: Decision | None) -> PlanKind | None:
    """The process a plan runs under its decision, or None when it runs none (see the table)."""
    if decision is None or decision.decision == "keep":
        return None
    if decision.decision == "repeal":
        return "repeal"
    if decision.decision == "merge":
        return "merge"
    return _PROCESS_OF_TYPE.get(plan.type)  # revise/new; the samfunnsdel is the core process


def shows_plan(milestone_id: str, choice: PlanChoice) -> bool:
    """True when an output with ``choice`` shows milestone ``milestone_id`` (every milestone
    that is not a plan's, and a plan's when its id is chosen)."""
    if choice is None or not milestone_id.startswith("plan."):
        return True
    return milestone_id.split(".")[1] in choice


def plan_requests(register: PlanRegister | None,
                  recorded: Iterable[str] = ()) -> tuple[PlanRequest, ...]:
    """The plan instances of a register's decisions, in register order. ``recorded``: the
    milestone ids with a fact; an optional step (an objection, pbl § 5-4) is in its plan's
    instance only when it is among them."""
    facts = frozenset(recorded)
    if register is None:
        return ()
    decisions = {decision.plan: decision for decision in register.decisions}
    out: list[PlanRequest] = []
    for plan in register.plans:
        decision = decisions.get(plan.id)
        kind = plan_kind(plan, decision)
        if kind is None or decision is None:
            continue
        optional = tuple(step.milestone for step in plan_definition(kind).steps
                         if step.optional and f"plan.{plan.id}.{step.milestone}" in facts)
        out.append(PlanRequest(plan.id, kind, decision.start, plan.title, optional,
                               decision.consultation))
    return tuple(out)


def target_warnings(register: PlanRegister | None, milestones: Iterable[Milestone],
                    lang: Language) -> tuple[str, ...]:
    """A warning for each plan whose adoption is dated after its decision's ``target`` (a soft
    target: nothing is moved, the municipality is told)."""
    if register is None:
        return ()
    titles = {plan.id: plan.title for plan in register.plans}
    targets: dict[str, tuple[str, dt.date]] = {}
    for decision in register.decisions:
        if decision.target is not None:
            targets[f"plan.{decision.plan}.adopted"] = (titles[decision.plan], decision.target)
    out: list[str] = []
    for milestone in milestones:
        found = targets.get(milestone.id)
        if found is not None and milestone.start > found[1]:
            out.append(label("plan_target_missed", lang, plan=found[0],
                             date=milestone.start.isoformat(), target=found[1].isoformat()))
    return tuple(out)
