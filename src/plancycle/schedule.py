"""``build_schedule``: a pure function from a term, a municipality, a model and options to milestones.

Each step of each process definition is dated from its :class:`~.definition.DateSpec`, bounded by
its due rule, widened to its minimum consultation length (padded over July, Easter and Christmas)
and moved to a working day. Due dates are the legal bounds themselves and may fall on any day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from plancycle import calendar_no as cal
from plancycle.deadlines import (
    Overrides,
    due_by_rule,
    padded_window_end,
    param_int,
    rule_with_overrides,
)
from plancycle.errors import DataError, InputError
from plancycle.i18n import Language, check_language, has_county_text, label, milestone_text
from plancycle.models import ElectionPeriod, Milestone, Padding, Schedule
from plancycle.municipalities import County, Municipality
from plancycle.processes import ProcessDefinition, ProcessModel, definitions
from plancycle.processes.definition import PROCESS_MODELS, DateSpec, DueByRule, NoticeBefore, Step
from plancycle.rules import Rule, RuleTable, rule_table, weakest

Anchor = str  # "E", "K" or "E_next": dates that may be assumed (provisional)
TERM_YEARS = range(5)


class ScheduleOptions(BaseModel):
    """Switches and overrides for :func:`build_schedule`.

    ``handlingsdel_notice``: apply rule handlingsdel-notice (pbl § 11-4 second paragraph,
    unverified; on by default). ``practice``: override parameters of practice rules, e.g.
    ``{"council-budget-meeting": {"planned": "12-10"}}``. ``council_meetings``: the dates of
    the council's meetings (from its meeting plan); decisions are then placed on them, and notice
    and publication dates are counted back from them.
    """

    model_config = ConfigDict(frozen=True)

    handlingsdel_notice: bool = True
    practice: dict[str, dict[str, int | str]] = {}
    council_meetings: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Dated:
    """A resolved date and the assumed anchors it rests on."""

    day: dt.date
    anchors: frozenset[Anchor] = frozenset()


@dataclass(frozen=True)
class _Slot:
    """A step placed in the term: its full id, cycle year and definition."""

    full_id: str
    step: Step
    definition: ProcessDefinition
    year: int
    order: int


@dataclass
class _Resolver:
    period: ElectionPeriod
    rules: RuleTable
    overrides: Overrides
    slots: dict[str, _Slot]
    memo: dict[str, Dated] = field(default_factory=dict)
    busy: set[str] = field(default_factory=set)
    paddings: dict[str, tuple[int, tuple[Padding, ...]]] = field(default_factory=dict)
    meetings: tuple[dt.date, ...] = ()
    flagged: set[str] = field(default_factory=set)

    # -- rules -------------------------------------------------------------------------------
    def rule(self, rule_id: str, on: dt.date) -> Rule:
        return rule_with_overrides(self.rules, rule_id, on, self.overrides)

    # -- anchors and references ---------------------------------------------------------------
    def anchor(self, name: str) -> Dated:
        period = self.period
        if name == "E":
            return Dated(period.election_day,
                         frozenset({"E"}) if period.election_day_provisional else frozenset())
        if name == "K":
            return Dated(period.constituted,
                         frozenset({"K"}) if period.constituted_assumed else frozenset())
        if name == "E_next":
            following = period.election_year + 4
            if following <= cal.LAST_ELECTION_YEAR:
                nxt = cal.election_day(following)
                return Dated(nxt.date, frozenset({"E_next"}) if nxt.provisional else frozenset())
            return Dated(period.election_day + relativedelta(years=4), frozenset({"E_next"}))
        raise DataError(f"unknown date anchor {name!r}")

    def slot(self, ref: str, year: int) -> _Slot:
        if ref in self.slots:
            return self.slots[ref]
        process, _, local = ref.partition(".")
        yearly = f"{process}.{year}.{local}"
        if yearly in self.slots:
            return self.slots[yearly]
        raise DataError(f"process definition refers to unknown milestone {ref!r}")

    def resolve(self, spec: DateSpec, here: _Slot) -> Dated:
        base = self._reference(spec.ref, here)
        delta = relativedelta(years=spec.years, months=spec.months, weeks=spec.weeks,
                              days=spec.days)
        dated = Dated(_SNAPS[spec.snap](base.day + delta), base.anchors)
        if spec.not_before is not None:
            bound = self.resolve(spec.not_before, here)
            if bound.day > dated.day:
                return Dated(bound.day, dated.anchors | bound.anchors)
        return dated

    def _reference(self, ref: str, here: _Slot) -> Dated:
        if ref in ("E", "K", "E_next"):
            return self.anchor(ref)
        if ref == "due":
            due = self.due(here)
            if due is None:
                raise DataError(f"{here.full_id} is planned from its due date but has none")
            return due
        kind, _, rest = ref.partition(":")
        if kind == "md":
            month, day = rest.split("-")
            return Dated(dt.date(here.year, int(month), int(day)))
        if kind == "rule":
            rule_id, _, key = rest.partition(":")
            return Dated(self.rule(rule_id, dt.date(here.year, 1, 1)).month_day(key, here.year))
        if kind == "ms":
            target, _, edge = rest.partition(":")
            other = self.slot(target, here.year)
            return self.end(other) if edge == "end" else self.start(other)
        raise DataError(f"unknown date reference {ref!r} in {here.full_id}")

    # -- the dates of a slot ------------------------------------------------------------------
    def _memo(self, key: str, compute: Callable[[], Dated]) -> Dated:
        if key in self.memo:
            return self.memo[key]
        if key in self.busy:
            raise DataError(f"process definitions refer to each other in a circle at {key}")
        self.busy.add(key)
        try:
            value = self.memo[key] = compute()
        finally:
            self.busy.discard(key)
        return value

    def start(self, slot: _Slot) -> Dated:
        return self._memo(slot.full_id + ":start", lambda: self._start(slot))

    def _start(self, slot: _Slot) -> Dated:
        planned = self.resolve(slot.step.plan, slot)
        if not self.meetings or not is_council_decision(slot.step):
            return planned
        return Dated(self._meeting_for(slot, planned.day), planned.anchors)

    def _meeting_for(self, slot: _Slot, planned: dt.date) -> dt.date:
        """The council meeting a decision lands on, among those after the previous step and the
        notice periods (:meth:`_earliest`) and on or before the due date:

        - planned *after* something (``council_after``, e.g. four weeks after a hearing to work
          through its input): the first meeting on or after the planned day; if that is too late
          for the due date, the last one that still fits;
        - planned *around* a practice date (``council_before``, e.g. mid-December for the
          budget): the meeting nearest that date, the earlier one on a tie.

        If none fits, the decision is flagged and placed on the first meeting after the earliest
        day (or the planned day if there is none). Decisions planned after the plan's last
        meeting are planned as without a meeting plan."""
        if planned > self.meetings[-1]:
            return planned  # the meeting plan does not reach this far: plan as without one
        due = self.due(slot)
        earliest = self._earliest(slot)
        fitting = [m for m in self.meetings
                   if m >= earliest and (due is None or m <= due.day)]
        if fitting:
            if slot.step.plan.snap == "council_after":
                after = [m for m in fitting if m >= planned]
                return after[0] if after else fitting[-1]
            return min(fitting, key=lambda m: (abs((m - planned).days), m))
        if due is not None:
            self.flagged.add(slot.full_id)
        later = [m for m in self.meetings if m >= earliest]
        return later[0] if later else planned

    def _earliest(self, slot: _Slot) -> dt.date:
        """The earliest lawful day for a decision: after the previous step of its process and
        the notice periods counted back from it."""
        earliest = self.period.start
        steps = slot.definition.steps
        index = steps.index(slot.step)
        prefix = slot.full_id.rsplit(".", 1)[0]
        for before in reversed(steps[:index]):
            # steps counted back from this decision (notices) do not bound it from below
            if isinstance(before.due, NoticeBefore) and before.due.later == slot.step.milestone:
                continue
            # nor do steps planned from it (held at the same meeting)
            if before.plan.ref.split(":")[:2] == ["ms", f"{slot.definition.name}.{slot.step.milestone}"]:
                continue
            previous = self.slots.get(f"{prefix}.{before.milestone}")
            if previous is not None:
                earliest = self.end(previous).day  # the same meeting may take both
                break
        for step in steps:
            notice = step.due
            if isinstance(notice, NoticeBefore) and notice.later == slot.step.milestone:
                earlier = self.slots.get(f"{prefix}.{step.milestone}")
                if earlier is not None and step.plan.ref != "due":
                    days = param_int(self.rule(notice.rule, earliest), notice.key)
                    earliest = max(earliest, self.start(earlier).day + dt.timedelta(days=days))
        return earliest

    def end(self, slot: _Slot) -> Dated:
        if slot.step.kind != "phase":
            return self.start(slot)
        return self._memo(slot.full_id + ":end", lambda: self._phase_end(slot))

    def _phase_end(self, slot: _Slot) -> Dated:
        step = slot.step
        start = self.start(slot)
        wanted = self.resolve(step.end, slot) if step.end else start
        anchors = start.anchors | wanted.anchors
        if step.min_length is None:
            return Dated(max(wanted.day, start.day), anchors)
        end, minimum, padding = padded_window_end(
            self.rules, step.min_length, start.day, wanted.day, pad=step.pad_holidays,
            overrides=self.overrides, key=step.min_length_key)
        self.paddings[slot.full_id] = (minimum, padding)
        return Dated(end, anchors)

    def due(self, slot: _Slot) -> Dated | None:
        spec = slot.step.due
        if spec is None:
            return None
        return self._memo(slot.full_id + ":due", lambda: self._due(spec, slot))

    def _due(self, spec: DueByRule | NoticeBefore, slot: _Slot) -> Dated:
        if isinstance(spec, DueByRule):
            rule, day = due_by_rule(self.rules, spec.rule, spec.key, self.period, slot.year,
                                    self.overrides)
            anchor = rule.params.get("anchor")
            return Dated(day, self.anchor(str(anchor)).anchors if anchor in ("K", "E")
                         else frozenset())
        later = self.start(self.slot(f"{slot.definition.name}.{spec.later}", slot.year))
        days = param_int(self.rule(spec.rule, later.day), spec.key)
        return Dated(later.day - dt.timedelta(days=days), later.anchors)


_SNAPS: dict[str, Callable[[dt.date], dt.date]] = {
    "none": lambda day: day,
    "working_after": cal.working_day_on_or_after,
    "working_before": cal.working_day_on_or_before,
    "council_after": cal.council_day_on_or_after,
    "council_before": cal.council_day_on_or_before,
}


def is_council_decision(step: Step) -> bool:
    """True for a step the council decides in a meeting (its plan snaps to a council day)."""
    return step.plan.snap in ("council_after", "council_before")


def _slots(period: ElectionPeriod, model: ProcessModel, options: ScheduleOptions,
           county: bool) -> dict[str, _Slot]:
    slots: dict[str, _Slot] = {}
    order = 0
    for definition in definitions(model, handlingsdel_notice=options.handlingsdel_notice,
                                  county=county):
        if definition.yearly:
            for term_year in TERM_YEARS:
                year = period.election_year + term_year
                for step in definition.steps_in_year(term_year):
                    full = f"{definition.name}.{year}.{step.milestone}"
                    slots[full] = _Slot(full, step, definition, year, order)
                    order += 1
        else:
            for step in definition.steps:
                full = f"{definition.name}.{step.milestone}"
                slots[full] = _Slot(full, step, definition, period.election_year, order)
                order += 1
    return slots


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
    """
    if model not in PROCESS_MODELS:
        raise InputError(key="unknown_model", model=model, allowed=", ".join(PROCESS_MODELS))
    lang = check_language(lang)
    options = options or ScheduleOptions()
    county = municipality if isinstance(municipality, County) else None
    owner = municipality if isinstance(municipality, Municipality) else None
    milestones = _milestones(period, model, options.model_dump_json(), lang, county is not None)
    return Schedule(period=period, model=model, lang=lang, municipality=owner, county=county,
                    milestones=milestones, warnings=_warnings(period, model, lang, milestones))


@lru_cache(maxsize=256)
def _milestones(period: ElectionPeriod, model: ProcessModel, options_json: str,
                lang: Language, county: bool) -> tuple[Milestone, ...]:
    """The dated milestones of a term. They do not depend on which municipality (or county), so
    one computation serves them all (a bounded cache keyed by the pure inputs)."""
    options = ScheduleOptions.model_validate_json(options_json)
    rules = rule_table()
    for rule_id in options.practice:
        if rule_id not in rules.ids:
            raise InputError(f"unknown practice rule {rule_id!r} in options")
    resolver = _Resolver(period, rules, options.practice, _slots(period, model, options, county),
                         meetings=tuple(sorted(set(options.council_meetings))))
    items: list[tuple[dt.date, int, Milestone]] = []
    for slot in resolver.slots.values():
        start, end, due = resolver.start(slot), resolver.end(slot), resolver.due(slot)
        if start.day > period.end or end.day < period.start:
            continue
        items.append((start.day, slot.order,
                      _milestone(slot, start, end, due, resolver, lang, county)))
    items.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in items)


def _milestone(slot: _Slot, start: Dated, end: Dated, due: Dated | None, resolver: _Resolver,
               lang: Language, county: bool) -> Milestone:
    step = slot.step
    cited = [resolver.rule(rule_id, start.day) for rule_id in step.rules]
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
        following = resolver.period.election_year + 4
        confidence = (cal.election_day(following).confidence
                      if following <= cal.LAST_ELECTION_YEAR else "P")
    anchors = start.anchors | end.anchors | (due.anchors if due else frozenset())
    minimum, padding = resolver.paddings.get(slot.full_id, (None, ()))
    key = f"{slot.definition.name}.{step.milestone}"
    if county and has_county_text(key):
        key = f"{key}@county"
    fields = {"year": slot.year, "next_year": slot.year + 1, "prev_year": slot.year - 1}
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
        rules=tuple(step.rules),
        todo=milestone_text(key, "todo", lang, **fields),
        min_days=minimum,
        padding=padding,
        papers=papers,
        flags=("no_council_meeting",) if slot.full_id in resolver.flagged else (),
    )


def _warnings(period: ElectionPeriod, model: ProcessModel, lang: Language,
              milestones: tuple[Milestone, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for m in milestones:
        late = m.due is not None and m.start > m.due and m.id != "election.constituent_meeting"
        if late and "no_council_meeting" not in m.flags:
            out.append(label("planned_after_due", lang, id=m.id, date=m.start.isoformat(),
                             due=m.due.isoformat() if m.due else "", rule=m.rules[0]))
        if "no_council_meeting" in m.flags:
            out.append(f"{label('no_council_meeting', lang)}: {m.id} "
                       f"({label('due', lang)} {m.due.isoformat() if m.due else '-'})")
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
