"""A term's plans as the reports and the overview page take them: the register, the plan
milestones of the term's schedule (``plan.<plan-id>.<step>``, facts applied) and the milestones
done (an event recorded, or a phase whose end is recorded)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from plancycle.errors import InputError
from plancycle.i18n import Language, label
from plancycle.models import Milestone
from plancycle.municipalities import County
from plancycle.plans.overview import render_overview
from plancycle.plans.register import PlanRegister
from plancycle.plans.report import next_steps, split_id
from plancycle.term import Term

__all__ = ["TermPlans", "overview_of_term", "term_plans"]


@dataclass(frozen=True)
class TermPlans:
    """What the plan reports need of a term."""

    register: PlanRegister
    election_year: int
    owner: str
    milestones: tuple[Milestone, ...]
    done: frozenset[str]
    #: plans run by a core process (the samfunnsdel revised or new: the ``samfunnsdel``
    #: process), their milestones by plan id
    core: dict[str, tuple[Milestone, ...]] = field(default_factory=dict)


def term_plans(term: Term, lang: Language = "nb", *, today: dt.date | None = None) -> TermPlans:
    """The plans of ``term``; :class:`InputError` (``plans_no_register``) without a register.
    Done: with ``today``, every milestone the followed term counts as done on that day (a later
    recorded step implies the earlier ones); without it, the events recorded and the phases
    recorded closed."""
    if term.plans is None:
        raise InputError(key="plans_no_register")
    schedule = term.schedule(lang)
    milestones = tuple(m for m in schedule.milestones if split_id(m.id) is not None)
    kinds = {m.id: m.kind for m in schedule.milestones}
    if today is not None:
        done = frozenset(m.id for m in term.status(today, lang).milestones if m.status == "done")
    else:
        done = frozenset(fact.milestone for fact in term.facts
                         if fact.milestone in kinds
                         and (kinds[fact.milestone] != "phase" or fact.end is not None))
    samfunnsdel = tuple(sorted((m for m in schedule.milestones
                                if m.id.startswith("samfunnsdel.") and m.id.count(".") == 1),
                               key=lambda m: (m.start, m.end, m.id)))
    core = {plan.id: samfunnsdel for plan in term.plans.plans
            if plan.type == "samfunnsdel" and (decision := term.plans.decision(plan.id))
            is not None and decision.decision in ("revise", "new")}
    owner = term.owner()
    if owner is None:
        name = str(term.election_year)
    else:
        key = "page_owner_county" if isinstance(owner, County) else "page_owner_municipality"
        name = label(key, lang, name=owner.name)
    return TermPlans(term.plans, term.election_year, name, milestones, done, core)


def overview_of_term(term: Term, *, today: dt.date, lang: Language = "nb") -> bytes:
    """The public plan overview page of ``term`` on ``today``."""
    plans = term_plans(term, lang, today=today)
    steps = next_steps(plans.register, plans.milestones, plans.done, plans.core)
    return render_overview(plans.register, owner=plans.owner, today=today, steps=steps,
                           done=plans.done, lang=lang)
