"""The term's dates under a scenario: the public planning engine with the scenario's adjustments.

The planned schedule dates every step from its :class:`~plancycle.processes.declaration.DateSpec`.
A simulation changes some of those dates — a delay, a moved meeting, a step that happened on
another day than planned — and every date that refers to a changed one must follow. A run's
timeline is a :class:`~plancycle.planning.Planner` with those
:class:`~plancycle.planning.Adjustments`; it records which dates each date read, so a change
re-resolves exactly its dependents (lazily) and nothing else. With no adjustments it gives the
schedule's planned dates.

Edges are named like :attr:`plancycle.ProcessInstance.dates` keys: ``"<milestone id>"`` for the
step (a phase's opening) and ``"<milestone id>:end"`` for a phase's closing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from plancycle.models import ElectionPeriod
from plancycle.planning import Adjustments, Planner, Slot, edge_key, split_key
from plancycle.processes import ProcessDefinition, ProcessModel
from plancycle.processes.declaration import NoticeBefore, Step
from plancycle.schedule import ScheduleOptions, planner_for

#: A run's timeline is the planning engine itself.
Timeline = Planner

__all__ = ["Adjustments", "ChainEdge", "Context", "InstanceSpec", "Timeline", "context",
           "edge_key", "split_key"]


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


def _instances(slots: dict[str, Slot]) -> tuple[InstanceSpec, ...]:
    grouped: dict[str, list[Slot]] = {}
    for slot in slots.values():
        grouped.setdefault(slot.instance, []).append(slot)
    out = []
    for name, members in grouped.items():
        definition = members[0].definition
        steps = tuple(s.step for s in members)
        chain: list[ChainEdge] = []
        for slot in members:
            step = slot.step
            chain.append(ChainEdge(slot.full_id, step.trigger, step, "start", "", slot.order * 2))
            if step.end_trigger:
                chain.append(ChainEdge(slot.full_id + ":end", step.end_trigger, step, "end", "",
                                       slot.order * 2 + 1))
        sources = {link.trigger: link.source for link in definition.chain(steps)}
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
    base = planner_for(period, model, options)
    base.ordered = False  # the runner keeps the chain's order itself, on its clock
    slots = base.slots
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
