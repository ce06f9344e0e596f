"""The plain words of the plan system in the user's language: types, statuses, decisions, steps
(``texts_plans.toml``), shared by the report command and the overview page."""

from __future__ import annotations

import datetime as dt

from plancycle.errors import DataError
from plancycle.i18n import Language, label
from plancycle.plans.register import Decision, Plan
from plancycle.plans.report import NextStep, StaleReason


def type_name(plan: Plan, lang: Language) -> str:
    """The plan's type in plain words (``Kommunedelplan``)."""
    return label(f"plan_type_{plan.type}", lang)


def status_name(status: str, lang: Language) -> str:
    return label(f"plan_status_{status}", lang)


def decision_name(decision: Decision | None, lang: Language) -> str:
    """The planstrategi's decision in plain words, with its start year when it has one."""
    if decision is None:
        return label("plan_decision_none", lang)
    if decision.decision == "merge":
        return label("plan_decision_merge", lang, target=decision.merge_into or "")
    text = label(f"plan_decision_{decision.decision}", lang)
    return f"{text} ({quarter_of(decision.start)})" if decision.start else text


def quarter_of(day: dt.date) -> str:
    """``2028-Q3`` for a first day of a quarter, else the date."""
    if day.day == 1 and day.month in (1, 4, 7, 10):
        return f"{day.year}-Q{(day.month + 2) // 3}"
    return day.isoformat()


def step_name(step: NextStep | None, lang: Language) -> str:
    """The next step in plain words; the milestone's own title for a step without a label."""
    if step is None:
        return label("plans_step_done", lang)
    name = step.step
    if name.startswith("action_programme_rolled"):
        name = "action_programme"
    try:
        return label(f"plans_step_{name}", lang)
    except DataError:  # a step the catalogue does not know: the engine's title
        return step.milestone.title


def stale_reason(plan: Plan, reason: StaleReason, limit: dt.date, lang: Language) -> str:
    if reason == "old":
        return label("plans_stale_old", lang, adopted=plan.adopted.isoformat() if plan.adopted
                     else "", limit=limit.isoformat())
    if reason == "period_ended":
        return label("plans_stale_period_ended", lang,
                     period_end=plan.period_end.isoformat() if plan.period_end else "")
    return label(f"plans_stale_{reason}", lang)
