"""When a followed term adopted (or will adopt) its samfunnsdel and budgets, for the thread
report's timing (:class:`~plancycle.content.thread.Timing`).

Read from the term's status on ``today`` (:meth:`plancycle.term.Term.status`): a milestone that
is done gives its recorded day, any other its current planned day. Budget year N is adopted at
``action_economy_plan.<N-1>.adopted`` (koml. § 14-3: by 31 December of the year before).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from plancycle.content.thread import Dated, Timing
from plancycle.errors import PlanCycleError
from plancycle.term import Term, TermMilestone, TermStatus

SAMFUNNSDEL_ADOPTED = "samfunnsdel.adopted"


def budget_milestone(year: int) -> str:
    """The milestone at which the budget of ``year`` is adopted."""
    return f"action_economy_plan.{year - 1}.adopted"


def _dated(status: TermStatus, milestone_id: str) -> Dated | None:
    try:
        item: TermMilestone = status.milestone(milestone_id)
    except PlanCycleError:
        return None
    if item.status == "done" and item.actual_start is not None:
        return Dated(date=item.actual_start, recorded=True)
    return Dated(date=item.start, recorded=False)


def term_timing(term: Term, today: dt.date, years: Iterable[int]) -> Timing:
    """The samfunnsdel's and the budgets' (of ``years``) adoption days in ``term`` on ``today``."""
    status = term.status(today)
    budgets = {year: dated for year in years
               if (dated := _dated(status, budget_milestone(year))) is not None}
    return Timing(source="term", samfunnsdel=_dated(status, SAMFUNNSDEL_ADOPTED), budgets=budgets)
