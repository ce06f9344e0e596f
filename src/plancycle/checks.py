"""The rule checks of what actually happened, as pure functions: due dates, notices, hearing lengths.

:func:`edge_violations` takes one edge of one step (a step happening, a phase opening or closing),
the day it happened and the days earlier edges happened, and returns the rules it breaks as
:class:`Violation` s, with message and fix in the chosen language. It changes nothing and reads no
clock: :class:`plancycle.machine.ProcessInstance` calls it before every transition, and any other
caller (e.g. a followed term) can call it with its own dates.

Edge keys in ``dates`` are those of :attr:`ProcessInstance.dates`: ``"<milestone id>"`` for a step
or a phase's opening, ``"<milestone id>:end"`` for a phase's closing, where a milestone id is
``f"{instance}.{step.milestone}"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Literal

from pydantic import ConfigDict, Field

from plancycle.deadlines import Overrides, consultation_minimum, due_by_rule, param_int
from plancycle.i18n import LANGUAGES, Language, label
from plancycle.models import ElectionPeriod, PlanCycleModel
from plancycle.processes.declaration import DueByRule, NoticeBefore, Step
from plancycle.rules import Binding, Confidence, Rule, RuleTable

CheckedEdge = Literal["at", "open", "close"]

__all__ = ["CheckedEdge", "Violation", "check_edge", "due_date", "edge_violations",
           "notices_before"]


class Violation(PlanCycleModel):
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
    #: message and fix in each language (empty in a violation saved by an older version)
    translations: dict[str, tuple[str, str]] = Field(default_factory=dict)

    def message_in(self, lang: Language) -> str:
        """The message in ``lang`` (nb, nn or en)."""
        return self.translations.get(lang, (self.message, self.fix))[0]

    def fix_in(self, lang: Language) -> str:
        """How to fix it, in ``lang``."""
        return self.translations.get(lang, (self.message, self.fix))[1]


# -- caches ------------------------------------------------------------------------------------------
# Keyed by object identity (rule tables and step tuples are large and not cheaply hashable); each
# entry keeps its objects alive, so an id cannot be reused while its entry exists. Bounded: cleared
# when full (a simulation uses a handful of tables, periods and step tuples).
_CACHE_LIMIT = 4096
_OverrideKey = tuple[tuple[str, int | str], ...] | None
_DueKey = tuple[int, int, str, str, int, _OverrideKey]
_dues: dict[_DueKey, tuple[RuleTable, ElectionPeriod, tuple[Rule, dt.date]]] = {}
_Notices = Mapping[str, tuple[tuple[Step, NoticeBefore], ...]]
_notices: dict[int, tuple[tuple[Step, ...], _Notices]] = {}


def due_date(rule_id: str, key: str, period: ElectionPeriod, year: int, rules: RuleTable,
             overrides: Overrides | None = None) -> tuple[Rule, dt.date]:
    """The due date ``rule_id`` (parameter ``key``) sets for ``year`` of ``period``, and the
    version of the rule that sets it (see :func:`plancycle.deadlines.due_by_rule`); cached."""
    override = overrides.get(rule_id) if overrides else None
    cache_key: _DueKey = (id(rules), id(period), rule_id, key, year,
                          tuple(sorted(override.items())) if override else None)
    found = _dues.get(cache_key)
    if found is not None:
        return found[2]
    result = due_by_rule(rules, rule_id, key, period, year, overrides)
    if len(_dues) >= _CACHE_LIMIT:
        _dues.clear()
    _dues[cache_key] = (rules, period, result)
    return result


def notices_before(steps: tuple[Step, ...]) -> _Notices:
    """For each milestone of ``steps``, the earlier steps that must give notice before it (a
    :class:`NoticeBefore` due naming it), in step order; cached per tuple."""
    found = _notices.get(id(steps))
    if found is not None and found[0] is steps:
        return found[1]
    index: dict[str, list[tuple[Step, NoticeBefore]]] = {}
    for earlier in steps:
        if isinstance(earlier.due, NoticeBefore):
            index.setdefault(earlier.due.later, []).append((earlier, earlier.due))
    result = {later: tuple(found) for later, found in index.items()}
    if len(_notices) >= _CACHE_LIMIT:
        _notices.clear()
    _notices[id(steps)] = (steps, result)
    return result


# -- the checks --------------------------------------------------------------------------------------
def edge_violations(*, instance: str, steps: tuple[Step, ...], step: Step,
                    edge: Literal["at", "open", "close"], trigger: str, day: dt.date,
                    dates: Mapping[str, dt.date], period: ElectionPeriod, year: int,
                    rules: RuleTable, overrides: Overrides | None = None,
                    lang: Language = "en") -> list[Violation]:
    """The rules broken when ``edge`` of ``step`` (of instance ``instance``, whose steps are
    ``steps``) happens on ``day`` by firing ``trigger``, given the days earlier edges happened.

    - ``"at"``/``"open"``: the step's due date (:class:`DueByRule`) and the notice every earlier
      step owes it (:class:`NoticeBefore`);
    - ``"close"``: the phase's minimum length and, when it pads holidays, the days added for
      the holidays it overlaps (rule hearing-holidays).
    """
    return check_edge(instance, steps, step, edge, trigger, day, dates, period, year, rules,
                      overrides, lang)


def check_edge(instance: str, steps: tuple[Step, ...], step: Step, edge: CheckedEdge,
               trigger: str, day: dt.date, dates: Mapping[str, dt.date], period: ElectionPeriod,
               year: int, rules: RuleTable, overrides: Overrides | None,
               lang: Language) -> list[Violation]:
    """:func:`edge_violations` with positional arguments (the machine's hot path)."""
    out: list[Violation] = []
    if edge == "close":
        if step.min_length is not None:
            milestone = f"{instance}.{step.milestone}"
            opened = dates.get(milestone)
            if opened is not None:
                out.extend(_too_short(step, milestone, trigger, opened, day, rules, overrides,
                                      lang))
        return out
    due = step.due
    if isinstance(due, DueByRule):
        rule, limit = due_date(due.rule, due.key, period, year, rules, overrides)
        if day > limit:
            milestone = f"{instance}.{step.milestone}"
            out.append(_violation(
                rules, rule.id, milestone, trigger, day, limit, (day - limit).days, lang,
                lambda lg: label("check_due_message", lg, milestone=milestone,
                                 day=day.isoformat(), due=limit.isoformat()),
                lambda lg: label("check_due_fix", lg, due=limit.isoformat())))
    cached = _notices.get(id(steps))
    owed = (cached[1] if cached is not None and cached[0] is steps
            else notices_before(steps)).get(step.milestone)
    if owed:
        for earlier, notice in owed:
            days = param_int(rules.get(notice.rule, day), notice.key)
            earlier_id = f"{instance}.{earlier.milestone}"
            given = dates.get(earlier_id)
            latest = day - dt.timedelta(days=days)
            if given is None or given > latest:
                milestone = f"{instance}.{step.milestone}"
                late = (given - latest).days if given else days
                moved = ((given or day) + dt.timedelta(days=days)).isoformat()
                out.append(_violation(
                    rules, notice.rule, milestone, trigger, day, latest, late, lang,
                    _notice_message(earlier_id, given, days, milestone, day),
                    _notice_fix(latest, moved)))
    return out


def _too_short(step: Step, milestone: str, trigger: str, opened: dt.date, day: dt.date,
               rules: RuleTable, overrides: Overrides | None, lang: Language) -> list[Violation]:
    assert step.min_length is not None
    minimum, padding = consultation_minimum(rules, step.min_length, opened, day,
                                            pad=step.pad_holidays, overrides=overrides,
                                            key=step.min_length_key)
    out = []
    lawful = opened + dt.timedelta(days=minimum)
    if day < lawful:
        out.append(_violation(
            rules, step.min_length, milestone, trigger, day, lawful, (lawful - day).days, lang,
            lambda lg: label("check_short_message", lg, milestone=milestone,
                             ran=(day - opened).days, opened=opened.isoformat(),
                             day=day.isoformat(), minimum=minimum),
            lambda lg: label("check_short_fix", lg, lawful=lawful.isoformat())))
    padded = lawful + dt.timedelta(days=sum(p.days for p in padding))
    if padding and day < padded:
        def holidays(lg: Language) -> str:
            # English keeps the holiday ids (july, easter, christmas); nb and nn name them
            return ", ".join(p.holiday if lg == "en" else label(p.holiday, lg) for p in padding)

        out.append(_violation(
            rules, "hearing-holidays", milestone, trigger, day, padded, (padded - day).days, lang,
            lambda lg: label("check_holidays_message", lg, milestone=milestone,
                             holidays=holidays(lg), padded=padded.isoformat()),
            lambda lg: label("check_holidays_fix", lg, padded=padded.isoformat())))
    return out


def _violation(rules: RuleTable, rule_id: str, milestone: str, trigger: str, day: dt.date,
               limit: dt.date, days_late: int, lang: Language, message: Callable[[Language], str],
               fix: Callable[[Language], str]) -> Violation:
    rule = rules.get(rule_id, day)
    basis = rule.basis[0] if rule.basis else None
    cite = f"{basis.law} {basis.section}".strip() if basis else rule.id
    translations = {
        lg: (label("check_violation", lg, rule=rule.id, cite=cite,
                   binding=label(rule.binding, lg), what=message(lg)), fix(lg))
        for lg in LANGUAGES}
    return Violation(
        rule=rule.id, milestone=milestone, trigger=trigger, date=day, limit=limit,
        days_late=days_late, binding=rule.binding, confidence=rule.confidence,
        section=cite, url=basis.url if basis else None,
        message=translations[lang][0], fix=translations[lang][1], translations=translations,
    )


def _notice_message(earlier: str, given: dt.date | None, days: int, milestone: str,
                    day: dt.date) -> Callable[[Language], str]:
    """The message of a notice not given (or given too late), in a language."""
    def text(lg: Language) -> str:
        when = given.isoformat() if given else label("check_notice_never", lg)
        return label("check_notice_message", lg, earlier=earlier, when=when, days=days,
                     milestone=milestone, day=day.isoformat())
    return text


def _notice_fix(latest: dt.date, moved: str) -> Callable[[Language], str]:
    return lambda lg: label("check_notice_fix", lg, latest=latest.isoformat(), moved=moved)
