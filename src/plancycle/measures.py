"""The KS study's questions as numbers, from what happened in a term (domain.md §1).

One implementation for a simulated run (:mod:`plancycle.simulation`) and a followed term
(:meth:`plancycle.term.Term.status`, ``plancycle measures``): both drive the process machines
through the dates that happened and measure them here.

- days from election day to the adopted samfunnsdel;
- the share of the term the new council governs with a samfunnsdel it adopted itself: from the
  adoption to the end of the term, over K → end of the term (the end is 31 October of Y+4, the
  latest day the next council may constitute itself; 0 when it never adopted one);
- the first budget year whose handlings- og økonomiplan was adopted after the new samfunnsdel;
- whether the planstrategi was adopted by its due date, K + 1 year (pbl § 10-1, from the rules).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from pydantic import ConfigDict

from plancycle.deadlines import due_by_rule
from plancycle.machine import ProcessInstance
from plancycle.models import ElectionPeriod, PlanCycleModel
from plancycle.rules import rule_table


class Measures(PlanCycleModel):
    """The seed's measures for one term or run (None where the step did not happen within it)."""

    model_config = ConfigDict(frozen=True)

    samfunnsdel_adopted: dt.date | None
    days_to_samfunnsdel: int | None
    own_samfunnsdel_share: float
    first_budget_year_after_samfunnsdel: int | None
    planstrategi_adopted: dt.date | None
    planstrategi_due: dt.date
    planstrategi_on_time: bool


def _adopted(instance: ProcessInstance | None) -> dt.date | None:
    if instance is None:
        return None
    return instance.dates.get(f"{instance.name}.adopted")


@lru_cache(maxsize=64)
def _planstrategi_due(period: ElectionPeriod) -> dt.date:
    """K + 1 year, from rule planstrategi-deadline (pbl § 10-1 first paragraph)."""
    return due_by_rule(rule_table(), "planstrategi-deadline", "due", period,
                       period.election_year)[1]


def measure(period: ElectionPeriod, instances: dict[str, ProcessInstance]) -> Measures:
    """The measures of a run from its instances (keyed by instance name)."""
    samfunnsdel = _adopted(instances.get("samfunnsdel"))
    planstrategi = _adopted(instances.get("planstrategi"))
    due = _planstrategi_due(period)
    end, start = period.end, period.constituted
    share = 0.0
    if samfunnsdel is not None and samfunnsdel <= end:
        share = max(0.0, min(1.0, (end - max(samfunnsdel, start)).days / (end - start).days))
    budget_year = None
    if samfunnsdel is not None:
        for year in range(period.election_year, period.election_year + 5):
            adopted = _adopted(instances.get(f"action_economy_plan.{year}"))
            if adopted is not None and adopted > samfunnsdel:
                budget_year = year + 1
                break
    return Measures(
        samfunnsdel_adopted=samfunnsdel,
        days_to_samfunnsdel=(samfunnsdel - period.election_day).days if samfunnsdel else None,
        own_samfunnsdel_share=round(share, 4),
        first_budget_year_after_samfunnsdel=budget_year,
        planstrategi_adopted=planstrategi,
        planstrategi_due=due,
        planstrategi_on_time=planstrategi is not None and planstrategi <= due,
    )


class TermMeasures(PlanCycleModel):
    """The measures of a followed term, under the names of ``plancycle measures``: the same
    numbers as :class:`Measures` (``share_of_term`` is ``own_samfunnsdel_share``,
    ``first_budget_year`` is ``first_budget_year_after_samfunnsdel``, ``planstrategi_in_time``
    is ``planstrategi_on_time``). What is not recorded is not known: ``planstrategi_in_time`` is
    None when no adoption of the planstrategi is recorded (or implied by a later recorded step),
    where a simulated run, in which everything that happens is known, says False."""

    model_config = ConfigDict(frozen=True)

    samfunnsdel_adopted: dt.date | None
    days_to_samfunnsdel: int | None
    share_of_term: float
    first_budget_year: int | None
    planstrategi_adopted: dt.date | None
    planstrategi_due: dt.date
    planstrategi_in_time: bool | None

    @classmethod
    def of(cls, measures: Measures) -> TermMeasures:
        return cls(samfunnsdel_adopted=measures.samfunnsdel_adopted,
                   days_to_samfunnsdel=measures.days_to_samfunnsdel,
                   share_of_term=measures.own_samfunnsdel_share,
                   first_budget_year=measures.first_budget_year_after_samfunnsdel,
                   planstrategi_adopted=measures.planstrategi_adopted,
                   planstrategi_due=measures.planstrategi_due,
                   planstrategi_in_time=(measures.planstrategi_on_time
                                         if measures.planstrategi_adopted is not None else None))
