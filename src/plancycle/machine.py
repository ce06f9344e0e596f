"""The adapter between process definitions and ``transitions``: one machine per process instance.

This is the only module that imports ``transitions``. A :class:`ProcessInstance` is a small plain
object that carries the state; pydantic models stay pure data (``Violation``, ``HistoryEntry``,
``InstanceState``). Every trigger takes the date it happened. In ``strict`` mode a trigger that
would break a statutory rule is refused with :class:`~plancycle.errors.RuleViolation`; in
``record`` mode it happens and the violation is recorded. Breaches of recommended and practice
rules are recorded in both modes: they are advice, not law.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from transitions import Machine

from plancycle.deadlines import Overrides, consultation_minimum, due_by_rule, param_int
from plancycle.errors import DataError, InputError, InvalidTransitionError, RuleViolation
from plancycle.models import ElectionPeriod
from plancycle.processes.definition import DueByRule, NoticeBefore, ProcessDefinition, Step
from plancycle.rules import Binding, Confidence, Rule, RuleTable, rule_table

Mode = Literal["strict", "record"]
Edge = Literal["at", "open", "close", "extra"]


class HistoryEntry(BaseModel):
    """One transition that happened: the trigger, the state it led to and its date."""

    model_config = ConfigDict(frozen=True)

    trigger: str
    state: str
    date: dt.date


class Violation(BaseModel):
    """A rule broken by what happened: which rule, which milestone, the dates and the fix."""

    model_config = ConfigDict(frozen=True)

    rule: str
    milestone: str
    trigger: str
    date: dt.date
    limit: dt.date
    days_late: int
    binding: Binding
    confidence: Confidence
    section: str
    url: str | None
    message: str
    fix: str


class InstanceState(BaseModel):
    """Everything about a :class:`ProcessInstance` that changes as it runs, as pure data.

    ``snapshot()`` gives it and ``restore()``/``load_state()`` take it back, so a running process
    can be saved (e.g. as JSON) and continued later exactly where it stopped.
    """

    model_config = ConfigDict(frozen=True)

    process: str
    model: str
    year: int
    mode: Mode
    state: str
    history: tuple[HistoryEntry, ...] = ()
    violations: tuple[Violation, ...] = ()
    dates: dict[str, dt.date] = {}


@dataclass(frozen=True)
class _Action:
    step: Step | None
    edge: Edge
    rule: str | None = None


def transitions_of(definition: ProcessDefinition, steps: tuple[Step, ...], *,
                   all_extras: bool = False) -> list[dict[str, str]]:
    """The transitions of a definition restricted to ``steps``: one chain in step order plus the
    definition's extra transitions between states of that chain (``all_extras``: every one)."""
    out: list[dict[str, str]] = []
    state = definition.initial
    for step in steps:
        out.append({"trigger": step.trigger, "source": state, "dest": step.state})
        state = step.state
        if step.kind == "phase":
            assert step.end_trigger is not None and step.state_after is not None
            out.append({"trigger": step.end_trigger, "source": state, "dest": step.state_after})
            state = step.state_after
    states = {t["source"] for t in out} | {t["dest"] for t in out}
    out.extend({"trigger": x.trigger, "source": x.source, "dest": x.dest}
               for x in definition.extra if all_extras or (x.source in states and x.dest in states))
    return out


def graph_problems(definition: ProcessDefinition, steps: tuple[Step, ...] | None = None,
                   ) -> list[str]:
    """Unreachable and trap states of a definition's machine (empty when the graph is sound).

    A trap state is a state other than the final one from which the final state cannot be
    reached; the final state is the last step's state.
    """
    steps = definition.steps if steps is None else steps
    edges = transitions_of(definition, steps, all_extras=True)
    states = {definition.initial} | {t["source"] for t in edges} | {t["dest"] for t in edges}
    last = steps[-1]
    final = last.state_after or last.state
    forward: dict[str, set[str]] = {s: set() for s in states}
    backward: dict[str, set[str]] = {s: set() for s in states}
    for t in edges:
        forward[t["source"]].add(t["dest"])
        backward[t["dest"]].add(t["source"])
    reachable = _closure(definition.initial, forward)
    can_finish = _closure(final, backward)
    problems = [f"{definition.name}: state {s!r} is unreachable" for s in sorted(states - reachable)]
    problems += [f"{definition.name}: state {s!r} is a trap (cannot reach {final!r})"
                 for s in sorted(states - can_finish)]
    problems += [f"{definition.name}: final state {final!r} has an outgoing transition"
                 for _ in forward[final]]
    return problems


def _closure(start: str, graph: dict[str, set[str]]) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        for nxt in graph[todo.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


class ProcessInstance:
    """One running process (e.g. the planstrategi of one municipality, or one yearly cycle).

    Fire triggers with :meth:`fire` (``instance.fire("adopt", date(2028, 9, 14))``). ``state``,
    ``history``, ``violations`` and ``dates`` (the day each milestone edge happened) are public.
    """

    state: str

    def __init__(self, definition: ProcessDefinition, period: ElectionPeriod, *,
                 year: int | None = None, mode: Mode = "strict",
                 overrides: Overrides | None = None, rules: RuleTable | None = None) -> None:
        if mode not in ("strict", "record"):
            raise InputError(f"unknown mode {mode!r}: use strict or record")
        self.definition = definition
        self.period = period
        self.year = year if year is not None else period.election_year
        self.mode: Mode = mode
        self.overrides = overrides
        self.rules = rules or rule_table()
        self.steps = (definition.steps_in_year(self.year - period.election_year)
                      if definition.yearly else definition.steps)
        self.history: list[HistoryEntry] = []
        self.violations: list[Violation] = []
        self.dates: dict[str, dt.date] = {}
        self._actions: dict[str, _Action] = {}
        for step in self.steps:
            self._actions[step.trigger] = _Action(step, "at" if step.kind != "phase" else "open")
            if step.end_trigger:
                self._actions[step.end_trigger] = _Action(step, "close")
        reopened = {step.state: step for step in self.steps if step.kind == "phase"}
        for extra in definition.extra:
            # an extra transition back into a phase (a second hearing) opens that phase again
            self._actions.setdefault(
                extra.trigger, _Action(reopened.get(extra.dest), "open" if extra.dest in
                                       reopened else "extra", extra.rule))
        edges = transitions_of(definition, self.steps)
        states = list(dict.fromkeys([definition.initial, *(t["dest"] for t in edges)]))
        self._triggers: dict[str, list[str]] = {state: [] for state in states}
        for edge in edges:
            self._triggers[edge["source"]].append(edge["trigger"])
        self._dues: dict[tuple[str, str], tuple[Rule, dt.date]] = {}
        self._machine = Machine(model=self, states=states, transitions=edges,
                                initial=definition.initial, auto_transitions=False,
                                model_attribute="state")

    # -- introspection -------------------------------------------------------------------------
    @cached_property
    def name(self) -> str:
        """The instance's name: the process, with the year for a yearly cycle."""
        base = self.definition.name
        return f"{base}.{self.year}" if self.definition.yearly else base

    @property
    def final_state(self) -> str:
        last = self.steps[-1]
        return last.state_after or last.state

    @property
    def is_finished(self) -> bool:
        return self.state == self.final_state

    def allowed_triggers(self) -> list[str]:
        """The triggers the definition allows from the current state, in declaration order."""
        return list(self._triggers[self.state])

    def milestone_id(self, step: Step) -> str:
        return f"{self.name}.{step.milestone}"

    # -- firing --------------------------------------------------------------------------------
    def check(self, trigger: str, day: dt.date) -> list[Violation]:
        """The violations firing ``trigger`` on ``day`` would cause (nothing is changed)."""
        action = self._actions.get(trigger)
        if action is None or trigger not in self._triggers[self.state]:
            allowed = ", ".join(self.allowed_triggers()) or "none (the process is finished)"
            raise InvalidTransitionError(
                f"{self.name}: {trigger!r} is not possible in state {self.state!r}; "
                f"allowed: {allowed}"
            )
        if self.history and day < self.history[-1].date:
            raise InputError(
                f"{self.name}: {trigger} dated {day.isoformat()} is before the last transition "
                f"({self.history[-1].trigger} on {self.history[-1].date.isoformat()}); "
                "fire triggers in date order"
            )
        if action.step is None:
            return []
        return self._violations(action.step, action.edge, trigger, day)

    def fire(self, trigger: str, day: dt.date) -> list[Violation]:
        """Fire ``trigger`` dated ``day``; returns the violations recorded by this transition.

        Raises :class:`RuleViolation` in strict mode when a statutory rule would be broken (the
        state is then unchanged), and :class:`InvalidTransitionError` for a trigger the
        definition does not allow from the current state.
        """
        found = self.check(trigger, day)
        statutory = [v for v in found if v.binding == "statutory"]
        if self.mode == "strict" and statutory:
            raise RuleViolation(statutory[0].message + " " + statutory[0].fix, statutory[0])
        machine_trigger: Any = getattr(self, "trigger")  # noqa: B009 - injected by transitions
        machine_trigger(trigger)
        action = self._actions[trigger]
        if action.step is not None:
            suffix = ":end" if action.edge == "close" else ""
            self.dates[self.milestone_id(action.step) + suffix] = day
        # built from values checked above: no need to validate again (this is the hot path)
        self.history.append(HistoryEntry.model_construct(trigger=trigger, state=self.state,
                                                         date=day))
        self.violations.extend(found)
        return found

    # -- saving and restoring ------------------------------------------------------------------
    def snapshot(self) -> InstanceState:
        """The instance's current state, history, violations and dates as pure data."""
        return InstanceState(process=self.definition.name, model=self.definition.model,
                             year=self.year, mode=self.mode, state=self.state,
                             history=tuple(self.history), violations=tuple(self.violations),
                             dates=dict(self.dates))

    def load_state(self, state: InstanceState) -> None:
        """Put this instance into ``state`` (from :meth:`snapshot`); the machine is reused.

        Raises :class:`~plancycle.errors.DataError` when the state belongs to another process,
        model or year, or names a state the definition does not have.
        """
        if (state.process, state.model, state.year) != (self.definition.name,
                                                         self.definition.model, self.year):
            raise DataError(
                f"saved state of {state.process} ({state.model}, {state.year}) cannot be loaded "
                f"into {self.name} ({self.definition.model}): process, model and year must match")
        machine: Any = self._machine
        if state.state not in machine.states:
            raise DataError(f"saved state of {self.name}: unknown state {state.state!r}; "
                            f"allowed: {', '.join(machine.states)}")
        if state.mode not in ("strict", "record"):
            raise DataError(f"saved state of {self.name}: unknown mode {state.mode!r}")
        machine.set_state(state.state, model=self)
        self.mode = state.mode
        self.history = list(state.history)
        self.violations = list(state.violations)
        self.dates = dict(state.dates)

    @classmethod
    def restore(cls, definition: ProcessDefinition, period: ElectionPeriod, state: InstanceState,
                *, overrides: Overrides | None = None,
                rules: RuleTable | None = None) -> ProcessInstance:
        """A new instance of ``definition`` in the saved ``state``; it continues identically."""
        instance = cls(definition, period, year=state.year, mode=state.mode,
                       overrides=overrides, rules=rules)
        instance.load_state(state)
        return instance

    # -- rules ---------------------------------------------------------------------------------
    def _violations(self, step: Step, edge: Edge, trigger: str, day: dt.date) -> list[Violation]:
        out: list[Violation] = []
        milestone = self.milestone_id(step)
        if edge in ("at", "open") and isinstance(step.due, DueByRule):
            rule, due = self._due(step.due.rule, step.due.key)
            if day > due:
                out.append(self._violation(
                    rule.id, milestone, trigger, day, due, (day - due).days,
                    f"{milestone} on {day.isoformat()} is after its due date {due.isoformat()}",
                    f"Plan it on or before {due.isoformat()}."))
        if edge in ("at", "open"):
            for earlier in self.steps:
                notice = earlier.due
                if not isinstance(notice, NoticeBefore) or notice.later != step.milestone:
                    continue
                days = param_int(self.rules.get(notice.rule, day), notice.key)
                given = self.dates.get(self.milestone_id(earlier))
                latest = day - dt.timedelta(days=days)
                if given is None or given > latest:
                    late = (given - latest).days if given else days
                    when = given.isoformat() if given else "never"
                    out.append(self._violation(
                        notice.rule, milestone, trigger, day, latest, late,
                        f"{self.milestone_id(earlier)} ({when}) is less than {days} days before "
                        f"{milestone} on {day.isoformat()}",
                        f"Publish by {latest.isoformat()} or move the meeting to "
                        f"{((given or day) + dt.timedelta(days=days)).isoformat()} or later."))
        if edge == "close" and step.min_length is not None:
            opened = self.dates.get(milestone)
            if opened is not None:
                out.extend(self._too_short(step, milestone, trigger, opened, day))
        return out

    def _due(self, rule_id: str, key: str) -> tuple[Rule, dt.date]:
        """A due date of this instance (fixed by its period and year), computed once."""
        found = self._dues.get((rule_id, key))
        if found is None:
            found = self._dues[(rule_id, key)] = due_by_rule(
                self.rules, rule_id, key, self.period, self.year, self.overrides)
        return found

    def _too_short(self, step: Step, milestone: str, trigger: str, opened: dt.date,
                   day: dt.date) -> list[Violation]:
        assert step.min_length is not None
        minimum, padding = consultation_minimum(self.rules, step.min_length, opened, day,
                                                pad=step.pad_holidays, overrides=self.overrides,
                                                key=step.min_length_key)
        out = []
        lawful = opened + dt.timedelta(days=minimum)
        if day < lawful:
            out.append(self._violation(
                step.min_length, milestone, trigger, day, lawful, (lawful - day).days,
                f"{milestone} ran {(day - opened).days} days ({opened.isoformat()} to "
                f"{day.isoformat()}), shorter than the minimum of {minimum} days",
                f"Keep it open until {lawful.isoformat()} or later."))
        padded = lawful + dt.timedelta(days=sum(p.days for p in padding))
        if padding and day < padded:
            holidays = ", ".join(p.holiday for p in padding)
            out.append(self._violation(
                "hearing-holidays", milestone, trigger, day, padded, (padded - day).days,
                f"{milestone} overlaps {holidays} but was not extended to {padded.isoformat()}",
                f"Keep it open until {padded.isoformat()} (guidance adds days for holidays)."))
        return out

    def _violation(self, rule_id: str, milestone: str, trigger: str, day: dt.date,
                   limit: dt.date, days_late: int, message: str, fix: str) -> Violation:
        rule = self.rules.get(rule_id, day)
        basis = rule.basis[0] if rule.basis else None
        cite = f"{basis.law} {basis.section}".strip() if basis else rule.id
        return Violation(
            rule=rule.id, milestone=milestone, trigger=trigger, date=day, limit=limit,
            days_late=days_late, binding=rule.binding, confidence=rule.confidence,
            section=cite, url=basis.url if basis else None,
            message=f"rule {rule.id} ({cite}, {rule.binding}) broken: {message}.", fix=fix,
        )
