"""A scenario: municipalities, election year, model, start state, dated events and variation.

:class:`Scenario` is pure data (the same fields as a scenario file). :func:`check_scenario` checks
what pydantic cannot — election year, dates inside the term, events in date order, milestone ids
and triggers that exist in the model, practice overrides, variation bounds — and raises
:class:`ScenarioError` naming the field. A :class:`Scenario` of the wrong shape is refused with a
:class:`ScenarioError` too (never a pydantic ``ValidationError``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from plancycle.calendar_no import check_election_year
from plancycle.deadlines import check_overrides
from plancycle.errors import InputError, PlanCycleError, wrong_type
from plancycle.ids import MilestoneId
from plancycle.models import ElectionPeriod
from plancycle.municipalities import Municipality, find_municipality, municipalities
from plancycle.processes import PROCESS_MODELS, ProcessModel
from plancycle.rules import rule_table
from plancycle.schedule import ScheduleOptions
from plancycle.simulation.events import (
    MAX_DAYS,
    Checked,
    Constituted,
    Event,
    MeetingCancelled,
    ScenarioError,
)
from plancycle.simulation.handlers import References, check_event
from plancycle.simulation.timeline import Context, context
from plancycle.simulation.variation import Variation

__all__ = ["Scenario", "ScenarioError", "check_scenario"]


class Scenario(Checked):
    """What to simulate. ``municipalities``: names or numbers, or ``["all"]``; empty means a
    term not tied to a municipality. ``start``: the run starts that day with every earlier step
    done as planned (the start state), and undated events apply from then (default 1 January of
    the election year). ``council_meetings``: the council's meeting plan, if known.
    ``focus_areas``: ids of the samfunnsdel's focus areas, for ``plancycle thread --scenario``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    election_year: int
    municipalities: tuple[str, ...] = ()
    model: ProcessModel = "samskaping"
    election_day: dt.date | None = None
    start: dt.date | None = None
    handlingsdel_notice: bool = True
    council_meetings: tuple[dt.date, ...] = ()
    practice: dict[str, dict[str, int | str]] = Field(default_factory=dict)
    events: tuple[Event, ...] = Field(default=())
    variation: Variation = Field(default_factory=Variation)
    #: Focus areas (satsingsområder) of a content set this scenario follows: ``plancycle thread
    #: --scenario FILE`` gives, per model, the first budget year each reaches (issue 11).
    focus_areas: tuple[str, ...] = Field(default=(), max_length=300)

    @model_validator(mode="before")
    @classmethod
    def _municipality_alias(cls, data: Any) -> Any:
        if isinstance(data, dict) and "municipality" in data:
            data = dict(data)
            if "municipalities" in data:
                raise InputError(key="scenario_municipality_twice")
            data["municipalities"] = [data.pop("municipality")]
        if isinstance(data, dict) and isinstance(data.get("municipalities"), str):
            data = {**data, "municipalities": [data["municipalities"]]}
        return data

    # -- derived -------------------------------------------------------------------------------
    @property
    def term(self) -> tuple[dt.date, dt.date]:
        """First and last day of the term a schedule covers (1 January Y – 31 October Y+4)."""
        return dt.date(self.election_year, 1, 1), dt.date(self.election_year + 4, 10, 31)

    @property
    def first_day(self) -> dt.date:
        return self.start or self.term[0]

    @property
    def constituted(self) -> dt.date | None:
        found = [e.date for e in self.events if isinstance(e, Constituted)]
        return found[0] if found else None

    def period(self) -> ElectionPeriod:
        return ElectionPeriod.for_year(self.election_year, election_day_override=self.election_day,
                                       constituted=self.constituted)

    def options(self) -> ScheduleOptions:
        return ScheduleOptions(handlingsdel_notice=self.handlingsdel_notice,
                               practice=self.practice, council_meetings=self.council_meetings)

    def municipality_list(self) -> tuple[Municipality | None, ...]:
        """The municipalities to run (``None``: one run group not tied to a municipality)."""
        if not self.municipalities:
            return (None,)
        if [m.lower() for m in self.municipalities] == ["all"]:
            return municipalities(self.election_year)
        return tuple(find_municipality(name, self.election_year) for name in self.municipalities)

    def context(self, model: ProcessModel | None = None) -> Context:
        return context(self.period(), model or self.model, self.options())


def _check_dates(scenario: Scenario) -> None:
    first, last = scenario.term

    def inside(field: str, day: dt.date) -> None:
        if not first <= day <= last:
            raise ScenarioError(field, InputError(key="scenario_outside_term", date=day.isoformat(),
                                                  first=first.isoformat(), last=last.isoformat()))

    if scenario.start is not None:
        inside("start", scenario.start)
    for i, day in enumerate(scenario.council_meetings):
        inside(f"council_meetings[{i}]", day)
    previous: tuple[int, dt.date] | None = None
    for i, event in enumerate(scenario.events):
        when = event.when
        if when is None:
            continue
        inside(f"events[{i}].date", when)
        if isinstance(event, MeetingCancelled) and event.moved_to is not None:
            inside(f"events[{i}].moved_to", event.moved_to)
        if not isinstance(event, Constituted) and when < scenario.first_day:
            raise ScenarioError(f"events[{i}].date", InputError(
                key="scenario_before_start", date=when.isoformat(),
                start=scenario.first_day.isoformat()))
        if previous is not None and when < previous[1]:
            raise ScenarioError(f"events[{i}].date", InputError(
                key="scenario_events_order", date=when.isoformat(), index=previous[0],
                earlier=previous[1].isoformat()))
        previous = (i, when)


def _check_refs(scenario: Scenario, models: tuple[ProcessModel, ...]) -> None:
    contexts = [scenario.context(model) for model in models]
    refs = References(contexts, " / ".join(models))
    milestone = refs.milestone
    for i, event in enumerate(scenario.events):
        check_event(event, f"events[{i}]", refs)
    for i, phase in enumerate(scenario.variation.phases):
        field = f"variation.phases[{i}].milestone"
        milestone(field, phase.milestone, edge=phase.edge, yearless=True)
        if phase.kind == "length":
            for ctx in contexts:
                for ident in ctx.base.slots:
                    if _matches(ident, phase.milestone) and ctx.base.slots[ident].step.kind != "phase":
                        raise ScenarioError(field, InputError(key="scenario_length_not_phase",
                                                              milestone=phase.milestone))


def _matches(ident: str, pattern: str) -> bool:
    """True when milestone ``ident`` is ``pattern`` (or, for a yearly one, any year of it)."""
    if ident == pattern:
        return True
    parsed = MilestoneId.parse(ident)
    return parsed.year is not None and parsed.instance is None and parsed.key == pattern


def check_scenario(scenario: Scenario, models: tuple[ProcessModel, ...] | None = None) -> None:
    """Raise :class:`ScenarioError` for anything in ``scenario`` that cannot run under
    ``models`` (default: the scenario's model). A milestone must exist in at least one of them."""
    if not isinstance(scenario, Scenario):
        raise ScenarioError("", wrong_type("check_scenario", "scenario", "Scenario", scenario))
    if models is not None and (not isinstance(models, tuple | list)
                               or not all(isinstance(m, str) for m in models)):
        raise ScenarioError("", wrong_type("check_scenario", "models", "tuple[str, ...] or None",
                                           models))
    models = tuple(models or (scenario.model,))
    for model in models:
        if model not in PROCESS_MODELS:
            raise ScenarioError("model", InputError(key="scenario_unknown_model", model=repr(model),
                                                    allowed=", ".join(PROCESS_MODELS)))
    try:
        check_election_year(scenario.election_year)
    except InputError as exc:
        raise ScenarioError("election_year", exc) from None
    _check_dates(scenario)
    constituted = [i for i, e in enumerate(scenario.events) if isinstance(e, Constituted)]
    if len(constituted) > 1:
        raise ScenarioError(f"events[{constituted[1]}]",
                            InputError(key="scenario_constituted_twice"))
    try:
        scenario.period()
    except InputError as exc:
        field = f"events[{constituted[0]}].date" if constituted else "election_day"
        raise ScenarioError(field, exc) from None
    for i, name in enumerate(scenario.municipalities):
        if name.lower() == "all" and len(scenario.municipalities) == 1:
            continue
        try:
            find_municipality(name, scenario.election_year)
        except PlanCycleError as exc:
            raise ScenarioError(f"municipalities[{i}]", exc) from None
    try:
        check_overrides(rule_table(), scenario.practice)
    except PlanCycleError as exc:
        raise ScenarioError("practice", exc) from None
    _check_variation(scenario)
    try:
        scenario.options()
        _check_refs(scenario, models)
    except ScenarioError:
        raise
    except PlanCycleError as exc:
        raise ScenarioError("practice", exc) from None


def _check_variation(scenario: Scenario) -> None:
    """No variation may draw a delay or a length beyond :data:`MAX_DAYS`."""
    for i, phase in enumerate(scenario.variation.phases):
        low, high = min(phase.bounds_days), max(phase.bounds_days)
        if low < -MAX_DAYS or high > MAX_DAYS:
            raise ScenarioError(f"variation.phases[{i}]", InputError(
                key=f"scenario_variation_{phase.kind}_too_long", low=low, high=high,
                most=MAX_DAYS))
