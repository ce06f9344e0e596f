"""The plan register: a municipality's plans and the planstrategi's decision on each (pbl § 10-1).

pbl § 10-1 has the planstrategi consider the municipality's planning needs for the term and
decide whether the kommuneplan (or parts of it) is revised or kept; every planstrategi document
carries a table of the plans with a decision and a start year for each. This module holds that
table as data: :class:`Plan` (one plan), :class:`Decision` (the decision on one plan) and
:class:`PlanRegister` (both, checked together). The files (TOML, CSV, XLSX) are read and written
by :mod:`plancycle.plans.files`; :func:`load_plan_register` and :func:`write_plan_register` choose
the format by the file's suffix.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal, Self, get_args

from pydantic import ValidationInfo, field_validator, model_validator

from plancycle.errors import InputError
from plancycle.i18n import Language
from plancycle.models import PlanCycleModel

__all__ = ["COLUMNS", "DECISION_KINDS", "MAX_PLANS", "PLAN_ID", "PLAN_STATUSES", "PLAN_TYPES",
           "REGISTER_SCHEMA_VERSION", "Decision", "DecisionKind", "Plan", "PlanRegister",
           "PlanStatus", "PlanType", "load_plan_register", "parse_start", "write_plan_register"]

PlanType = Literal["samfunnsdel", "arealdel", "kommunedelplan", "regional_plan", "temaplan",
                   "strategi", "handlingsplan", "other"]
PlanStatus = Literal["in_force", "under_revision", "repealed"]
DecisionKind = Literal["revise", "keep", "new", "repeal", "merge"]

PLAN_TYPES: tuple[PlanType, ...] = get_args(PlanType)
PLAN_STATUSES: tuple[PlanStatus, ...] = get_args(PlanStatus)
DECISION_KINDS: tuple[DecisionKind, ...] = get_args(DecisionKind)

#: A plan id: a slug chosen by the municipality (it becomes part of milestone ids and UIDs).
PLAN_ID = r"^[a-z0-9][a-z0-9-]{0,39}$"
_PLAN_ID = re.compile(PLAN_ID)

#: The columns of the CSV and XLSX files, in order (the template's).
COLUMNS = ("id", "title", "type", "owner", "adopted", "period_end", "status", "url",
           "decision", "start", "target", "merge_into")

#: The file format's version (``schema_version``).
REGISTER_SCHEMA_VERSION = 1
#: At most this many plans in one register (a big city has a few hundred).
MAX_PLANS = 5_000
#: The longest texts allowed, by field.
MAX_TEXT = {"title": 300, "legal_basis": 200, "owner": 120, "url": 2_000, "tag": 60}
MAX_TAGS = 20

_START = re.compile(r"(?P<year>[0-9]{4})(?:-[Qq](?P<quarter>[1-4]))?")


def parse_start(text: str) -> dt.date:
    """A start of work as the planstrategi tables write it: ``2028`` (1 January), ``2028-Q3``
    (the first day of the quarter, 1 July) or a date ``2028-09-01``; else :class:`InputError`."""
    value = text.strip()
    found = _START.fullmatch(value)
    if found:
        quarter = int(found["quarter"] or 1)
        year = int(found["year"])
        if year >= 1:
            return dt.date(year, 3 * quarter - 2, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(key="plan_bad_start", value=value[:40]) from None


def _check_text(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    limit = MAX_TEXT[field]
    if len(value) > limit:
        raise InputError(key="plan_text_too_long", field=field, length=len(value), limit=limit)
    return value


class Plan(PlanCycleModel, extra="forbid"):
    """One plan of the register: what it is, who owns it, when it was last adopted."""

    id: str
    title: str
    type: PlanType
    legal_basis: str | None = None
    owner: str | None = None
    adopted: dt.date | None = None
    period_end: dt.date | None = None
    status: PlanStatus = "in_force"
    url: str | None = None
    tags: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _PLAN_ID.fullmatch(value):
            raise InputError(key="plan_bad_id", value=value[:60])
        return value

    @field_validator("title")
    @classmethod
    def _check_title(cls, value: str) -> str:
        if not value.strip():
            raise InputError(key="plan_empty_title")
        return _check_text("title", value) or value

    @field_validator("legal_basis", "owner")
    @classmethod
    def _check_short(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        return _check_text(str(info.field_name), value.strip() or None)

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        """Only a web address: the overview links to it, so ``javascript:`` never gets there."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        _check_text("url", value)
        if not re.fullmatch(r"https?://[^\s<>\"']+", value):
            raise InputError(key="plan_bad_url", value=value[:80])
        return value

    @field_validator("tags")
    @classmethod
    def _check_tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(value) > MAX_TAGS:
            raise InputError(key="plan_too_many_tags", count=len(value), limit=MAX_TAGS)
        for tag in value:
            _check_text("tag", tag)
        return value


class Decision(PlanCycleModel, extra="forbid"):
    """The planstrategi's decision on one plan: revise it (work starting ``start``, optionally
    adopted by ``target``), keep it, make it (``new``), repeal it, or merge it into another.
    ``consultation``: a theme plan's, strategy's or action plan's consultation is held (practice;
    False leaves it out of the plan's process)."""

    plan: str
    decision: DecisionKind
    start: dt.date | None = None
    target: dt.date | None = None
    merge_into: str | None = None
    consultation: bool = True

    @field_validator("start", mode="before")
    @classmethod
    def _read_start(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_start(value) if value.strip() else None
        if isinstance(value, int) and not isinstance(value, bool):
            return parse_start(str(value))
        return value

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.merge_into is not None and self.decision != "merge":
            raise InputError(key="plan_merge_into_without_merge", plan=self.plan,
                             decision=self.decision)
        if self.decision == "merge" and self.merge_into is None:
            raise InputError(key="plan_merge_without_into", plan=self.plan)
        if self.merge_into == self.plan:
            raise InputError(key="plan_merge_into_itself", plan=self.plan)
        if self.start is not None and self.decision not in ("revise", "new"):
            raise InputError(key="plan_start_not_allowed", plan=self.plan,
                             decision=self.decision)
        if self.start and self.target and self.target < self.start:
            raise InputError(key="plan_target_before_start", plan=self.plan,
                             target=self.target.isoformat(), start=self.start.isoformat())
        return self


class PlanRegister(PlanCycleModel, extra="forbid"):
    """All plans of one municipality (or county authority) and the planstrategi's decisions.

    Checked together: plan ids unique, every decision names a plan of the register, at most one
    decision per plan, ``merge_into`` names another plan of the register.
    """

    schema_version: int = REGISTER_SCHEMA_VERSION
    plans: tuple[Plan, ...]
    decisions: tuple[Decision, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.schema_version != REGISTER_SCHEMA_VERSION:
            raise InputError(key="plan_schema_version", version=self.schema_version,
                             allowed=REGISTER_SCHEMA_VERSION)
        if len(self.plans) > MAX_PLANS:
            raise InputError(key="plan_too_many", count=len(self.plans), limit=MAX_PLANS)
        ids: set[str] = set()
        for plan in self.plans:
            if plan.id in ids:
                raise InputError(key="plan_duplicate_id", plan=plan.id)
            ids.add(plan.id)
        decided: set[str] = set()
        for decision in self.decisions:
            if decision.plan not in ids:
                raise InputError(key="plan_decision_unknown_plan", plan=decision.plan)
            if decision.plan in decided:
                raise InputError(key="plan_decision_twice", plan=decision.plan)
            decided.add(decision.plan)
            if decision.merge_into is not None and decision.merge_into not in ids:
                raise InputError(key="plan_merge_into_unknown", plan=decision.plan,
                                 target=decision.merge_into)
        return self

    def plan(self, plan_id: str) -> Plan:
        """The plan with id ``plan_id``; :class:`InputError` when the register has none."""
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        raise InputError(key="plan_unknown", plan=plan_id[:60])

    def decision(self, plan_id: str) -> Decision | None:
        """The planstrategi's decision on ``plan_id``, or None (not decided on)."""
        for decision in self.decisions:
            if decision.plan == plan_id:
                return decision
        return None


def load_plan_register(path: str | Path, *, lang: Language = "nb") -> PlanRegister:
    """The register in ``path``, by suffix: ``.toml`` (``[[plan]]`` tables with the CSV's keys),
    ``.csv`` or ``.xlsx``. Anything wrong is one :class:`~plancycle.errors.DataError` line naming
    the file, row and column (``lang`` is the language of cell words in messages)."""
    from plancycle.plans.files import read_register

    return read_register(Path(path), lang=lang)


def write_plan_register(register: PlanRegister, path: str | Path) -> None:
    """Write ``register`` to ``path`` (atomically), in the format of its suffix."""
    from plancycle.plans.files import write_register

    write_register(register, Path(path))
