"""The planning engine: dates every milestone of a term from its declaration, facts and changes.

A :class:`Planner` resolves each :class:`Slot` (one step of one process instance in the term) from
its :class:`~plancycle.processes.declaration.DateSpec`: a reference (election day, K, a rule's
practice date, another milestone) plus an offset, moved to an allowed day, bounded by its due
rule, widened to its minimum consultation length (padded over July, Easter and Christmas, rule
hearing-holidays) and placed on a council meeting when the council decides it
(:class:`~plancycle.planning.council.CouncilCalendar`). Due dates are the legal bounds themselves.

What happened, or is assumed to happen, comes in as :class:`Adjustments`: ``fired`` are facts (the
day an edge happened); ``shift``, ``length``, ``soft`` and ``hard`` are a scenario's changes. A
fact is never moved. With ``ordered`` (the default), an edge not fixed is never planned before the
edge it follows in its process's chain, nor a decision before a recorded notice of it plus the
notice period, so a late step pushes the rest of its process.

The planner records which dates each date read (a dependency graph): :meth:`Planner.invalidate`
forgets a changed date and everything derived from it, so re-planning after a fact re-dates
exactly its dependents. Padding and flags are returned as values (:class:`Dated`), not kept as
side effects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel

from plancycle import calendar_no as cal
from plancycle.deadlines import (
    Overrides,
    due_by_rule,
    padded_window_end,
    param_int,
    rule_with_overrides,
)
from plancycle.errors import DataError, InputError
from plancycle.ids import MilestoneId, split_key, valid_instance_key, valid_plan_key
from plancycle.models import ElectionPeriod, Padding
from plancycle.planning.council import CouncilCalendar
from plancycle.processes import ProcessDefinition, ProcessModel, ProcessName, definitions
from plancycle.processes import definition as process_definition
from plancycle.processes.declaration import DateSpec, DueByRule, NoticeBefore, Step
from plancycle.processes.plan import PlanKind
from plancycle.processes.plan import definition as plan_definition
from plancycle.processes.refs import AnchorRef, DueRef, MilestoneRef, RuleDateRef
from plancycle.rules import Rule, RuleTable, rule_table

#: The calendar years of a term a yearly cycle runs in (0 = the election year).
TERM_YEARS = range(5)


@dataclass(frozen=True)
class Dated:
    """A resolved date, the assumed anchors it rests on (``E``, ``K``, ``E_next``), and for a
    window's end its minimum length and holiday padding, for a decision whether no meeting of
    the plan fitted (``flagged``)."""

    day: dt.date
    anchors: frozenset[str] = frozenset()
    minimum: int | None = None
    padding: tuple[Padding, ...] = ()
    flagged: bool = False


@dataclass(frozen=True, eq=False)
class Slot:
    """One step placed in the term: its id, cycle year, definition, instance and chain position.

    ``instance``: the chain it belongs to (the process instance's name, or for a step of an
    ``independent`` definition its own milestone id: it runs alone, with ``definition`` the
    one-step part).
    ``previous``: the edge keys before this step's start in its instance's chain, nearest first,
    leaving out notices counted back from this step and edges planned from it (they follow it).
    Slots compare by identity (they are built once per term and cached).
    """

    milestone: MilestoneId
    full_id: str
    step: Step
    definition: ProcessDefinition
    year: int
    order: int
    instance: str
    previous: tuple[str, ...] = ()
    #: the earliest day the step may start (a plan's work starts on its decision's ``start``)
    not_before: dt.date | None = None
    #: what the step is about, shown in its title (a plan's title; never in its id or UID)
    subject: str = ""


@dataclass(frozen=True)
class InstanceRequest:
    """A further instance of a (non-yearly) process in the term, e.g. a second regional plan."""

    process: ProcessName
    key: str


@dataclass(frozen=True)
class PlanRequest:
    """A plan the planstrategi decided on, run as an instance of process ``plan``
    (:mod:`plancycle.processes.plan`): ids ``plan.<plan>.<step>``. ``start``: work starts on
    or after it (and never before the planstrategi is adopted); ``title``: shown in the
    milestones' titles only; ``optional``: the optional steps that happened (recorded), the
    only ones in the instance; ``consultation``: a practice plan's consultation is held."""

    plan: str
    kind: PlanKind
    start: dt.date | None = None
    title: str = ""
    optional: tuple[str, ...] = ()
    consultation: bool = True


class Adjustments(BaseModel):
    """What happened, or a scenario changed, per edge key (``<id>`` or ``<id>:end``).

    ``fired``: the day it happened (a fact); ``hard``: a day it happens regardless; ``soft``: a new
    planned day; ``shift``: days late; ``length``: a phase's length in days; ``cancelled``:
    cancelled council meetings.
    """

    shift: dict[str, int] = {}
    length: dict[str, int] = {}
    soft: dict[str, dt.date] = {}
    hard: dict[str, dt.date] = {}
    fired: dict[str, dt.date] = {}
    cancelled: list[dt.date] = []

    def fixed(self, key: str) -> dt.date | None:
        """The day edge ``key`` is fixed on (fact, held or moved), or None."""
        return self.fired.get(key) or self.hard.get(key) or self.soft.get(key)

    def edge_keys(self) -> Iterable[str]:
        """Every edge key something is adjusted for."""
        yield from (*self.shift, *self.soft, *self.hard, *self.fired)
        for key in self.length:
            yield key
            yield key + ":end"


def is_council_decision(step: Step) -> bool:
    """True for a step the council decides in a meeting (its plan snaps to a council day)."""
    return step.plan.snap in ("council_after", "council_before")


_SNAPS: dict[str, Callable[[dt.date], dt.date]] = {
    "none": lambda day: day,
    "working_after": cal.working_day_on_or_after,
    "working_before": cal.working_day_on_or_before,
    "council_after": cal.council_day_on_or_after,
    "council_before": cal.council_day_on_or_before,
}


def _follows(earlier: Step, edge: str, later: Step, process: str) -> bool:
    """False when ``earlier``'s ``edge`` is derived from ``later`` (so it cannot bound it)."""
    if edge == "start":
        if earlier.plan.refers_to(process, later.milestone):
            return False
        counted_back = isinstance(earlier.plan.reference, DueRef) \
            and isinstance(earlier.due, NoticeBefore) and earlier.due.later == later.milestone
        return not counted_back
    return earlier.end is None or not earlier.end.refers_to(process, later.milestone)


def _instance_slots(definition: ProcessDefinition, steps: tuple[Step, ...], year: int,
                    key: str | None, order: int) -> list[Slot]:
    """The slots of one instance; of an ``independent`` definition, one instance per step (its
    :meth:`~plancycle.processes.ProcessDefinition.parts`, named by the milestone id), so no
    step follows another."""
    if definition.independent:
        out: list[Slot] = []
        for part in definition.parts():
            if part.steps[0] in steps:
                out += _chain_slots(part, part.steps, year, key, order + len(out), separate=True)
        return out
    return _chain_slots(definition, steps, year, key, order)


def _chain_slots(definition: ProcessDefinition, steps: tuple[Step, ...], year: int,
                 key: str | None, order: int, *, separate: bool = False,
                 not_before: dt.date | None = None, subject: str = "") -> list[Slot]:
    out: list[Slot] = []
    chain: list[tuple[str, Step, str]] = []  # (edge key, step, edge) so far
    for step in steps:
        ident = MilestoneId(definition.name, step.milestone, year if definition.yearly else None,
                            key)
        full = str(ident)
        previous = tuple(k for k, s, e in reversed(chain)
                         if _follows(s, e, step, definition.name))
        out.append(Slot(ident, full, step, definition, year, order + len(out),
                        full if separate else ident.instance_name, previous,
                        not_before if not out else None, subject))
        chain.append((full, step, "start"))
        if step.kind == "phase":
            chain.append((full + ":end", step, "end"))
    return out


def term_slots(period: ElectionPeriod, model: ProcessModel, *, handlingsdel_notice: bool = True,
               county: bool = False, instances: tuple[InstanceRequest, ...] = (),
               plans: tuple[PlanRequest, ...] = ()) -> dict[str, Slot]:
    """Every step of every process instance of a term, keyed by milestone id, in process order.

    ``instances``: further instances of non-yearly processes (ids ``<process>.<key>.<step>``);
    ``plans``: the decided plans (ids ``plan.<plan>.<step>``, after every other process).
    """
    slots: dict[str, Slot] = {}

    def add(members: list[Slot]) -> None:
        for slot in members:
            slots[slot.full_id] = slot

    for definition in definitions(model, handlingsdel_notice=handlingsdel_notice, county=county):
        if definition.yearly:
            for term_year in TERM_YEARS:
                add(_instance_slots(definition, definition.steps_in_year(term_year),
                                    period.election_year + term_year, None, len(slots)))
        else:
            add(_instance_slots(definition, definition.steps_with(), period.election_year, None,
                                len(slots)))
    for request in instances:
        if not valid_instance_key(request.key):
            raise InputError(key="bad_instance_key", key_=request.key)
        extra = process_definition(request.process, model, handlingsdel_notice=handlingsdel_notice,
                                   county=county)
        if extra.yearly:
            raise InputError(key="instance_of_yearly", process=request.process)
        members = _instance_slots(extra, extra.steps_with(), period.election_year, request.key,
                                  len(slots))
        if members[0].full_id in slots:
            raise InputError(key="instance_twice", instance=members[0].instance)
        add(members)
    for plan in plans:
        if not valid_plan_key(plan.plan):
            raise InputError(key="bad_instance_key", key_=plan.plan)
        definition = plan_definition(plan.kind, model, county=county,
                                     consultation=plan.consultation)
        members = _chain_slots(definition, definition.steps_with(plan.optional),
                               period.election_year, plan.plan,
                               len(slots), not_before=plan.start, subject=plan.title)
        if members[0].full_id in slots:
            raise InputError(key="instance_twice", instance=members[0].instance)
        add(members)
    return slots


@lru_cache(maxsize=64)
def cached_slots(period: ElectionPeriod, model: ProcessModel, handlingsdel_notice: bool,
                 county: bool, instances: tuple[InstanceRequest, ...] = (),
                 plans: tuple[PlanRequest, ...] = ()) -> dict[str, Slot]:
    """:func:`term_slots`, computed once per input (treat the result as read-only)."""
    return term_slots(period, model, handlingsdel_notice=handlingsdel_notice, county=county,
                      instances=instances, plans=plans)


@dataclass
class Planner:
    """Dates the slots of a term (see the module doc). Dates are computed lazily and memoised."""

    period: ElectionPeriod
    slots: dict[str, Slot]
    rules: RuleTable = field(default_factory=rule_table)
    overrides: Overrides = field(default_factory=dict)
    council: CouncilCalendar = field(default_factory=CouncilCalendar)
    adjust: Adjustments = field(default_factory=Adjustments)
    ordered: bool = True
    memo: dict[str, Dated] = field(default_factory=dict)
    readers: dict[str, frozenset[str]] = field(default_factory=dict)
    edges: dict[str, dt.date] = field(default_factory=dict)  # edge key -> date, a fast path
    _busy: set[str] = field(default_factory=set)
    _stack: list[str] = field(default_factory=list)

    # -- set-up and re-planning ------------------------------------------------------------------
    @property
    def meetings(self) -> tuple[dt.date, ...]:
        return self.council.meetings

    def fork(self, adjust: Adjustments | None = None,
             council: CouncilCalendar | None = None) -> Planner:
        """A copy sharing nothing mutable, with its own adjustments (and meetings), keeping the
        dates that do not depend on what changed. Re-plan after it with :meth:`invalidate`."""
        same_council = council is None or council == self.council
        planner = Planner(self.period, self.slots, self.rules, self.overrides,
                          self.council if council is None else council,
                          adjust if adjust is not None else self.adjust.model_copy(deep=True),
                          self.ordered,
                          memo=dict(self.memo) if same_council else {},
                          readers=dict(self.readers) if same_council else {},
                          edges=dict(self.edges) if same_council else {})
        return planner

    def replan(self, adjust: Adjustments) -> Planner:
        """A new planner with ``adjust`` instead of this one's adjustments: every date that
        depends on an edge whose adjustment changed is re-dated, the rest is kept."""
        planner = self.fork(adjust)
        before, after = self.adjust, adjust
        changed = {k for k in (*before.edge_keys(), *after.edge_keys())
                   if _adjusted(before, k) != _adjusted(after, k)}
        for key in changed:
            planner.invalidate(key)
        return planner

    # -- rules and anchors -----------------------------------------------------------------------
    def rule(self, rule_id: str, on: dt.date) -> Rule:
        return rule_with_overrides(self.rules, rule_id, on, self.overrides)

    def anchor(self, name: str) -> Dated:
        period = self.period
        if name == "E":
            return Dated(period.election_day,
                         frozenset({"E"}) if period.election_day_provisional else frozenset())
        if name == "K":
            return Dated(period.constituted,
                         frozenset({"K"}) if period.constituted_assumed else frozenset())
        if name == "E_next":
            nxt = cal.next_election_day(period.election_year)
            return Dated(nxt.date, frozenset({"E_next"}) if nxt.provisional else frozenset())
        raise DataError(f"unknown date anchor {name!r}")

    def target(self, ref: MilestoneRef, here: Slot) -> Slot:
        """The slot a reference names: of the same instance when it is of the same process,
        of the same cycle year when yearly."""
        process = ref.process
        instance = here.milestone.instance if process == here.definition.name else None
        for year in (None, here.year):
            ident = str(MilestoneId(process, ref.step, year, instance))
            if ident in self.slots:
                return self.slots[ident]
        raise DataError(f"{here.full_id} is planned from unknown milestone {ref}")

    def resolve(self, spec: DateSpec, here: Slot) -> Dated:
        base = self._reference(spec, here)
        delta = relativedelta(years=spec.years, months=spec.months, weeks=spec.weeks,
                              days=spec.days)
        dated = Dated(_SNAPS[spec.snap](base.day + delta), base.anchors)
        if spec.not_before is not None:
            bound = self.resolve(spec.not_before, here)
            if bound.day > dated.day:
                return Dated(bound.day, dated.anchors | bound.anchors)
        return dated

    def _reference(self, spec: DateSpec, here: Slot) -> Dated:
        ref = spec.reference
        if isinstance(ref, AnchorRef):
            return self.anchor(ref.name)
        if isinstance(ref, DueRef):
            due = self.due(here)
            if due is None:
                raise DataError(f"{here.full_id} is planned from its due date but has none")
            return due
        if isinstance(ref, RuleDateRef):
            return Dated(self.rule(ref.rule, dt.date(here.year, 1, 1)).month_day(ref.param,
                                                                                here.year))
        other = self.target(ref, here)
        return self.end(other) if ref.edge == "end" else self.start(other)

    # -- memo and dependencies -------------------------------------------------------------------
    def _memo(self, key: str, compute: Callable[[], Dated]) -> Dated:
        if self._stack:
            reader = self._stack[-1]
            known = self.readers.get(key, frozenset())
            if reader not in known:
                self.readers[key] = known | {reader}
        found = self.memo.get(key)
        if found is not None:
            return found
        if key in self._busy:
            raise DataError(f"process definitions refer to each other in a circle at {key}")
        self._busy.add(key)
        self._stack.append(key)
        try:
            value = self.memo[key] = compute()
        finally:
            self._stack.pop()
            self._busy.discard(key)
        return value

    def invalidate(self, key: str) -> None:
        """Forget edge ``key``'s date and every date that was derived from it."""
        milestone, edge = split_key(key)
        todo = [f"{milestone}:{edge}"]
        if edge == "start":
            todo.append(f"{milestone}:end")  # a one-day step's end is its start
        while todo:
            memo_key = todo.pop()
            if self.memo.pop(memo_key, None) is not None:
                todo.extend(self.readers.get(memo_key, ()))
                if memo_key.endswith(":start"):
                    self.edges.pop(memo_key[:-6], None)
                elif memo_key.endswith(":end"):
                    self.edges.pop(memo_key, None)

    # -- the dates of a slot ---------------------------------------------------------------------
    def start(self, slot: Slot) -> Dated:
        """The first day of a slot (the day of a one-day step)."""
        return self._memo(slot.full_id + ":start", lambda: self._start(slot))

    def _start(self, slot: Slot) -> Dated:
        key = slot.full_id
        fixed = self.adjust.fixed(key)
        if fixed is not None:
            return Dated(fixed)
        planned = self.resolve(slot.step.plan, slot)
        if slot.not_before is not None and planned.day < slot.not_before:
            planned = Dated(_SNAPS[slot.step.plan.snap](slot.not_before), planned.anchors)
        if self.council.meetings and is_council_decision(slot.step):
            placed = self.council.place(planned.day, self.earliest(slot),
                                        due.day if (due := self.due(slot)) else None,
                                        slot.step.plan.snap)
            planned = Dated(placed.day, planned.anchors, flagged=placed.flagged)
        shift = self.adjust.shift.get(key)
        if shift:
            planned = Dated(self.snap_forward(slot.step, "start",
                                              planned.day + dt.timedelta(days=shift)),
                            planned.anchors, flagged=planned.flagged)
        if self.ordered:
            bound = self._bound(slot)
            if bound is not None and bound > planned.day:
                day = bound if slot.step.plan.snap == "none" else \
                    self.snap_forward(slot.step, "start", bound)
                planned = Dated(day, planned.anchors, flagged=planned.flagged)
        return planned

    def _bound(self, slot: Slot) -> dt.date | None:
        """The earliest day the chain allows: the edge before it, and for a decision a recorded
        notice of it plus the notice period."""
        bound: dt.date | None = None
        if slot.previous:
            bound = self.date(slot.previous[0])
        prefix = slot.instance + "."
        for step in slot.definition.steps:
            notice = step.due
            if isinstance(notice, NoticeBefore) and notice.later == slot.step.milestone:
                given = self.adjust.fired.get(prefix + step.milestone)
                if given is not None:
                    days = param_int(self.rule(notice.rule, given), notice.key)
                    lawful = given + dt.timedelta(days=days)
                    bound = lawful if bound is None else max(bound, lawful)
        return bound

    def earliest(self, slot: Slot) -> dt.date:
        """The earliest lawful day for a decision: after the previous step of its process and
        the notice periods counted back from it."""
        earliest = self.period.start
        steps = slot.definition.steps
        index = steps.index(slot.step)
        prefix = slot.instance + "."
        name = slot.definition.name
        for before in reversed(steps[:index]):
            # steps counted back from this decision (notices) do not bound it from below
            if isinstance(before.due, NoticeBefore) and before.due.later == slot.step.milestone:
                continue
            # nor do steps planned from it (held at the same meeting)
            if before.plan.refers_to(name, slot.step.milestone):
                continue
            previous = self.slots.get(prefix + before.milestone)
            if previous is not None:
                earliest = self.end(previous).day  # the same meeting may take both
                break
        for step in steps:
            notice = step.due
            if isinstance(notice, NoticeBefore) and notice.later == slot.step.milestone:
                earlier = self.slots.get(prefix + step.milestone)
                if earlier is not None and not isinstance(step.plan.reference, DueRef):
                    days = param_int(self.rule(notice.rule, earliest), notice.key)
                    earliest = max(earliest, self.start(earlier).day + dt.timedelta(days=days))
        return earliest

    def end(self, slot: Slot) -> Dated:
        """The last day of a slot (its start for a one-day step)."""
        if slot.step.kind != "phase":
            return self.start(slot)
        return self._memo(slot.full_id + ":end", lambda: self._phase_end(slot))

    def _phase_end(self, slot: Slot) -> Dated:
        key = slot.full_id + ":end"
        fixed = self.adjust.fixed(key)
        if fixed is not None:
            return Dated(fixed)
        step = slot.step
        start = self.start(slot)
        length = self.adjust.length.get(slot.full_id)
        if length is not None:
            planned = Dated(cal.working_day_on_or_after(start.day + dt.timedelta(days=length)),
                            start.anchors)
        else:
            wanted = self.resolve(step.end, slot) if step.end else start
            anchors = start.anchors | wanted.anchors
            if step.min_length is None:
                planned = Dated(max(wanted.day, start.day), anchors)
            else:
                day, minimum, padding = padded_window_end(
                    self.rules, step.min_length, start.day, wanted.day, pad=step.pad_holidays,
                    overrides=self.overrides, key=step.min_length_key)
                planned = Dated(day, anchors, minimum, padding)
        shift = self.adjust.shift.get(key)
        if shift:
            planned = Dated(self.snap_forward(step, "end", planned.day + dt.timedelta(days=shift)),
                            planned.anchors, planned.minimum, planned.padding)
        return planned

    def due(self, slot: Slot) -> Dated | None:
        """The latest day that satisfies the slot's due rule, or None."""
        spec = slot.step.due
        if spec is None:
            return None
        return self._memo(slot.full_id + ":due", lambda: self._due(spec, slot))

    def _due(self, spec: DueByRule | NoticeBefore, slot: Slot) -> Dated:
        if isinstance(spec, DueByRule):
            rule, day = due_by_rule(self.rules, spec.rule, spec.key, self.period, slot.year,
                                    self.overrides)
            anchor = rule.params.get("anchor")
            return Dated(day, self.anchor(str(anchor)).anchors if anchor in ("K", "E")
                         else frozenset())
        later = self.start(self.target(MilestoneRef(slot.definition.name, spec.later), slot))
        days = param_int(self.rule(spec.rule, later.day), spec.key)
        return Dated(later.day - dt.timedelta(days=days), later.anchors)

    # -- queries ---------------------------------------------------------------------------------
    def date(self, key: str) -> dt.date:
        """The current date of edge ``key``."""
        day = self.edges.get(key)
        if day is None:
            milestone, edge = split_key(key)
            slot = self.slots[milestone]
            day = self.edges[key] = (self.end(slot) if edge == "end" else self.start(slot)).day
        return day

    def snap_forward(self, step: Step, edge: str, day: dt.date) -> dt.date:
        """The first day on or after ``day`` the edge can happen: a council meeting (or council
        day) for a decision, a working day otherwise."""
        if edge == "start" and is_council_decision(step):
            return self.council.next_on_or_after(day)
        return cal.working_day_on_or_after(day)

    def decisions_on(self, day: dt.date) -> list[str]:
        """The council decisions currently dated ``day`` that have not happened, in order."""
        return [full for full, slot in self.slots.items()
                if is_council_decision(slot.step) and full not in self.adjust.fired
                and self.start(slot).day == day]


def _adjusted(adjust: Adjustments, key: str) -> tuple[object, ...]:
    milestone = key[:-4] if key.endswith(":end") else key
    return (adjust.fixed(key), adjust.shift.get(key), adjust.length.get(milestone))
