"""The term's dates under a scenario: the schedule's own resolver, with the scenario's adjustments.

The planned schedule dates every step from its :class:`~plancycle.processes.definition.DateSpec`
(a reference to another milestone, K, E or a rule, plus an offset). A simulation changes some of
those dates — a delay, a moved meeting, a step that happened on another day than planned — and
every date that refers to a changed one must follow. :class:`Timeline` is the schedule's resolver
with those :class:`Adjustments` applied; it records which dates each date read, so a change
re-resolves exactly its dependents (lazily) and nothing else. With no adjustments it gives the
schedule's planned dates.

Edges are named like :attr:`plancycle.ProcessInstance.dates` keys: ``"<milestone id>"`` for the
step (a phase's opening) and ``"<milestone id>:end"`` for a phase's closing.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel

from plancycle import calendar_no as cal
from plancycle.machine import transitions_of
from plancycle.models import ElectionPeriod
from plancycle.processes import ProcessDefinition, ProcessModel
from plancycle.processes.definition import NoticeBefore, Step
from plancycle.rules import rule_table
from plancycle.schedule import Dated, ScheduleOptions, _Resolver, _Slot, _slots, is_council_decision


class Adjustments(BaseModel):
    """What a scenario changed in the plan, per edge (see the module doc for edge names).

    ``shift``: days late (delays); ``length``: a phase's length in days (variation);
    ``soft``: a new planned day that still waits for the step before it (a moved decision);
    ``hard``: a day on which it happens regardless, closing any open step before it (a raw
    trigger, a publication ``days_before`` a meeting held as planned); ``fired``: the day it
    happened; ``cancelled``: cancelled council meetings.
    """

    shift: dict[str, int] = {}
    length: dict[str, int] = {}
    soft: dict[str, dt.date] = {}
    hard: dict[str, dt.date] = {}
    fired: dict[str, dt.date] = {}
    cancelled: list[dt.date] = []


def edge_key(milestone_id: str, edge: str) -> str:
    """``"samfunnsdel.adopted"`` or ``"samfunnsdel.public_consultation:end"``."""
    return milestone_id if edge == "start" else f"{milestone_id}:end"


def split_key(key: str) -> tuple[str, str]:
    """The milestone id and the edge (``start``/``end``) of an edge key."""
    milestone, _, end = key.partition(":")
    return milestone, "end" if end else "start"


@dataclass
class Timeline(_Resolver):
    """The schedule's resolver with :class:`Adjustments`; dates re-resolve when they change."""

    adjust: Adjustments = field(default_factory=Adjustments)
    readers: dict[str, frozenset[str]] = field(default_factory=dict)
    edges: dict[str, dt.date] = field(default_factory=dict)  # edge key -> date, a fast path
    _stack: list[str] = field(default_factory=list)

    # -- recording who reads what ----------------------------------------------------------------
    def _memo(self, key: str, compute: Callable[[], Dated]) -> Dated:
        if self._stack:
            reader = self._stack[-1]
            known = self.readers.get(key, frozenset())
            if reader not in known:
                self.readers[key] = known | {reader}
        if key in self.memo:
            return self.memo[key]
        self._stack.append(key)
        try:
            return super()._memo(key, compute)
        finally:
            self._stack.pop()

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

    def fork(self, adjust: Adjustments) -> Timeline:
        """A copy sharing nothing mutable, for one run with its own adjustments."""
        return Timeline(self.period, self.rules, self.overrides, self.slots, memo=dict(self.memo),
                        meetings=self.meetings, adjust=adjust, readers=dict(self.readers),
                        edges=dict(self.edges))

    # -- dates with adjustments ------------------------------------------------------------------
    def _fixed(self, key: str) -> dt.date | None:
        adjust = self.adjust
        return adjust.fired.get(key) or adjust.hard.get(key) or adjust.soft.get(key)

    def _start(self, slot: _Slot) -> Dated:
        key = slot.full_id
        fixed = self._fixed(key)
        if fixed is not None:
            return Dated(fixed)
        planned = super()._start(slot)
        shift = self.adjust.shift.get(key)
        if shift:
            return Dated(self.snap_forward(slot.step, "start",
                                           planned.day + dt.timedelta(days=shift)), planned.anchors)
        return planned

    def _phase_end(self, slot: _Slot) -> Dated:
        key = slot.full_id + ":end"
        fixed = self._fixed(key)
        if fixed is not None:
            return Dated(fixed)
        length = self.adjust.length.get(slot.full_id)
        if length is not None:
            start = self.start(slot)
            planned = Dated(cal.working_day_on_or_after(start.day + dt.timedelta(days=length)),
                            start.anchors)
        else:
            planned = super()._phase_end(slot)
        shift = self.adjust.shift.get(key)
        if shift:
            return Dated(self.snap_forward(slot.step, "end",
                                           planned.day + dt.timedelta(days=shift)), planned.anchors)
        return planned

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
            if self.meetings:
                index = bisect_left(self.meetings, day)
                if index < len(self.meetings):
                    return self.meetings[index]
            return cal.council_day_on_or_after(day)
        return cal.working_day_on_or_after(day)

    def decisions_on(self, day: dt.date) -> list[str]:
        """The council decisions currently dated ``day`` that have not happened, in order."""
        return [full for full, slot in self.slots.items()
                if is_council_decision(slot.step) and full not in self.adjust.fired
                and self.start(slot).day == day]


@dataclass(frozen=True)
class ChainEdge:
    """One transition of a running instance: its edge key, trigger, step and edge."""

    key: str
    trigger: str
    step: Step
    edge: str
    source: str
    order: int


@dataclass(frozen=True)
class InstanceSpec:
    """One process instance of a run: name, definition, cycle year and its chain of edges."""

    name: str
    definition: ProcessDefinition
    year: int
    chain: tuple[ChainEdge, ...]
    position: dict[str, int]  # machine state -> index of the next edge in the chain
    extra_triggers: frozenset[str]
    notices: dict[str, str]  # publication edge key -> edge key of the decision it gives notice of


@dataclass(frozen=True)
class Context:
    """Everything a run needs that depends only on (period, model, options), computed once."""

    period: ElectionPeriod
    model: ProcessModel
    options: ScheduleOptions
    base: Timeline
    instances: tuple[InstanceSpec, ...]

    def instance(self, name: str) -> InstanceSpec:
        for spec in self.instances:
            if spec.name == name:
                return spec
        raise KeyError(name)


def _instances(slots: dict[str, _Slot]) -> tuple[InstanceSpec, ...]:
    grouped: dict[str, list[_Slot]] = {}
    for slot in slots.values():
        name = (f"{slot.definition.name}.{slot.year}" if slot.definition.yearly
                else slot.definition.name)
        grouped.setdefault(name, []).append(slot)
    out = []
    for name, members in grouped.items():
        definition = members[0].definition
        steps = tuple(s.step for s in members)
        edges = transitions_of(definition, steps)
        chain: list[ChainEdge] = []
        for slot in members:
            step = slot.step
            chain.append(ChainEdge(slot.full_id, step.trigger, step, "start", "", slot.order * 2))
            if step.end_trigger:
                chain.append(ChainEdge(slot.full_id + ":end", step.end_trigger, step, "end", "",
                                       slot.order * 2 + 1))
        sources = {e["trigger"]: e["source"] for e in edges}
        chain = [ChainEdge(c.key, c.trigger, c.step, c.edge, sources[c.trigger], c.order)
                 for c in chain]
        prefix = name + "."
        notices = {prefix + s.milestone: prefix + s.due.later for s in steps
                   if isinstance(s.due, NoticeBefore)}
        extra = frozenset(x.trigger for x in definition.extra)
        out.append(InstanceSpec(name, definition, members[0].year, tuple(chain),
                                {c.source: i for i, c in enumerate(chain)}, extra, notices))
    return tuple(out)


@lru_cache(maxsize=64)
def _context(period: ElectionPeriod, model: ProcessModel, options_json: str) -> Context:
    options = ScheduleOptions.model_validate_json(options_json)
    slots = _slots(period, model, options, False)
    base = Timeline(period, rule_table(), options.practice, slots,
                    meetings=tuple(sorted(set(options.council_meetings))))
    for slot in slots.values():
        base.start(slot)
        base.end(slot)
        base.due(slot)
    instances = _instances(slots)
    for spec in instances:
        for edge in spec.chain:
            base.date(edge.key)
    return Context(period, model, options, base, instances)


def context(period: ElectionPeriod, model: ProcessModel, options: ScheduleOptions) -> Context:
    """The (cached) run context of a term, model and options."""
    return _context(period, model, options.model_dump_json())
