"""The adapter between process definitions and ``transitions``: one machine per process instance.

This is the only module that imports ``transitions``. A :class:`ProcessInstance` is a small plain
object; the machine decorates a private carrier of the state instead of the instance, so the only
way to move an instance is :meth:`ProcessInstance.fire`, with its date, rule checks and history.
Pydantic models stay pure data (``Violation``, ``HistoryEntry``, ``InstanceState``); the rule checks
are pure functions in :mod:`plancycle.checks`. Every trigger takes the date it happened (a
:class:`datetime.date`). In ``strict`` mode a trigger that would break a statutory rule is
refused with :class:`~plancycle.errors.RuleViolation`; in ``record`` mode it happens and the
violation is recorded. Breaches of recommended and practice rules are recorded in both modes: they
are advice, not law.
"""

from __future__ import annotations

import datetime as dt
import reprlib
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict
from transitions import Machine

from plancycle.checks import Violation, check_edge
from plancycle.deadlines import Overrides, check_overrides
from plancycle.errors import DataError, InputError, InvalidTransitionError, RuleViolation, wrong_type
from plancycle.i18n import Language, check_language
from plancycle.ids import MilestoneId, valid_instance_key
from plancycle.models import ElectionPeriod
from plancycle.processes.declaration import ProcessDefinition, Step
from plancycle.rules import RuleTable, rule_table

__all__ = ["Edge", "HistoryEntry", "InstanceState", "Mode", "ProcessInstance", "Violation",
           "graph_problems", "transitions_of"]

Mode = Literal["strict", "record"]
Edge = Literal["at", "open", "close", "extra"]


class HistoryEntry(BaseModel):
    """One transition that happened: the trigger, the state it led to and its date."""

    model_config = ConfigDict(frozen=True)

    trigger: str
    state: str
    date: dt.date


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
    """The transitions of a definition restricted to ``steps`` as ``transitions`` takes them:
    the chain in step order (:meth:`ProcessDefinition.chain`) plus the definition's extra
    transitions between states of that chain (``all_extras``: every one)."""
    out = [{"trigger": link.trigger, "source": link.source, "dest": link.dest}
           for link in definition.chain(steps)]
    states = {t["source"] for t in out} | {t["dest"] for t in out}
    out.extend({"trigger": x.trigger, "source": x.source, "dest": x.dest}
               for x in definition.extra if all_extras or (x.source in states and x.dest in states))
    return out


def graph_problems(definition: ProcessDefinition, steps: tuple[Step, ...] | None = None,
                   ) -> list[str]:
    """Unreachable and trap states of a definition's machine, each named with the process
    (:meth:`ProcessDefinition.graph_problems`; empty when the graph is sound)."""
    return [f"{definition.name}: {problem}" for problem in definition.graph_problems(steps)]


class _Carrier:
    """The object ``transitions`` decorates: it holds the state and gets the machine's
    ``trigger``, ``is_*`` and ``may_*`` methods, none of which a :class:`ProcessInstance` has, so
    nothing can move an instance around :meth:`ProcessInstance.fire` and its checks."""

    state: str


def _require_date(what: str, argument: str, value: object) -> None:
    """Refuse anything but a :class:`datetime.date` (a ``datetime`` too: it carries a time)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InputError(key="not_a_date", what=what, argument=argument,
                         given=reprlib.repr(value), kind=type(value).__name__)


class ProcessInstance:
    """One running process (e.g. the planstrategi of one municipality, or one yearly cycle).

    Fire triggers with :meth:`fire` (``instance.fire("adopt", date(2028, 9, 14))``). ``state``,
    ``history``, ``violations`` and ``dates`` (the day each milestone edge happened) are public.
    ``lang`` is the language of the violations' messages and fixes; ``optional``: the optional
    steps that happened in this instance (the others are not in its machine).
    """

    def __init__(self, definition: ProcessDefinition, period: ElectionPeriod, *,
                 year: int | None = None, mode: Mode = "strict",
                 overrides: Overrides | None = None, rules: RuleTable | None = None,
                 lang: Language = "en", key: str | None = None,
                 optional: tuple[str, ...] = ()) -> None:
        for argument, value, types, expected in (
                ("definition", definition, (ProcessDefinition,),
                 "ProcessDefinition (definition('planstrategi', 'classic'))"),
                ("period", period, (ElectionPeriod,), "ElectionPeriod (ElectionPeriod.for_year(2027))"),
                ("rules", rules, (RuleTable, type(None)), "RuleTable or None"),
                ("key", key, (str, type(None)), "str or None")):
            if not isinstance(value, types):
                raise wrong_type("ProcessInstance", argument, expected, value)
        if mode not in ("strict", "record"):
            raise InputError(key="machine_mode", mode=repr(mode))
        first = period.election_year
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                                 or not first <= year <= first + 4):
            raise InputError(key="instance_year", process=definition.name, given=reprlib.repr(year),
                             first=first, last=first + 4)
        self.definition = definition
        self.period = period
        self.year = year if year is not None else period.election_year
        if key is not None and not valid_instance_key(key):
            raise InputError(key="bad_instance_key", key_=key)
        check_overrides(rules or rule_table(), overrides)
        #: the instance key of a further instance of the process (``kdp-sykkel``), or None
        self.key = key
        self.mode: Mode = mode
        self.overrides = overrides
        self.rules = rules or rule_table()
        self.lang: Language = check_language(lang)
        # an optional step (an objection) is in the machine only when it happened (``optional``)
        self.steps = (definition.steps_in_year(self.year - period.election_year)
                      if definition.yearly else definition.steps_with(optional))
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
        self._carrier = _Carrier()
        self._machine = Machine(model=self._carrier, states=states, transitions=edges,
                                initial=definition.initial, auto_transitions=False,
                                model_attribute="state")

    # -- introspection -------------------------------------------------------------------------
    @cached_property
    def name(self) -> str:
        """The instance's name: the process, with its instance key and, for a yearly cycle, the
        year (:class:`~plancycle.planning.MilestoneId` grammar)."""
        year = self.year if self.definition.yearly else None
        return MilestoneId(self.definition.name, "x", year, self.key).instance_name

    @property
    def state(self) -> str:
        """The current state (read-only: move the instance with :meth:`fire`)."""
        return self._carrier.state

    @property
    def final_state(self) -> str:
        return self.definition.final_state(self.steps)

    @property
    def is_finished(self) -> bool:
        return self._carrier.state == self.final_state

    def allowed_triggers(self) -> list[str]:
        """The triggers the definition allows from the current state, in declaration order."""
        return list(self._triggers[self._carrier.state])

    def milestone_id(self, step: Step) -> str:
        return f"{self.name}.{step.milestone}"

    # -- firing --------------------------------------------------------------------------------
    def check(self, trigger: str, day: dt.date) -> list[Violation]:
        """The violations firing ``trigger`` on ``day`` would cause (nothing is changed).

        Raises :class:`InputError` when ``day`` is not a :class:`datetime.date` (a
        ``datetime.datetime`` or a string is refused) or is before the last transition, and
        :class:`InvalidTransitionError` for a trigger not allowed from the current state.
        """
        if type(day) is not dt.date:
            _require_date(self.name, "day", day)
        state = self._carrier.state
        action = self._actions.get(trigger)
        if action is None or trigger not in self._triggers[state]:
            allowed = ", ".join(self.allowed_triggers())
            raise InvalidTransitionError(
                key="transition_not_allowed" if allowed else "transition_finished",
                process=self.name, trigger=repr(trigger), state=repr(state), allowed=allowed)
        if self.history and day < self.history[-1].date:
            last = self.history[-1]
            raise InputError(key="transition_out_of_order", process=self.name, trigger=trigger,
                             date=day.isoformat(), last=last.trigger,
                             last_date=last.date.isoformat())
        step, edge = action.step, action.edge
        if step is None or edge == "extra":
            return []
        return check_edge(self.name, self.steps, step, edge, trigger, day, self.dates,
                          self.period, self.year, self.rules, self.overrides, self.lang)

    def fire(self, trigger: str, day: dt.date) -> list[Violation]:
        """Fire ``trigger`` dated ``day``; returns the violations recorded by this transition.

        Raises :class:`RuleViolation` in strict mode when a statutory rule would be broken (the
        state is then unchanged), :class:`InvalidTransitionError` for a trigger the definition
        does not allow from the current state and :class:`InputError` when ``day`` is not a
        :class:`datetime.date`.
        """
        found = self.check(trigger, day)
        if self.mode == "strict":
            statutory = [v for v in found if v.binding == "statutory"]
            if statutory:
                raise RuleViolation(statutory[0])
        self._machine.events[trigger].trigger(self._carrier)
        action = self._actions[trigger]
        if action.step is not None:
            suffix = ":end" if action.edge == "close" else ""
            self.dates[self.milestone_id(action.step) + suffix] = day
        # built from values checked above: no need to validate again (this is the hot path)
        self.history.append(HistoryEntry.model_construct(trigger=trigger,
                                                         state=self._carrier.state, date=day))
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
            raise DataError(key="machine_state_mismatch", process=state.process,
                            model=state.model, year=state.year, name=self.name,
                            own_model=self.definition.model)
        machine = self._machine
        if state.state not in machine.states:
            raise DataError(key="machine_state_unknown", name=self.name, state=repr(state.state),
                            allowed=", ".join(machine.states))
        if state.mode not in ("strict", "record"):
            raise DataError(key="machine_state_mode", name=self.name, mode=repr(state.mode))
        machine.set_state(state.state, model=self._carrier)
        self.mode = state.mode
        self.history = list(state.history)
        self.violations = list(state.violations)
        self.dates = dict(state.dates)

    @classmethod
    def restore(cls, definition: ProcessDefinition, period: ElectionPeriod, state: InstanceState,
                *, overrides: Overrides | None = None,
                rules: RuleTable | None = None, lang: Language = "en") -> ProcessInstance:
        """A new instance of ``definition`` in the saved ``state``; it continues identically."""
        instance = cls(definition, period, year=state.year, mode=state.mode,
                       overrides=overrides, rules=rules, lang=lang)
        instance.load_state(state)
        return instance
