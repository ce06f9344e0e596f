"""What the plan register says about the term: the plan load, stale plans and the next steps.

The KS big-city study found too many plans, no system for phasing out old ones and weak
coordination; these reports answer it (issue 10, item 4). Everything here is pure: the date
("today"), the schedule of the plans' milestones (ids ``plan.<plan-id>.<step>``, as
:func:`plancycle.plans.processes.plan_milestones` gives them) and the set of milestone ids done
(recorded) are arguments.

- :func:`plan_load`: per quarter of the term, the plan processes running (from a plan's first
  milestone to its last; a repeal or merge, one council decision, is no process) and the hearing
  windows (milestones of kind ``phase`` whose step is a consultation) that overlap, against a
  capacity: a number of parallel processes, or one per owner. A quarter over the capacity gives
  a :class:`CapacityWarning`.
- :func:`stale_plans`: plans in force adopted before the limit (default 1 January of the previous
  term's election year, election year − 4: for the 2027 term, before 2023 — neither the outgoing
  nor the new council adopted them) and not decided on; plans past their ``period_end`` and not
  decided to be revised, repealed or merged; plans in force without an owner; repeal and merge
  decisions whose milestone (``plan.<id>.repealed``/``.merged``) is not done though its planned
  date has passed (or no date is known).
- :func:`in_force`: the plans in force on the facts: a repealed or merged plan leaves the list
  when its decision milestone is done, a new plan joins it when ``plan.<id>.adopted`` is.
- :func:`next_steps`: per plan, the first of its milestones not done, with its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from plancycle.models import Milestone
from plancycle.plans.register import Plan, PlanRegister

__all__ = ["CapacityWarning", "HearingOverlap", "NextStep", "PlanLoad", "Quarter", "QuarterLoad",
           "StalePlan", "StaleReason", "default_stale_limit", "in_force", "milestones_by_plan",
           "next_steps", "plan_load", "split_id", "stale_plans", "term_quarters"]

StaleReason = Literal["old", "no_adopted", "period_ended", "no_owner", "repeal_pending",
                      "merge_pending"]
#: The owner a plan without one is counted under in a per-owner capacity.
NO_OWNER = ""


def split_id(milestone_id: str) -> tuple[str, str] | None:
    """``(plan-id, step)`` of a plan milestone id ``plan.<plan-id>.<step>``, else None."""
    parts = milestone_id.split(".")
    if len(parts) != 3 or parts[0] != "plan":
        return None
    return parts[1], parts[2]


def milestones_by_plan(milestones: Iterable[Milestone]) -> dict[str, tuple[Milestone, ...]]:
    """The plan milestones by plan id, each plan's in date order."""
    grouped: dict[str, list[Milestone]] = {}
    for milestone in milestones:
        parts = split_id(milestone.id)
        if parts is not None:
            grouped.setdefault(parts[0], []).append(milestone)
    return {plan: tuple(sorted(items, key=lambda m: (m.start, m.end, m.id)))
            for plan, items in grouped.items()}


def is_hearing(milestone: Milestone) -> bool:
    """A hearing or consultation window: a phase whose step is a consultation."""
    parts = split_id(milestone.id)
    return milestone.kind == "phase" and parts is not None and "consultation" in parts[1]


# --------------------------------------------------------------------------------------------
# The plan load per quarter
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Quarter:
    """A calendar quarter: ``2028-Q3`` is 1 July to 30 September 2028."""

    year: int
    number: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @property
    def name(self) -> str:
        return f"{self.year}-Q{self.number}"

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return start <= self.end and end >= self.start


def term_quarters(election_year: int) -> tuple[Quarter, ...]:
    """The quarters of the term elected in ``election_year``: from the fourth quarter of the
    election year (the council is constituted in October) to the third of the next election
    year, sixteen in all."""
    quarters = [Quarter(election_year, 4)]
    for year in range(election_year + 1, election_year + 4):
        quarters += [Quarter(year, number) for number in (1, 2, 3, 4)]
    quarters += [Quarter(election_year + 4, number) for number in (1, 2, 3)]
    return tuple(quarters)


@dataclass(frozen=True)
class HearingOverlap:
    """Two plans on hearing at the same time, from ``start`` to ``end``."""

    plans: tuple[str, str]
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class CapacityWarning:
    """More plan processes in ``quarter`` than the capacity (of ``owner``, when per owner)."""

    quarter: Quarter
    count: int
    capacity: int
    owner: str | None = None


@dataclass(frozen=True)
class QuarterLoad:
    """The plan processes running in one quarter and the plans with a hearing in it."""

    quarter: Quarter
    running: tuple[str, ...]
    hearings: tuple[str, ...]
    #: the most hearings open on one day of the quarter
    parallel_hearings: int


@dataclass(frozen=True)
class PlanLoad:
    """The plan load of the term: per quarter, the overlapping hearings and the warnings."""

    quarters: tuple[QuarterLoad, ...]
    overlaps: tuple[HearingOverlap, ...]
    warnings: tuple[CapacityWarning, ...]


def _span(milestones: tuple[Milestone, ...]) -> tuple[dt.date, dt.date] | None:
    """From a plan process's first day to its last; None for a single decision (no phase)."""
    if not any(m.kind == "phase" for m in milestones):
        return None
    return min(m.start for m in milestones), max(m.end for m in milestones)


def _most_at_once(windows: list[tuple[dt.date, dt.date]], quarter: Quarter) -> int:
    """The most ``windows`` open on one day of ``quarter`` (a sweep over their ends)."""
    events: list[tuple[dt.date, int]] = []
    for start, end in windows:
        first, last = max(start, quarter.start), min(end, quarter.end)
        if first <= last:
            events += [(first, 1), (last + dt.timedelta(days=1), -1)]
    most = current = 0
    for _day, step in sorted(events, key=lambda e: (e[0], e[1])):
        current += step
        most = max(most, current)
    return most


def plan_load(register: PlanRegister, milestones: Iterable[Milestone], *, election_year: int,
              capacity: int | Mapping[str, int] | None = None) -> PlanLoad:
    """The plan load of the term elected in ``election_year`` (see the module doc).

    ``capacity``: at most this many plan processes at once, or per owner (``{owner: n}``; an
    owner not named has no limit); a quarter with more gives a warning.
    """
    grouped = milestones_by_plan(milestones)
    spans = {plan: span for plan, items in grouped.items() if (span := _span(items))}
    hearings = {plan: [(m.start, m.end) for m in items if is_hearing(m)]
                for plan, items in grouped.items()}
    owners = {plan.id: plan.owner or NO_OWNER for plan in register.plans}
    quarters: list[QuarterLoad] = []
    warnings: list[CapacityWarning] = []
    for quarter in term_quarters(election_year):
        running = tuple(sorted(plan for plan, (start, end) in spans.items()
                               if quarter.overlaps(start, end)))
        on_hearing = tuple(sorted(plan for plan, windows in hearings.items()
                                  if any(quarter.overlaps(s, e) for s, e in windows)))
        windows = [window for plan in on_hearing for window in hearings[plan]]
        quarters.append(QuarterLoad(quarter, running, on_hearing,
                                    _most_at_once(windows, quarter)))
        if isinstance(capacity, int):
            if len(running) > capacity:
                warnings.append(CapacityWarning(quarter, len(running), capacity))
        elif capacity is not None:
            for owner, limit in sorted(capacity.items()):
                count = sum(1 for plan in running if owners.get(plan, NO_OWNER) == owner)
                if count > limit:
                    warnings.append(CapacityWarning(quarter, count, limit, owner))
    return PlanLoad(tuple(quarters), _overlaps(hearings), tuple(warnings))


def _overlaps(hearings: Mapping[str, list[tuple[dt.date, dt.date]]]) -> tuple[HearingOverlap, ...]:
    """Every pair of plans whose hearing windows overlap, with the days they share."""
    windows = sorted((start, end, plan) for plan, items in hearings.items()
                     for start, end in items)
    found: list[HearingOverlap] = []
    for index, (_start, end, plan) in enumerate(windows):
        for other_start, other_end, other in windows[index + 1:]:
            if other_start > end:
                break
            if other != plan:
                found.append(HearingOverlap((plan, other), other_start, min(end, other_end)))
    return tuple(found)


# --------------------------------------------------------------------------------------------
# Stale plans, plans in force, next steps
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StalePlan:
    """A plan the stale-plan report lists, and why."""

    plan: Plan
    reasons: tuple[StaleReason, ...]


def default_stale_limit(election_year: int) -> dt.date:
    """Plans adopted before this day are old: 1 January of the previous term's election year."""
    return dt.date(election_year - 4, 1, 1)


def _pending(plan_id: str, step: str, milestones: Mapping[str, tuple[Milestone, ...]],
             done: Collection[str], today: dt.date) -> bool:
    """The decision milestone ``plan.<id>.<step>`` is not done, though due (or of no date)."""
    milestone_id = f"plan.{plan_id}.{step}"
    if milestone_id in done:
        return False
    planned = [m for m in milestones.get(plan_id, ()) if m.id == milestone_id]
    return not planned or planned[0].end < today


def stale_plans(register: PlanRegister, *, election_year: int, today: dt.date,
                milestones: Iterable[Milestone] = (), done: Collection[str] = frozenset(),
                limit: dt.date | None = None) -> tuple[StalePlan, ...]:
    """The stale-plan report (see the module doc), in register order."""
    oldest = limit or default_stale_limit(election_year)
    grouped = milestones_by_plan(milestones)
    report: list[StalePlan] = []
    for plan in register.plans:
        decision = register.decision(plan.id)
        kind = decision.decision if decision is not None else None
        reasons: list[StaleReason] = []
        if plan.status == "repealed":
            continue
        if kind is None and plan.status == "in_force":
            if plan.adopted is None:
                reasons.append("no_adopted")
            elif plan.adopted < oldest:
                reasons.append("old")
        if (plan.period_end is not None and plan.period_end < today
                and kind not in ("revise", "repeal", "merge")):
            reasons.append("period_ended")
        if plan.owner is None:
            reasons.append("no_owner")
        if kind == "repeal" and _pending(plan.id, "repealed", grouped, done, today):
            reasons.append("repeal_pending")
        if kind == "merge" and _pending(plan.id, "merged", grouped, done, today):
            reasons.append("merge_pending")
        if reasons:
            report.append(StalePlan(plan, tuple(reasons)))
    return tuple(report)


def in_force(register: PlanRegister, done: Collection[str] = frozenset()) -> tuple[Plan, ...]:
    """The plans in force given the milestones ``done``, in register order."""
    plans: list[Plan] = []
    for plan in register.plans:
        decision = register.decision(plan.id)
        kind = decision.decision if decision is not None else None
        if kind == "repeal" and f"plan.{plan.id}.repealed" in done:
            continue
        if kind == "merge" and f"plan.{plan.id}.merged" in done:
            continue
        adopted_now = kind == "new" and f"plan.{plan.id}.adopted" in done
        if plan.status in ("in_force", "under_revision") or adopted_now:
            plans.append(plan)
    return tuple(plans)


@dataclass(frozen=True)
class NextStep:
    """A plan's next milestone: its id, its step and the day it starts."""

    milestone: Milestone
    step: str

    @property
    def date(self) -> dt.date:
        return self.milestone.start


def next_steps(register: PlanRegister, milestones: Iterable[Milestone],
               done: Collection[str] = frozenset(),
               core: Mapping[str, tuple[Milestone, ...]] | None = None,
               ) -> dict[str, NextStep | None]:
    """Per plan of the register, its first milestone not done (None: nothing left, or no
    process). ``core``: the milestones of a plan run by a core process instead (the
    samfunnsdel's revision is the ``samfunnsdel`` process), by plan id."""
    grouped = {**milestones_by_plan(milestones), **(core or {})}
    steps: dict[str, NextStep | None] = {}
    for plan in register.plans:
        pending = [m for m in grouped.get(plan.id, ()) if m.id not in done]
        if pending:
            parts = split_id(pending[0].id)
            steps[plan.id] = NextStep(pending[0], parts[1] if parts
                                      else pending[0].id.rsplit(".", 1)[-1])
        else:
            steps[plan.id] = None
    return steps
