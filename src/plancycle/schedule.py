"""``build_schedule``: a pure function from a term, a municipality, a model and options to milestones.

Each step of each process definition is dated from its :class:`~.definition.DateSpec`, bounded by
its due rule, widened to its minimum consultation length (padded over July, Easter and Christmas)
and moved to a working day. Due dates are the legal bounds themselves and may fall on any day.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

from pydantic import ConfigDict, Field

from plancycle import calendar_no as cal
from plancycle.deadlines import check_overrides, due_by_rule, param_int
from plancycle.errors import InputError, wrong_type
from plancycle.i18n import Language, check_language, has_county_text, label, milestone_text
from plancycle.models import ElectionPeriod, Milestone, PlanCycleModel, Schedule
from plancycle.municipalities import County, Municipality, change_warnings
from plancycle.planning import (
    TERM_YEARS,
    Adjustments,
    CouncilCalendar,
    Dated,
    InstanceRequest,
    Planner,
    PlanRequest,
    Slot,
    cached_slots,
    is_council_decision,
)
from plancycle.processes import ProcessModel
from plancycle.processes.declaration import PROCESS_MODELS, DueByRule, Step
from plancycle.rules import rule_table, weakest

__all__ = ["TERM_YEARS", "ScheduleOptions", "base_planner", "build_schedule", "clear_caches",
           "in_force", "is_council_decision", "milestone_of", "milestones_of", "planner_for",
           "warnings_of"]

class ScheduleOptions(PlanCycleModel):
    """Switches and overrides for :func:`build_schedule`.

    ``handlingsdel_notice``: apply rule handlingsdel-notice (pbl § 11-4 second paragraph,
    unverified; on by default). ``practice``: override parameters of practice rules, e.g.
    ``{"council-budget-meeting": {"planned": "12-10"}}``. ``council_meetings``: the dates of
    the council's meetings (from its meeting plan); decisions are then placed on them, and notice
    and publication dates are counted back from them.
    """

    model_config = ConfigDict(frozen=True)

    handlingsdel_notice: bool = True
    practice: dict[str, dict[str, int | str]] = Field(default_factory=dict)
    council_meetings: tuple[dt.date, ...] = ()



def _primary_rule(step: Step) -> str:
    if step.due is not None:
        return step.due.rule
    return step.min_length or step.rules[0]


def build_schedule(
    period: ElectionPeriod,
    municipality: Municipality | County | None = None,
    model: ProcessModel = "samskaping",
    options: ScheduleOptions | None = None,
    *,
    lang: Language = "nb",
) -> Schedule:
    """Every milestone of domain.md §4 for one term, with planned and due dates.

    Pure: the same arguments always give the same schedule (no clock, no randomness).
    Arguments of the wrong type are refused with :class:`InputError`.
    """
    for argument, value, types, expected in (
            ("period", period, (ElectionPeriod,), "ElectionPeriod (ElectionPeriod.for_year(2027))"),
            ("municipality", municipality, (Municipality, County, type(None)),
             "Municipality, County or None (find_municipality('Stavanger'))"),
            ("options", options, (ScheduleOptions, type(None)), "ScheduleOptions or None")):
        if not isinstance(value, types):
            raise wrong_type("build_schedule", argument, expected, value)
    if model not in PROCESS_MODELS:
        raise InputError(key="unknown_model", model=model, allowed=", ".join(PROCESS_MODELS))
    lang = check_language(lang)
    options = options or ScheduleOptions()
    county = municipality if isinstance(municipality, County) else None
    owner = municipality if isinstance(municipality, Municipality) else None
    milestones = _milestones(period, model, options.model_dump_json(), lang, county is not None)
    return Schedule(period=period, model=model, lang=lang, municipality=owner, county=county,
                    milestones=milestones,
                    warnings=warnings_of(period, model, lang, milestones,
                                         options.council_meetings)
                    + change_warnings(municipality, period.election_year, lang))


def planner_for(period: ElectionPeriod, model: ProcessModel, options: ScheduleOptions, *,
                county: bool = False, instances: tuple[InstanceRequest, ...] = (),
                adjust: Adjustments | None = None,
                plans: tuple[PlanRequest, ...] = ()) -> Planner:
    """The planning engine for a term with ``options`` (and the facts and changes in
    ``adjust``): the one way the schedule, the followed term and the simulation date a term.
    ``plans``: the planstrategi's decided plans, each an instance of process ``plan``."""
    check_overrides(rule_table(), options.practice)
    slots = cached_slots(period, model, options.handlingsdel_notice, county, instances, plans)
    return Planner(period, slots, rule_table(), options.practice,
                   CouncilCalendar.of(options.council_meetings),
                   adjust if adjust is not None else Adjustments())


@lru_cache(maxsize=256)
def _milestones(period: ElectionPeriod, model: ProcessModel, options_json: str,
                lang: Language, county: bool) -> tuple[Milestone, ...]:
    """The dated milestones of a term. They do not depend on which municipality (or county), so
    one computation serves them all (a bounded cache keyed by the pure inputs)."""
    options = ScheduleOptions.model_validate_json(options_json)
    return milestones_of(planner_for(period, model, options, county=county), lang, county)


def milestones_of(planner: Planner, lang: Language, county: bool) -> tuple[Milestone, ...]:
    """Every milestone of the term, in date order (then process order).

    A term's milestones are those its plan dates inside it (1 January of Y to 31 October of
    Y+4), without facts and without a meeting plan, and those the planner dates inside it now.
    One of them that facts or a meeting plan move outside the term is still given, flagged
    ``outside_term``: no deadline is ever dropped. A duty whose rule is not in force on its
    planned day (the public-health overview before folkehelseloven took effect on 1 January
    2012, the compliance check before 2020) does not exist then and is not given (issue 12).
    """
    period = planner.period
    plain = not planner.council.meetings and not any(planner.adjust.edge_keys())
    natural = frozenset[str]() if plain else _natural_ids(planner)  # a plain plan is its own
    items: list[tuple[dt.date, int, Milestone]] = []
    for slot in planner.slots.values():
        start, end = planner.start(slot), planner.end(slot)
        outside = start.day > period.end or end.day < period.start
        if outside and slot.full_id not in natural:
            continue
        if not in_force(slot, start.day, planner):
            continue
        milestone = milestone_of(slot, planner, lang, county)
        if outside:
            milestone = milestone.model_copy(update={"flags": (*milestone.flags,
                                                              "outside_term")})
        items.append((start.day, slot.order, milestone))
    items.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in items)


def in_force(slot: Slot, day: dt.date, planner: Planner) -> bool:
    """True when the rule a slot's date rests on (its due rule, else its first rule) is in
    force on ``day``."""
    return planner.rules.in_force(_primary_rule(slot.step), day)


def milestone_of(slot: Slot, planner: Planner, lang: Language, county: bool) -> Milestone:
    """The :class:`Milestone` of one slot as the planner dates it now (built once for the same
    slot, dates and options: re-planning only rebuilds the milestones that moved)."""
    start, end, due = planner.start(slot), planner.end(slot), planner.due(slot)
    if planner.overrides:
        return _milestone(slot, start, end, due, planner, lang, county)
    return _default_milestone(slot, start, end, due, planner.period, lang, county)


@lru_cache(maxsize=8192)
def _default_milestone(slot: Slot, start: Dated, end: Dated, due: Dated | None,
                       period: ElectionPeriod, lang: Language, county: bool) -> Milestone:
    """:func:`milestone_of` without practice overrides, cached by its pure inputs."""
    return _milestone(slot, start, end, due, _rules_only(period), lang, county)


@lru_cache(maxsize=64)
def _rules_only(period: ElectionPeriod) -> Planner:
    """A planner without slots: the rule lookups a milestone's citations need."""
    return Planner(period, {}, rule_table())


def base_planner(period: ElectionPeriod, model: ProcessModel, options: ScheduleOptions, *,
                 county: bool = False, instances: tuple[InstanceRequest, ...] = (),
                 plans: tuple[PlanRequest, ...] = ()) -> Planner:
    """A copy of the term's fully dated plan (computed once per input): re-plan it with
    :meth:`~plancycle.planning.Planner.replan`."""
    return _base_planner(period, model, options.model_dump_json(), county, instances,
                         plans).fork()


@lru_cache(maxsize=64)
def _base_planner(period: ElectionPeriod, model: ProcessModel, options_json: str, county: bool,
                  instances: tuple[InstanceRequest, ...],
                  plans: tuple[PlanRequest, ...] = ()) -> Planner:
    options = ScheduleOptions.model_validate_json(options_json)
    planner = planner_for(period, model, options, county=county, instances=instances,
                          plans=plans)
    for key, slot in planner.slots.items():
        planner.date(key)
        if slot.step.kind == "phase":
            planner.date(key + ":end")
        planner.due(slot)
    return planner


_NATURAL: dict[tuple[int, str], tuple[dict[str, Slot], frozenset[str]]] = {}


def _natural_ids(planner: Planner) -> frozenset[str]:
    """The ids the planner's term dates inside the term without facts, changes or a meeting
    plan (computed once per set of slots and practice overrides)."""
    key = (id(planner.slots), json.dumps(planner.overrides, sort_keys=True, default=str))
    found = _NATURAL.get(key)
    if found is not None and found[0] is planner.slots:
        return found[1]
    plain = Planner(planner.period, planner.slots, planner.rules, planner.overrides)
    period = plain.period
    inside = frozenset(ident for ident, slot in plain.slots.items()
                       if plain.start(slot).day <= period.end
                       and plain.end(slot).day >= period.start)
    if len(_NATURAL) >= 256:
        _NATURAL.clear()
    _NATURAL[key] = (planner.slots, inside)
    return inside


def _milestone(slot: Slot, start: Dated, end: Dated, due: Dated | None, resolver: Planner,
               lang: Language, county: bool) -> Milestone:
    step = slot.step
    # a supporting rule not yet (or no longer) in force on the day is not cited (issue 12:
    # the challenge picture of 2011 does not rest on folkehelseloven, in force from 2012)
    rule_ids = tuple(rule_id for rule_id in step.rules
                     if rule_id == _primary_rule(step) or resolver.rules.in_force(rule_id, start.day))
    cited = [resolver.rule(rule_id, start.day) for rule_id in rule_ids]
    primary = resolver.rule(_primary_rule(step), start.day)
    if isinstance(step.due, DueByRule):
        primary = due_by_rule(resolver.rules, step.due.rule, step.due.key, resolver.period,
                              slot.year, resolver.overrides)[0]
    basis = tuple(dict.fromkeys(b for rule in cited for b in rule.basis))
    confidence = primary.confidence
    if slot.full_id in ("election.day", "election.advance_voting"):
        period = resolver.period
        day_confidence = "P" if period.election_day_provisional else period.election_day_confidence
        confidence = weakest([confidence, day_confidence]) if step.kind == "phase" \
            else day_confidence
    elif slot.full_id == "election.next_day":
        confidence = cal.next_election_day(resolver.period.election_year).confidence
    anchors = start.anchors | end.anchors | (due.anchors if due else frozenset())
    key = slot.milestone.key
    if county and has_county_text(key):
        key = f"{key}@county"
    fields = {"year": slot.year, "next_year": slot.year + 1, "prev_year": slot.year - 1,
              "plan": slot.subject or slot.milestone.instance or ""}
    papers = None
    if is_council_decision(step):
        days = param_int(resolver.rule("meeting-papers", start.day), "council_days")
        papers = cal.working_day_on_or_before(start.day - dt.timedelta(days=days))
    return Milestone(
        id=slot.full_id,
        process=slot.definition.name,
        kind=step.kind,
        title=milestone_text(key, "title", lang, **fields),
        start=start.day,
        end=end.day,
        due=due.day if due else None,
        binding=primary.binding,
        basis=basis,
        confidence=confidence,
        provisional=bool(anchors),
        rules=rule_ids,
        todo=milestone_text(key, "todo", lang, **fields),
        min_days=end.minimum,
        padding=end.padding,
        papers=papers,
        flags=("no_council_meeting",) if start.flagged else (),
    )


def warnings_of(period: ElectionPeriod, model: ProcessModel, lang: Language,
              milestones: tuple[Milestone, ...],
              meetings: tuple[dt.date, ...] = ()) -> tuple[str, ...]:
    out: list[str] = []
    for m in milestones:
        late = m.due is not None and m.start > m.due and m.id != "election.constituent_meeting"
        if late and "no_council_meeting" not in m.flags:
            out.append(label("planned_after_due", lang, id=m.id, date=m.start.isoformat(),
                             due=m.due.isoformat() if m.due else "", rule=m.rules[0]))
        if "no_council_meeting" in m.flags:
            out.append(f"{label('no_council_meeting', lang)}: {m.id} "
                       f"({label('due', lang)} {m.due.isoformat() if m.due else '-'})")
        if "outside_term" in m.flags:
            out.append(f"{label('outside_term', lang)}: {m.id} ({m.start.isoformat()})")
    if meetings and not any(period.start <= day <= period.end for day in meetings):
        out.append(label("no_meetings_in_term", lang, start=period.start.isoformat(),
                         end=period.end.isoformat()))
    if period.constituted_late:
        out.append(label("constituted_late", lang, date=period.constituted.isoformat(),
                         year=period.election_year))
    if period.constituted_assumed:
        out.append(label("constituted_assumed", lang, date=period.constituted.isoformat()))
    if period.election_day_provisional:
        out.append(label("election_day_provisional", lang,
                         date=period.election_day.isoformat()))
    if period.election_day.weekday() != 0:
        out.append(label("election_day_not_monday", lang, date=period.election_day.isoformat()))
    if model == "reform":
        out.append(label("reform_warning", lang))
    return tuple(out)


def clear_caches() -> None:
    """Forget every cached plan (benchmarks measure planning from scratch with it)."""
    _milestones.cache_clear()
    _default_milestone.cache_clear()
    _base_planner.cache_clear()
    cached_slots.cache_clear()
