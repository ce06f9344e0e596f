"""A followed term: a municipality's or county authority's term, its options and recorded facts.

A :class:`Term` is pure data (what a term file holds). From it, for a given ``today``
(:meth:`Term.status`), every milestone has a status and current dates, re-planned from the facts
by the planning engine (:mod:`plancycle.planning`), and the record-mode machines driven through
the facts give the rules broken so far (``violations``) and, driven on through the re-planned
future, those that will be broken if nothing changes (``forecast``).

Statuses: ``done`` (recorded, or implied by a recorded later step), ``in_progress`` (a phase
opened, not closed), ``overdue`` (its date is before ``today``, nothing is recorded, and no later
step of its process is recorded either), ``planned``.

What a recorded later step says about unrecorded earlier ones: within one process instance the
steps form a chain (pbl and koml fix their order: notice before decision, hearing before
adoption), so a recorded later step means every earlier step of its chain happened (except an
optional step such as an objection, pbl § 5-4, which is in the chain only once recorded and
implies nothing); a step held
together with another process's step (the samfunnsdel's planprogram consulted and adopted with the
planstrategi in ``samskaping``) happened when that one did. Such steps
are ``done`` with ``inferred`` set and no actual dates; they are taken to have happened on their
planned day, or on the day of the recorded step after them if that is earlier. Their rules are
not checked (nothing is known of them), and they never make a recorded step a violation.

Recording (:meth:`Term.record`) is checked: a fact for an unknown milestone, a date outside the
term, an end for a one-day step, a phase closed before it opened, a step dated before a recorded
step it follows (or after one that follows it), or a second different date for the same milestone
without ``replace`` is refused with an :class:`~plancycle.errors.InputError` naming the fact. In
``strict`` mode a fact that breaks a statutory rule is refused with
:class:`~plancycle.errors.RuleViolation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal, Self

from pydantic import ConfigDict, Field, model_validator

from plancycle.calendar_no import check_election_year
from plancycle.errors import FactConflictError, InputError, RuleViolation
from plancycle.i18n import Language, check_language, label
from plancycle.machine import ProcessInstance, Violation
from plancycle.measures import Measures, TermMeasures, measure
from plancycle.models import ElectionPeriod, Milestone, PlanCycleModel, Schedule
from plancycle.municipalities import (
    County,
    Municipality,
    change_warnings,
    find_county,
    find_municipality,
)
from plancycle.planning import Adjustments, InstanceRequest, Planner, PlanRequest, Slot, split_key
from plancycle.planning.plans import plan_requests, target_warnings
from plancycle.plans.register import PlanRegister
from plancycle.processes import ProcessModel
from plancycle.processes.declaration import PROCESS_MODELS
from plancycle.processes.refs import MilestoneRef
from plancycle.schedule import (
    ScheduleOptions,
    base_planner,
    build_schedule,
    milestones_of,
    planner_for,
    warnings_of,
)

#: The version of the term-file format this code writes (and the newest it reads).
TERM_SCHEMA_VERSION = 1

Status = Literal["done", "in_progress", "overdue", "planned"]
Mode = Literal["record", "strict"]
CONSTITUENT_MEETING = "election.constituent_meeting"


class Fact(PlanCycleModel):
    """What actually happened: a milestone (or a phase's opening) on ``date``, and for a phase
    its closing on ``end``. ``recorded`` (UTC) is when it was recorded (it orders the versions
    subscribers see); ``source`` where it is documented (a URL, a case number)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    milestone: str
    date: dt.date
    end: dt.date | None = None
    recorded: dt.datetime | None = None
    source: str | None = None

    def edges(self) -> dict[str, dt.date]:
        """The edge keys this fact fixes and their days."""
        out = {self.milestone: self.date}
        if self.end is not None:
            out[self.milestone + ":end"] = self.end
        return out


class TermMilestone(Milestone):
    """A milestone of a followed term: current dates (actual where recorded, re-planned
    otherwise), its status, the plan without facts and the recorded dates."""

    status: Status
    inferred: bool = False
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None


class TermStatus(PlanCycleModel):
    """A followed term on ``today``: every milestone with its status, the violations so far and
    the forecast (rules that will be broken if nothing changes)."""

    model_config = ConfigDict(frozen=True)

    today: dt.date
    election_year: int
    model: ProcessModel
    municipality: Municipality | None = None
    county: County | None = None
    milestones: tuple[TermMilestone, ...]
    violations: tuple[Violation, ...] = ()
    forecast: tuple[Violation, ...] = ()
    measures: TermMeasures | None = None
    warnings: tuple[str, ...] = ()

    def milestone(self, milestone_id: str) -> TermMilestone:
        for item in self.milestones:
            if item.id == milestone_id:
                return item
        raise InputError(key="unknown_fact_milestone", id=milestone_id,
                         example="planstrategi.adopted")

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON of ``plancycle status --format json``."""
        owner: dict[str, str] | None = None
        if self.municipality is not None or self.county is not None:
            entity = self.municipality or self.county
            assert entity is not None
            owner = {"number": entity.number, "name": entity.name}
        return {
            "today": self.today.isoformat(),
            "election_year": self.election_year,
            "model": self.model,
            "county" if self.county is not None else "municipality": owner,
            "milestones": [m.model_dump(mode="json") for m in self.milestones],
            "violations": [v.model_dump(mode="json") for v in self.violations],
            "forecast": [v.model_dump(mode="json") for v in self.forecast],
            "measures": self.measures.model_dump(mode="json") if self.measures else None,
            "warnings": list(self.warnings),
        }


class Term(PlanCycleModel):
    """A municipality's (``municipality``, a kommunenummer) or county authority's (``county``, a
    fylkesnummer) term, its options and the facts recorded so far (pure data; a term file).

    A term that cannot be is refused when it is made (constructor, ``model_validate``,
    ``model_validate_json``): a year without municipal elections, an unknown municipality or
    county, or both, with the errors of :meth:`ElectionPeriod.for_year` and
    :func:`~plancycle.municipalities.find_municipality` / ``find_county``; input of the wrong
    shape with a :class:`~plancycle.models.ShapeError`. The facts are checked against the plan
    by :meth:`check_facts` (and by :meth:`record`, :meth:`status` and :meth:`schedule`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = TERM_SCHEMA_VERSION
    election_year: int
    municipality: str | None = None
    county: str | None = None
    model: ProcessModel = "samskaping"
    mode: Mode = "record"
    constituted: dt.date | None = None
    election_day: dt.date | None = None
    handlingsdel_notice: bool = True
    practice: dict[str, dict[str, int | str]] = Field(default_factory=dict)
    council_meetings: tuple[dt.date, ...] = Field(default=(), exclude=False)
    #: further instances of non-yearly processes (``samfunnsdel.kdp-sykkel.adopted`` and so on)
    instances: tuple[InstanceRequest, ...] = ()
    #: the planstrategi's plan register and decisions (issue 10): each decided plan runs as an
    #: instance of process ``plan`` (``plan.kdp-klima.adopted``)
    plans: PlanRegister | None = None
    facts: tuple[Fact, ...] = ()

    @model_validator(mode="after")
    def _check_year_and_owner(self) -> Self:
        check_election_year(self.election_year)
        self.owner()
        return self

    # -- what the term is ------------------------------------------------------------------------
    def owner(self) -> Municipality | County | None:
        """The municipality or county authority of the term's election year (raises for an
        unknown number, or one of another term: ``1201`` Bergen in the 2015 term)."""
        if self.municipality is not None and self.county is not None:
            raise InputError(key="term_two_owners")
        if self.municipality is not None:
            return find_municipality(self.municipality, self.election_year)
        if self.county is not None:
            return find_county(self.county, self.election_year)
        return None

    def period(self) -> ElectionPeriod:
        """The term's period; a recorded constituent meeting fixes K."""
        held = self.fact(CONSTITUENT_MEETING)
        constituted = held.date if held is not None else self.constituted
        return ElectionPeriod.for_year(self.election_year, election_day_override=self.election_day,
                                       constituted=constituted)

    def options(self) -> ScheduleOptions:
        return ScheduleOptions(handlingsdel_notice=self.handlingsdel_notice,
                               practice=self.practice, council_meetings=self.council_meetings)

    def plan_requests(self) -> tuple[PlanRequest, ...]:
        """The plan instances of the register's decisions (empty without a register)."""
        return plan_requests(self.plans, (fact.milestone for fact in self.facts))

    def fact(self, milestone: str) -> Fact | None:
        """The recorded fact of ``milestone``, if any."""
        for fact in self.facts:
            if fact.milestone == milestone:
                return fact
        return None

    def plan(self) -> Schedule:
        """The term's plan without facts (what ``plancycle schedule`` gives)."""
        if self.model not in PROCESS_MODELS:
            raise InputError(key="unknown_model", model=self.model,
                             allowed=", ".join(PROCESS_MODELS))
        plans = self.plan_requests()
        if not self.instances and not plans:
            return build_schedule(self.period(), self.owner(), self.model, self.options(),
                                  lang="en")
        period, owner = self.period(), self.owner()
        planner = base_planner(period, self.model, self.options(), county=self.county is not None,
                               instances=self.instances, plans=plans)
        milestones = milestones_of(planner, "en", self.county is not None)
        return Schedule(period=period, model=self.model, lang="en",
                        municipality=owner if isinstance(owner, Municipality) else None,
                        county=owner if isinstance(owner, County) else None,
                        milestones=milestones,
                        warnings=warnings_of(period, self.model, "en", milestones,
                                             self.council_meetings)
                        + change_warnings(owner, self.election_year, "en")
                        + target_warnings(self.plans, milestones, "en"))

    # -- recording -------------------------------------------------------------------------------
    def record(self, milestone: str, date: dt.date, *, end: dt.date | None = None,
               replace: bool = False, recorded: dt.datetime | None = None,
               source: str | None = None) -> Term:
        """This term with one more fact, checked (see the module doc); recording the same fact
        twice records it once."""
        for name, value in (("date", date), ("end", end)):
            if value is not None and (not isinstance(value, dt.date)
                                      or isinstance(value, dt.datetime)):
                raise InputError(key="fact_not_a_date", id=milestone, field=name,
                                 value=repr(value))
        old = self.fact(milestone)
        if old is not None:
            same_start = old.date == date
            if same_start and (end is None or end == old.end):
                return self  # the same fact again (or its opening again): nothing new
            if not replace and not (same_start and old.end is None):
                raise FactConflictError(key="fact_conflict", id=milestone, old=_fact_text(old),
                                 new=_fact_text(Fact(milestone=milestone, date=date, end=end)))
        fact = Fact(milestone=milestone, date=date, end=end, recorded=recorded, source=source)
        facts = (*tuple(f for f in self.facts if f.milestone != milestone), fact)
        term = self.model_copy(update={"facts": facts})
        term.check_facts(new=fact)
        if self.mode == "strict":
            found = [v for v in term.status(date, lang="en").violations
                     if v.binding == "statutory" and v.milestone == milestone]
            if found:
                raise RuleViolation(found[0])
        return term

    def check_facts(self, new: Fact | None = None) -> None:
        """Refuse facts that cannot be (see the module doc); ``new`` is named first."""
        period = self.period()
        planner = planner_for(period, self.model, self.options(), county=self.county is not None,
                              instances=self.instances, plans=self.plan_requests())
        facts = ([new] if new is not None else []) + [f for f in self.facts if f is not new]
        seen: set[str] = set()
        for fact in self.facts:
            if fact.milestone in seen:
                raise InputError(key="fact_twice", id=fact.milestone)
            seen.add(fact.milestone)
        for fact in facts:
            slot = planner.slots.get(fact.milestone)
            if slot is None:
                raise InputError(key="unknown_fact_milestone", id=fact.milestone,
                                 example=_example(planner))
            for day in (fact.date, fact.end):
                if day is not None and not period.start <= day <= period.end:
                    raise InputError(key="fact_outside_term", id=fact.milestone,
                                     date=day.isoformat(), start=period.start.isoformat(),
                                     end=period.end.isoformat())
            if fact.end is not None and slot.step.kind != "phase":
                raise InputError(key="fact_end_not_phase", id=fact.milestone)
            if fact.end is not None and fact.end < fact.date:
                raise InputError(key="fact_closed_before_opened", id=fact.milestone,
                                 date=fact.date.isoformat(), end=fact.end.isoformat())
        recorded = _recorded_edges(self.facts)
        # the required steps in order, and the optional ones (objection, mediation) among
        # themselves: an objection comes during the hearing, before the chain's next edge
        for chain in [*_chains(planner).values(), *_chains(planner, optional=True).values()]:
            last: tuple[str, dt.date] | None = None
            for key in chain:
                day = recorded.get(key)
                if day is None:
                    continue
                if last is not None and day < last[1]:
                    raise InputError(key="fact_out_of_order", id=split_key(key)[0],
                                     date=day.isoformat(), other=split_key(last[0])[0],
                                     other_date=last[1].isoformat())
                last = (key, day)

    # -- status ----------------------------------------------------------------------------------
    def status(self, today: dt.date, lang: Language = "nb") -> TermStatus:
        """Every milestone's status and current dates on ``today``, the violations so far and
        the forecast (see the module doc). Pure: no clock."""
        if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
            raise InputError(key="fact_not_a_date", id="today", field="today", value=repr(today))
        lang = check_language(lang)
        follow = self.follow()
        planner, inferred = follow.planner, follow.inferred
        recorded = follow.recorded
        plan = {m.id: m for m in self.plan().milestones}
        county = self.county is not None
        current = milestones_of(planner, lang, county)
        milestones: list[TermMilestone] = []
        for m in current:
            slot = planner.slots[m.id]
            start_key, end_key = m.id, m.id + ":end"
            phase = slot.step.kind == "phase"
            actual_start = recorded.get(start_key)
            actual_end = recorded.get(end_key) if phase else actual_start
            started = start_key in recorded or start_key in inferred
            ended = (end_key in recorded or end_key in inferred) if phase else started
            if not started and slot.step.held_by_state and m.end < today:
                started = ended = True
            status: Status
            if started and ended:
                status = "done"
            elif started:
                status = "in_progress"
            elif m.start < today:
                status = "overdue"
            else:
                status = "planned"
            planned = plan.get(m.id)
            milestones.append(TermMilestone(
                **{name: getattr(m, name) for name in Milestone.model_fields},
                status=status,
                inferred=status == "done" and start_key not in recorded,
                planned_start=planned.start if planned else None,
                planned_end=planned.end if planned else None,
                actual_start=actual_start, actual_end=actual_end))
        violations, forecast, happened = follow.findings(today, lang)
        measures = TermMeasures.of(happened)
        owner = self.owner()
        warnings = warnings_of(self.period(), self.model, lang, current, self.council_meetings) \
            + target_warnings(self.plans, current, lang)
        return TermStatus(
            today=today, election_year=self.election_year, model=self.model,
            municipality=owner if isinstance(owner, Municipality) else None,
            county=owner if isinstance(owner, County) else None,
            milestones=tuple(milestones), violations=violations, forecast=forecast,
            measures=measures, warnings=warnings)

    def schedule(self, lang: Language = "nb") -> Schedule:
        """The followed term as a :class:`Schedule` with its current dates (actual where
        recorded, re-planned otherwise): what the calendar and ``schedule --term`` show."""
        lang = check_language(lang)
        follow = self.follow()
        milestones = milestones_of(follow.planner, lang, self.county is not None)
        owner = self.owner()
        period = self.period()
        return Schedule(period=period, model=self.model, lang=lang,
                        municipality=owner if isinstance(owner, Municipality) else None,
                        county=owner if isinstance(owner, County) else None,
                        milestones=milestones,
                        warnings=warnings_of(period, self.model, lang, milestones,
                                             self.council_meetings)
                        + target_warnings(self.plans, milestones, lang))

    def follow(self) -> FollowedPlan:
        """The planning engine with the facts (and what they imply) applied."""
        self.check_facts()
        period = self.period()
        options = self.options()
        base = base_planner(period, self.model, options, county=self.county is not None,
                            instances=self.instances, plans=self.plan_requests())
        recorded = _recorded_edges(self.facts)
        if CONSTITUENT_MEETING in recorded:
            recorded[CONSTITUENT_MEETING] = period.constituted  # it is K itself
        planner = base.replan(Adjustments(fired=dict(recorded)))
        inferred: dict[str, dt.date] = {}
        chains = _chains(planner)
        aliases = _aliases(planner)
        for _ in range(2):  # a step held together with another instance's, then its chain
            known = {**recorded, **inferred}
            for key, other in aliases.items():
                if key not in known and other in known:
                    inferred[key] = known[other]
            known = {**recorded, **inferred}
            for chain in chains.values():
                positions = [i for i, key in enumerate(chain) if key in known]
                if not positions:
                    continue
                bound = known[chain[positions[-1]]]
                for key in reversed(chain[:positions[-1]]):
                    if key in known:
                        bound = known[key]
                        continue
                    bound = min(planner.date(key), bound)
                    inferred[key] = known[key] = bound
        if inferred:
            planner = planner.replan(Adjustments(fired={**recorded, **inferred}))
        return FollowedPlan(self, planner, recorded, inferred)


class FollowedPlan:
    """A term's planner with its facts applied; what :meth:`Term.status` reads."""

    def __init__(self, term: Term, planner: Planner, recorded: dict[str, dt.date],
                 inferred: dict[str, dt.date]) -> None:
        self.term = term
        self.planner = planner
        self.recorded = recorded
        self.inferred = inferred

    def findings(self, today: dt.date, lang: Language) -> tuple[
            tuple[Violation, ...], tuple[Violation, ...], Measures]:
        """The violations of the recorded facts, the forecast and the measures.

        Each process instance is driven first through what happened (recorded and inferred
        edges, a prefix of its chain): the rules broken there are the violations (an inferred
        edge's are not checked), and the instances as they stand then are what
        :func:`plancycle.measures.measure` reads. Then on through the re-planned future, an
        overdue step counted as happening today at the earliest (a phase keeping its length) and
        no step before the one it follows: what that breaks is the forecast.
        """
        planner = self.planner
        known = {**self.recorded, **self.inferred}
        violations: list[Violation] = []
        forecast: list[Violation] = []
        running: list[tuple[ProcessInstance, list[tuple[Slot, Literal["start", "end"], str]],
                            dt.date | None]] = []
        instances: dict[str, ProcessInstance] = {}
        for name, chain in _chain_slots(planner).items():
            first = chain[0][0]
            instance = ProcessInstance(first.definition, planner.period, year=first.year,
                                       mode="record", overrides=self.term.practice, lang=lang,
                                       key=first.milestone.instance,
                                       optional=tuple(dict.fromkeys(
                                           slot.step.milestone for slot, _, _ in chain
                                           if slot.step.optional)))
            last: dt.date | None = None
            done = 0
            for slot, edge, key in chain:
                day = known.get(key)
                if day is None:
                    break
                last = max(day, last) if last is not None else day
                found = instance.fire(_trigger(slot, edge), last)
                if key not in self.inferred:
                    violations.extend(found)
                done += 1
            instances[name] = instance
            running.append((instance, chain[done:], last))
        measures = measure(planner.period, instances)
        for instance, rest, last in running:
            opened_late = dt.timedelta(0)  # how far an overdue phase's opening was pushed
            for slot, edge, key in rest:
                planned = planner.date(key)
                if planned > planner.period.end:
                    break
                day = planned + opened_late if edge == "end" else planned
                day = max(day, today, last or day)
                if day != planned:
                    day = planner.snap_forward(slot.step, edge, day)
                opened_late = day - planned if edge == "start" else dt.timedelta(0)
                forecast.extend(instance.fire(_trigger(slot, edge), day))
                last = day
        return tuple(violations), tuple(forecast), measures


def _trigger(slot: Slot, edge: Literal["start", "end"]) -> str:
    trigger = slot.step.trigger if edge == "start" else slot.step.end_trigger
    assert trigger is not None  # a phase has an end trigger (checked when declared)
    return trigger


def _recorded_edges(facts: Iterable[Fact]) -> dict[str, dt.date]:
    out: dict[str, dt.date] = {}
    for fact in facts:
        out.update(fact.edges())
    return out


def _chain_slots(planner: Planner) -> dict[str, list[tuple[Slot, Literal["start", "end"], str]]]:
    chains: dict[str, list[tuple[Slot, Literal["start", "end"], str]]] = {}
    for slot in planner.slots.values():
        chain = chains.setdefault(slot.instance, [])
        chain.append((slot, "start", slot.full_id))
        if slot.step.kind == "phase":
            chain.append((slot, "end", slot.full_id + ":end"))
    return chains


def _chains(planner: Planner, *, optional: bool = False) -> dict[str, list[str]]:
    """The edge keys of each instance's required steps in chain order (``optional``: of its
    optional steps instead, which are never inferred and imply nothing)."""
    return {name: [key for slot, _, key in chain if slot.step.optional == optional]
            for name, chain in _chain_slots(planner).items()}


def _aliases(planner: Planner) -> dict[str, str]:
    """Edges held together with another instance's edge: planned as exactly that edge (no
    offset, no snapping), e.g. the samfunnsdel's planprogram consulted and adopted with the
    planstrategi in ``samskaping`` (pbl § 10-1 fourth paragraph). Edge key -> the other's."""
    out: dict[str, str] = {}
    for key, slot in planner.slots.items():
        specs = [("start", slot.step.plan)] + ([("end", slot.step.end)] if slot.step.end else [])
        for edge, spec in specs:
            ref = spec.reference
            if not isinstance(ref, MilestoneRef) or ref.process == slot.definition.name:
                continue
            if spec.snap != "none" or (spec.days, spec.weeks, spec.months, spec.years) != (0,) * 4:
                continue
            other = planner.target(ref, slot).full_id
            out[key + (":end" if edge == "end" else "")] = other + (":end" if ref.edge == "end"
                                                                    else "")
    return out


def _example(planner: Planner) -> str:
    ids = list(planner.slots)
    return ", ".join(ids[:1] + [i for i in ids if i.endswith(".adopted")][:3])


def _fact_text(fact: Fact) -> str:
    return fact.date.isoformat() + (f"–{fact.end.isoformat()}" if fact.end else "")


def done_label(milestone: TermMilestone, lang: Language) -> str:
    """The words a done milestone shows in the calendar: "vedtatt 2. mars 2028" for a council
    decision, "utført 2. mars 2028" for anything else."""
    day = milestone.actual_start or milestone.start
    key = "status_adopted_on" if milestone.papers is not None else "status_done_on"
    return label(key, lang, date=_long_date(day, lang))


def _long_date(day: dt.date, lang: Language) -> str:
    months = label("month_names", lang).split()
    return f"{day.day}. {months[day.month - 1]} {day.year}" if lang != "en" \
        else f"{day.day} {months[day.month - 1]} {day.year}"
