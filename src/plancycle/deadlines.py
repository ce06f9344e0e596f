"""Rule arithmetic shared by the schedule and the machines: due dates and consultation minimums."""

from __future__ import annotations

import datetime as dt
import reprlib
from collections.abc import Mapping

from dateutil.relativedelta import relativedelta

from plancycle import calendar_no as cal
from plancycle.calendar_no import HolidayPeriod
from plancycle.errors import DataError, InputError
from plancycle.models import ElectionPeriod, Padding
from plancycle.rules import Rule, RuleTable, parse_month_day

Overrides = Mapping[str, Mapping[str, int | str]]


#: The largest number a practice override may set (days, weeks or months): ten years of days.
MAX_OVERRIDE = 3653


def check_override(rule: Rule, override: object) -> None:
    """Refuse a practice override of ``rule`` that cannot be applied, with :class:`InputError`:
    a rule that is not practice, a parameter the rule does not have (or its ``anchor``, which
    says what the rule counts from), a number that is not a whole number from 0 to
    :data:`MAX_OVERRIDE`, or a day that is not ``MM-DD`` of every year."""
    if rule.binding != "practice":
        raise InputError(key="practice_not_practice", rule=rule.id, binding=rule.binding)
    if not isinstance(override, Mapping):
        raise InputError(key="practice_override_type", rule=rule.id,
                         given=reprlib.repr(override), kind=type(override).__name__)
    for name, value in override.items():
        if not isinstance(name, str) or name not in rule.params or name == "anchor":
            allowed = ", ".join(key for key in rule.params if key != "anchor") or "-"
            raise InputError(key="practice_parameter", rule=rule.id,
                             parameter=reprlib.repr(name), allowed=allowed)
        if isinstance(rule.params[name], int):
            if not isinstance(value, int) or isinstance(value, bool) \
                    or not 0 <= value <= MAX_OVERRIDE:
                raise InputError(key="practice_number", rule=rule.id, parameter=name,
                                 value=reprlib.repr(value), most=MAX_OVERRIDE)
        elif not isinstance(value, str) or parse_month_day(value) is None:
            raise InputError(key="practice_month_day", rule=rule.id, parameter=name,
                             value=reprlib.repr(value))


def check_overrides(table: RuleTable, overrides: object) -> None:
    """Refuse practice overrides (``{rule id: {parameter: value}}``) that name no rule or that
    :func:`check_override` refuses for any version of their rule."""
    if overrides is None:
        return
    if not isinstance(overrides, Mapping):
        raise InputError(key="practice_overrides_type", given=reprlib.repr(overrides),
                         kind=type(overrides).__name__)
    for rule_id, override in overrides.items():
        if not isinstance(rule_id, str) or rule_id not in table.ids:
            raise InputError(key="practice_unknown_rule", rule=reprlib.repr(rule_id))
        for version in table.versions(rule_id):
            check_override(version, override)


def rule_with_overrides(table: RuleTable, rule_id: str, on: dt.date,
                        overrides: Overrides | None = None) -> Rule:
    """The version of ``rule_id`` in force on ``on``, with practice parameters overridden.

    Raises :class:`InputError` for an override :func:`check_override` refuses.
    """
    rule = table.get(rule_id, on)
    override = (overrides or {}).get(rule_id)
    if override:
        check_override(rule, override)
        rule = rule.model_copy(update={"params": {**rule.params, **override}})
    return rule


def param_int(rule: Rule, key: str) -> int:
    """An integer parameter, 0 when absent."""
    value = rule.params.get(key, 0)
    if not isinstance(value, int):
        raise DataError(f"rule {rule.id}: parameter {key!r} must be an integer")
    return value


def anchored_due(rule: Rule, key: str, period: ElectionPeriod, year: int) -> dt.date:
    """The due date a rule sets: ``anchor`` K or E plus ``years``/``months``/``days``, or an
    ``MM-DD`` parameter ``key`` in ``year`` when ``anchor`` is ``"year"``."""
    anchor = rule.params.get("anchor")
    if anchor == "year":
        return rule.month_day(key, year)
    if anchor in ("K", "E"):
        base = period.constituted if anchor == "K" else period.election_day
        return base + relativedelta(years=param_int(rule, "years"),
                                    months=param_int(rule, "months"), days=param_int(rule, "days"))
    raise DataError(f"rule {rule.id} has no valid 'anchor' parameter (K, E or year)")


def due_by_rule(table: RuleTable, rule_id: str, key: str, period: ElectionPeriod, year: int,
                overrides: Overrides | None = None) -> tuple[Rule, dt.date]:
    """The due date of ``rule_id`` and the version that sets it: the version in force on the due
    date it gives itself (so the accounts for 2019 are due 15 February 2020 only if the old rule
    still applies then)."""
    fallback: tuple[Rule, dt.date] | None = None
    for version in table.versions(rule_id):
        rule = rule_with_overrides(table, rule_id, version.valid_from or dt.date.min, overrides)
        due = anchored_due(rule, key, period, year)
        if rule.applies_on(due):
            return rule, due
        fallback = fallback or (rule, due)
    if fallback is None:
        raise DataError(f"rule {rule_id} has no versions")
    return fallback


def consultation_minimum(
    table: RuleTable, min_rule: str, start: dt.date, end: dt.date, *, pad: bool,
    overrides: Overrides | None = None, key: str = "days",
) -> tuple[int, tuple[Padding, ...]]:
    """The rule's minimum length in days (parameter ``key``) for a window from ``start`` to
    ``end`` and the holiday padding (rule hearing-holidays) the window's overlaps add to it."""
    minimum = param_int(rule_with_overrides(table, min_rule, start, overrides), key)
    if not pad:
        return minimum, ()
    holiday_rule = rule_with_overrides(table, "hearing-holidays", start, overrides)
    found: tuple[HolidayPeriod, ...] = cal.overlapped_holidays(start, end)
    return minimum, tuple(Padding(holiday=h, days=param_int(holiday_rule, f"{h}_days"))
                          for h in found)


def padded_window_end(
    table: RuleTable, min_rule: str, start: dt.date, wanted_end: dt.date, *, pad: bool,
    overrides: Overrides | None = None, key: str = "days",
) -> tuple[dt.date, int, tuple[Padding, ...]]:
    """The earliest working day ending a window from ``start`` that is no earlier than
    ``wanted_end`` and lasts the rule's minimum plus the padding of the holidays it overlaps."""
    minimum = param_int(rule_with_overrides(table, min_rule, start, overrides), key)
    padding: tuple[Padding, ...] = ()
    while True:  # the padding only grows with the window, so this settles
        length = minimum + sum(p.days for p in padding)
        end = cal.working_day_on_or_after(max(wanted_end, start + dt.timedelta(days=length)))
        _, found = consultation_minimum(table, min_rule, start, end, pad=pad, overrides=overrides,
                                        key=key)
        if found == padding:
            return end, minimum, padding
        padding = found
