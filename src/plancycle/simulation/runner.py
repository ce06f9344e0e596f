"""One run of a scenario on a simulated clock: the process machines driven through the term.

A :class:`Run` owns one :class:`~plancycle.ProcessInstance` per process (and per yearly cycle), all
in ``record`` mode, and a :class:`~.timeline.Timeline` of the dates still to come. The clock moves
from one thing that happens to the next — equivalent to a day-by-day loop, since nothing happens on
the days in between:

1. an event dated today is applied first (it changes the timeline; dependents move with it);
2. then the next transition of each process fires on its date. A transition cannot happen before
   the one it follows: if its date has passed while it waited, it happens as soon as it can (the
   next working day, or the next council meeting for a decision). A transition held on a fixed
   day (a raw trigger, a meeting held as planned) happens then regardless, closing any open step
   before it on the same day;
3. a transition that happened on another day than planned becomes a fact of the timeline, and
   everything planned from it moves.

The machines record every rule broken on the way. Nothing reads a real clock.
"""

from __future__ import annotations

import datetime as dt
import reprlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from plancycle.errors import DataError, InputError, PlanCycleError, wrong_type
from plancycle.ids import MilestoneId, split_key
from plancycle.machine import InstanceState, ProcessInstance
from plancycle.messages import Message, msg
from plancycle.municipalities import Municipality, find_municipality
from plancycle.processes import ProcessModel
from plancycle.simulation.events import Constituted, Event, Fire
from plancycle.simulation.handlers import apply_event, fires
from plancycle.simulation.scenario import Scenario, ScenarioError, check_scenario
from plancycle.simulation.state import PendingEvent, RunState
from plancycle.simulation.timeline import (
    Adjustments,
    ChainEdge,
    Context,
    InstanceSpec,
    Timeline,
    edge_key,
)
from plancycle.simulation.variation import generator, run_seed

_YEARLY = "action_economy_plan"


class UnknownInstanceError(InputError, KeyError):
    """A run has no process instance of that name (:meth:`Run.instance`). A ``KeyError`` too, as
    the lookup raised before; ``str()`` is the one-line message without quotes."""

    def __str__(self) -> str:
        return BaseException.__str__(self)




def _check_arguments(scenario: object, municipality: object, run: object) -> None:
    """:class:`~plancycle.errors.InputError` for arguments of :class:`Run` of the wrong type."""
    if not isinstance(scenario, Scenario):
        raise wrong_type("Run", "scenario", "Scenario", scenario)
    if municipality is not None and not isinstance(municipality, Municipality):
        raise wrong_type("Run", "municipality", "Municipality or None (find_municipality)",
                          municipality)
    if not isinstance(run, int) or isinstance(run, bool):
        raise wrong_type("Run", "run", "int", run)
    if run < 0:
        raise InputError(key="run_number", given=run)


@dataclass(frozen=True)
class Pending:
    """An event not yet applied: its index in the scenario, the day it applies and the event."""

    index: int
    day: dt.date
    event: Event


class _Candidate(NamedTuple):
    """The next transition of an instance; ordered by (day, order), and order is unique."""

    day: dt.date
    order: int
    instance: int
    edge: ChainEdge
    planned: dt.date


@dataclass(frozen=True)
class Drawn:
    """What a run's random draws decided: delays and phase lengths, and the draws by name."""

    adjustments: Adjustments
    draws: dict[str, int]


def draw_variation(scenario: Scenario, milestones: frozenset[str], seed: str) -> Drawn:
    """Draw every varied quantity of ``scenario`` from ``seed``, in file order, the same number
    of draws in every model (a milestone a model lacks still takes its draw): a pure function."""
    rng = generator(seed)
    year = scenario.election_year
    adjust = Adjustments()
    draws: dict[str, int] = {}
    for phase in scenario.variation.phases:
        ident = MilestoneId.parse(phase.milestone)
        yearly = ident.process == _YEARLY and ident.year is None
        targets = ([str(replace(ident, year=year + i)) for i in range(5)] if yearly
                   else [phase.milestone])
        for target in targets:
            value = phase.draw(rng)
            if target not in milestones:
                continue
            if phase.kind == "length":
                adjust.length[target] = value
                draws[f"{target}:length"] = value
            else:
                key = edge_key(target, phase.edge)
                adjust.shift[key] = adjust.shift.get(key, 0) + value
                draws[f"{key}:delay"] = value
    return Drawn(adjust, draws)


class Run:
    """One scenario run for one municipality (or none) and one model.

    ``Run(scenario)`` checks the scenario and prepares the run; :meth:`advance` moves the clock
    (to a day, or to the end of the term); :meth:`finish` runs to the end and returns the report.
    """

    def __init__(self, scenario: Scenario, *, model: ProcessModel | None = None,
                 municipality: Municipality | None = None, run: int = 0, checked: bool = False,
                 reuse: Sequence[ProcessInstance] | None = None,
                 context: Context | None = None) -> None:
        _check_arguments(scenario, municipality, run)
        model = model or scenario.model
        if not checked:
            check_scenario(scenario, (model,))
        self.scenario = scenario
        self.model: ProcessModel = model
        self.municipality = municipality
        self.run = run
        self.ctx: Context = context or scenario.context(model)
        self.adjust = Adjustments()
        self.notes: list[Message | str] = []
        self.draws: dict[str, int] = {}
        self.seed: str | None = None
        if scenario.variation.phases:
            self.seed = run_seed(scenario.variation.seed,
                                 municipality.number if municipality else None, run)
            drawn = draw_variation(scenario, frozenset(self.ctx.base.slots), self.seed)
            self.adjust = drawn.adjustments
            self.draws = drawn.draws
        self.timeline = self._timeline()
        self.instances = self._instances(reuse)
        self.clock: dt.date | None = None
        first = scenario.first_day
        pending = [Pending(i, self._known_from(event) or first, event)
                   for i, event in enumerate(scenario.events) if not isinstance(event, Constituted)]
        self.pending: list[Pending] = sorted(pending, key=lambda p: (p.day, p.index))

    # -- set-up ------------------------------------------------------------------------------------
    def _known_from(self, event: Event) -> dt.date | None:
        """The day an event is applied. A ``fire`` of a step of the chain is a (hypothetical)
        fact: it is known from the start, so the step waits for its day whether that is before
        or after the planned one; other events apply on their date."""
        if isinstance(event, Fire) and any(
                fires(spec, event) and any(e.trigger == event.trigger for e in spec.chain)
                for spec in self.ctx.instances):
            return None
        return event.when

    def _timeline(self) -> Timeline:
        adjust = self.adjust
        base = self.ctx.base
        timeline = base.fork(adjust, base.council.without(adjust.cancelled))
        for key in adjust.edge_keys():
            timeline.invalidate(key)
        return timeline

    def rebuild_timeline(self) -> None:
        """Re-derive the timeline from the base plan and :attr:`adjust` (after restoring)."""
        self.timeline = self._timeline()

    def _instances(self, reuse: Sequence[ProcessInstance] | None) -> list[ProcessInstance]:
        ctx = self.ctx
        out = []
        for i, spec in enumerate(ctx.instances):
            if reuse is not None and i < len(reuse) and reuse[i].definition is spec.definition \
                    and reuse[i].year == spec.year and reuse[i].period == ctx.period:
                instance = reuse[i]
                instance.load_state(InstanceState(process=spec.definition.name,
                                                  model=spec.definition.model, year=spec.year,
                                                  mode="record", state=spec.definition.initial))
            else:
                instance = ProcessInstance(spec.definition, ctx.period, year=spec.year,
                                           mode="record", overrides=ctx.options.practice)
            out.append(instance)
        return out

    # -- the clock ---------------------------------------------------------------------------------
    @property
    def period_end(self) -> dt.date:
        return self.ctx.period.end

    def advance(self, until: dt.date | None = None) -> None:
        """Apply events and fire transitions up to and including ``until`` (default: the end of
        the term, 31 October of Y+4). A day after the term is taken as its end, a day before the
        term is refused (:class:`~plancycle.errors.InputError`), so the clock never leaves the
        term; a day before the clock changes nothing."""
        if until is not None:
            if not isinstance(until, dt.date) or isinstance(until, dt.datetime):
                raise wrong_type("Run.advance", "until", "datetime.date or None", until)
            period = self.ctx.period
            if until < period.start:
                raise InputError(key="run_before_term", date=until.isoformat(),
                                 first=period.start.isoformat(), last=period.end.isoformat())
        stop = self.period_end if until is None else min(until, self.period_end)
        candidates = [self._candidate(i) for i in range(len(self.instances))]
        while True:
            best = min(filter(None, candidates), default=None)
            if self.pending and self.pending[0].day <= stop and (
                    best is None or self.pending[0].day <= best.day):
                pending = self.pending.pop(0)
                self.clock = max(self.clock or pending.day, pending.day)
                self._apply(pending)
                candidates = [self._candidate(i) for i in range(len(self.instances))]
                continue
            if best is None or best.day > stop:
                break
            moved = self._fire(best)
            self.clock = best.day
            if moved:
                candidates = [self._candidate(i) for i in range(len(self.instances))]
            else:
                candidates[best.instance] = self._candidate(best.instance)
        if self.clock is None or self.clock < stop:
            self.clock = stop

    @property
    def finished(self) -> bool:
        """True when the clock has reached the end of the term."""
        return self.clock is not None and self.clock >= self.period_end

    def _candidate(self, index: int) -> _Candidate | None:
        """The next transition of instance ``index`` and the day it happens."""
        instance = self.instances[index]
        spec = self.ctx.instances[index]
        position = spec.position.get(instance.state)
        if position is None:
            return None
        edge = spec.chain[position]
        floor = instance.history[-1].date if instance.history else None
        if self.clock is not None and (floor is None or self.clock > floor):
            floor = self.clock
        day = planned = self.timeline.date(edge.key)
        if floor is not None and day < floor:
            day = self.timeline.snap_forward(edge.step, edge.edge, floor)
        hard = self.adjust.hard
        if hard:
            for later in spec.chain[position:]:
                held = hard.get(later.key)
                if held is None or later.key in self.adjust.fired or held >= day:
                    continue
                if floor is not None and held < floor:
                    raise ScenarioError("events", InputError(
                        key="scenario_hard_date_passed", milestone=later.key,
                        held=held.isoformat(), process=instance.name, floor=floor.isoformat()))
                day = held
        return _Candidate(day, edge.order, index, edge, planned)

    def _fire(self, candidate: _Candidate) -> bool:
        """Fire a transition; True when it happened on another day than the timeline said."""
        instance = self.instances[candidate.instance]
        edge, day = candidate.edge, candidate.day
        instance.fire(edge.trigger, day)
        self.adjust.fired[edge.key] = day
        if candidate.planned != day:
            self.timeline.invalidate(edge.key)
            return True
        return False

    # -- events ------------------------------------------------------------------------------------
    def _apply(self, pending: Pending) -> None:
        event, field = pending.event, f"events[{pending.index}]"
        try:
            apply_event(event, field, self, pending.day)
        except ScenarioError:
            raise
        except PlanCycleError as exc:
            raise ScenarioError(field, InputError(key="scenario_event_failed",
                                                  event=event.describe(), problem=exc)) from None

    # -- what event handlers use (plancycle.simulation.handlers) -----------------------------------
    def skip(self, field: str, event: Event, what: str) -> None:
        """Note that ``event`` was skipped because ``what`` does not exist in this model."""
        self.notes.append(msg("scn_note_skipped", field=field, event=event.describe(), what=what,
                              model=self.model))

    def check_open(self, key: str, field: str, event: Event) -> None:
        """Refuse ``event`` when edge ``key`` already happened."""
        if key in self.adjust.fired:
            raise ScenarioError(field, InputError(
                key="scenario_already_happened", event=event.describe(), milestone=key,
                date=self.adjust.fired[key].isoformat()))

    def when(self, key: str) -> dt.date:
        """The day edge ``key`` will happen as things stand (no earlier than the clock)."""
        day = self.timeline.date(key)
        if self.clock is not None and day < self.clock:
            milestone, edge = split_key(key)
            day = self.timeline.snap_forward(self.timeline.slots[milestone].step, edge, self.clock)
        return day

    def reenter(self, spec: InstanceSpec, instance: ProcessInstance, day: dt.date) -> None:
        """After an extra transition back into the chain (e.g. a new hearing): the step it entered
        happened again on ``day`` and everything after it is open again."""
        position = spec.position.get(instance.state, len(spec.chain))
        if position > 0:
            entered = spec.chain[position - 1].key
            self.adjust.fired[entered] = day
            self.timeline.invalidate(entered)
        for edge in spec.chain[position:]:
            if self.adjust.fired.pop(edge.key, None) is not None:
                self.timeline.invalidate(edge.key)

    # -- saving and restoring ----------------------------------------------------------------------
    def state(self) -> RunState:
        """Everything this run needs to continue, as data (saved by :mod:`.persistence`)."""
        return RunState(
            scenario=self.scenario,
            municipality=self.municipality.number if self.municipality else None,
            model=self.model, run=self.run, seed=self.seed, draws=dict(self.draws),
            clock=self.clock, adjustments=self.adjust.model_copy(deep=True),
            instances=tuple(instance.snapshot() for instance in self.instances),
            pending_events=tuple(PendingEvent(index=p.index, day=p.day, event=p.event)
                                 for p in self.pending),
            notes=tuple(self.notes))

    @classmethod
    def from_state(cls, state: RunState) -> Run:
        """A run in ``state``; advancing it gives what the original run would have given.

        Raises :class:`~plancycle.errors.DataError` when the state does not fit its scenario.
        """
        try:
            municipality = (find_municipality(state.municipality, state.scenario.election_year)
                            if state.municipality else None)
            run = cls(state.scenario, model=state.model, municipality=municipality, run=state.run)
        except PlanCycleError as exc:
            raise DataError(key="saved_run_not_restored", problem=exc) from None
        names = [spec.name for spec in run.ctx.instances]
        # a duty of an independent process runs alone but its machine is named by the process
        expected = [(spec.definition.name, spec.year) for spec in run.ctx.instances]
        got = [(i.process, i.year) for i in state.instances]
        saved = [f"{i.process}.{i.year}" if i.process == _YEARLY else i.process
                 for i in state.instances]
        # a run saved before a process existed (governance, issue 12) gets it as planned
        older = {process for process, _ in got}
        if [key for key in expected if key[0] in older] != got:
            raise DataError(key="saved_run_instances", saved=", ".join(saved), model=state.model,
                            names=", ".join(names))
        fresh = [i for i, key in enumerate(expected) if key[0] not in older]
        loaded = (i for i, key in enumerate(expected) if key[0] in older)
        for index, instance_state in zip(loaded, state.instances, strict=True):
            run.instances[index].load_state(instance_state)
        run.seed, run.draws = state.seed, dict(state.draws)
        run.adjust = state.adjustments.model_copy(deep=True)
        run.timeline = run._timeline()
        run.clock = state.clock
        for index in fresh:
            run.catch_up(index)
        run.pending = [Pending(p.index, p.day, p.event) for p in state.pending_events]
        run.notes = list(state.notes)
        return run

    def catch_up(self, index: int) -> None:
        """Fire instance ``index``'s transitions dated up to the clock, on their dates (a
        process a saved run did not have yet: it went as planned)."""
        spec, instance = self.ctx.instances[index], self.instances[index]
        for edge in spec.chain:
            day = self.timeline.date(edge.key)
            if self.clock is None or day > self.clock:
                break
            instance.fire(edge.trigger, day)
            self.adjust.fired[edge.key] = day

    # -- results -----------------------------------------------------------------------------------
    def instance(self, name: str) -> ProcessInstance:
        """The running instance called ``name`` (``planstrategi``, ``action_economy_plan.2028``);
        :class:`UnknownInstanceError` (an :class:`~plancycle.errors.InputError` and a
        ``KeyError``) naming the instances there are."""
        if not isinstance(name, str):
            raise wrong_type("Run.instance", "name", "str", name)
        for spec, instance in zip(self.ctx.instances, self.instances, strict=True):
            if spec.name == name:  # ``governance.audit_plan``: one duty of an independent process
                return instance
        for instance in self.instances:
            if instance.name == name:
                return instance
        raise UnknownInstanceError(key="run_unknown_instance", name=reprlib.repr(name),
                                   allowed=", ".join(s.name for s in self.ctx.instances))

    def planned(self, key: str) -> dt.date | None:
        """The schedule's planned date of edge ``key`` (no events, no variation)."""
        milestone = split_key(key)[0]
        if milestone not in self.ctx.base.slots:
            return None
        return self.ctx.base.date(key)
