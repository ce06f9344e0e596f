"""The things that can happen in a scenario, as typed data (a pydantic discriminated union on ``type``).

=====================  ====================================================================
``constituted``        the constituent meeting K is held on ``date`` (defines the term's K)
``delay``              a milestone's start (or a phase's ``edge = "end"``) happens ``days`` /
                       ``weeks`` late; known from ``date`` (default: the scenario start)
``meeting_cancelled``  the council meeting on ``date`` is cancelled: the decisions planned that
                       day move to ``moved_to``, else the next meeting of the scenario's
                       ``council_meetings``, else the next council day
``published``          a publication (a step that must come a notice period before a decision,
                       e.g. ``planstrategi.proposal_public``) happens on ``date``, or
                       ``days_before`` the decision, which is then held as planned
``fire``               a raw trigger of one process instance on ``date`` (e.g. ``order_new_hearing``
                       on ``samfunnsdel``)
=====================  ====================================================================
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, NoReturn

from pydantic import ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from plancycle.errors import InputError, PlanCycleError
from plancycle.i18n import check_language
from plancycle.models import PlanCycleModel

EventType = Literal["constituted", "delay", "meeting_cancelled", "published", "fire"]
EVENT_TYPES: tuple[EventType, ...] = ("constituted", "delay", "meeting_cancelled", "published",
                                      "fire")

#: The longest delay (``days`` + 7 × ``weeks``, either way) and notice (``days_before``) an event
#: may give, and the widest a variation may draw: ten years, twice a term. A date moved further
#: than that would be no plan at all (and far enough overflows the calendar).
MAX_DAYS = 3653


class ScenarioError(InputError):
    """A scenario (file or object) is wrong; the message names the field (and the file).

    ``problem`` is the text (English), or a :class:`PlanCycleError` (kept as ``error``) whose
    message it is, so :meth:`in_language` gives it in the language asked for.
    """

    def __init__(self, field: str, problem: str | PlanCycleError,
                 source: str | None = None) -> None:
        self.error = problem if isinstance(problem, PlanCycleError) else None
        self.field, self.problem, self.source = field, str(problem), source
        super().__init__(self._where() + self.problem)

    def _where(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.field}: " if self.field else where

    def in_language(self, lang: str) -> str:
        if self.error is not None:
            return self._where() + self.error.in_language(check_language(lang))
        return str(self)

    def in_file(self, source: str) -> ScenarioError:
        return ScenarioError(self.field, self.error or self.problem, source)


# -- pydantic errors as one line ------------------------------------------------------------------
def field_path(loc: tuple[int | str, ...]) -> str:
    """``("events", 2, "delay", "days")`` → ``events[2].days`` (the union tag is left out)."""
    out = ""
    for i, item in enumerate(loc):
        if isinstance(item, int):
            out += f"[{item}]"
        elif i >= 2 and isinstance(loc[i - 1], int) and loc[i - 2] == "events" \
                and item in EVENT_TYPES:
            continue
        else:
            out += f".{item}" if out else item
    return out


def _problem(error: ErrorDetails) -> str:
    kind, given, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field here (check the spelling)"
    if kind == "union_tag_invalid":
        return (f"unknown event type {ctx.get('tag')!r}: use one of {', '.join(EVENT_TYPES)}")
    if kind == "union_tag_not_found":
        return f"has no type: use one of {', '.join(EVENT_TYPES)}"
    if kind == "literal_error":
        return f"{given!r} is not allowed: use {ctx.get('expected')}"
    if kind.startswith("int_"):
        return f"must be a whole number, not {given!r}"
    if kind.startswith("date_"):
        return f"must be a date (YYYY-MM-DD), not {given!r}"
    if kind.startswith("bool_"):
        return f"must be true or false, not {given!r}"
    if kind in ("string_type", "tuple_type", "list_type", "dict_type", "model_type"):
        expected = {"string_type": "text", "tuple_type": "a list", "list_type": "a list",
                    "dict_type": "a table", "model_type": "a table"}[kind]
        return f"must be {expected}, not {given!r}"
    if kind == "recursion_loop":
        return "is nested too deeply"
    message = error["msg"].removeprefix("Value error, ")
    return message if kind == "value_error" else f"{message} (given {given!r})"


def one_line(exc: ValidationError, source: str | None = None) -> ScenarioError:
    """The first problem of a pydantic ``ValidationError`` as a one-line :class:`ScenarioError`
    naming the field (and how many more problems there are)."""
    errors = exc.errors()
    first = errors[0]
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" \
        if len(errors) > 1 else ""
    field = field_path(first["loc"])
    inner = (first.get("ctx") or {}).get("error")
    if isinstance(inner, ScenarioError):  # a nested checked model refused (its own one line)
        field = ".".join(part for part in (field, inner.field) if part)
        return ScenarioError(field, inner.error or (inner.problem + more), source)
    if first["type"].startswith("union_tag"):
        field += ".type"
    text = _problem(first)
    if len(text) > 300:  # a huge given value: the line names it, it need not repeat it
        text = text[:300] + "…"
    return ScenarioError(field, text + more, source)


class Checked(PlanCycleModel):
    """A part of a scenario: a :class:`~plancycle.models.PlanCycleModel` that refuses wrong
    input with a one-line :class:`ScenarioError` naming the field of the scenario (file), not a
    ``ValidationError``: when constructed and in :meth:`model_validate` (and the JSON and
    strings variants).

    pydantic calls a model's own ``__init__`` for nested models too; the refusal of a nested one
    reaches the outer :func:`one_line` as the cause of a ``value_error``, which adds the outer
    part of the field path.
    """

    @classmethod
    def _refuse(cls, error: ValidationError | RecursionError) -> NoReturn:
        if isinstance(error, RecursionError):
            raise ScenarioError("", "is nested too deeply") from None
        raise one_line(error) from error


class _Event(Checked):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @property
    def when(self) -> dt.date | None:
        """The day the event happens or becomes known (None: from the scenario start)."""
        return getattr(self, "date", None)


class Constituted(_Event):
    """The constituent meeting (K) is held on ``date``."""

    type: Literal["constituted"]
    date: dt.date

    def describe(self) -> str:
        return f"constituted {self.date.isoformat()}"


class Delay(_Event):
    """``milestone`` starts (or, with ``edge = "end"``, a phase ends) ``days`` + 7 × ``weeks``
    late; a negative total means early. Dependent milestones move with it."""

    type: Literal["delay"]
    milestone: str
    edge: Literal["start", "end"] = "start"
    days: int = Field(default=0, ge=-MAX_DAYS, le=MAX_DAYS)
    weeks: int = Field(default=0, ge=-(MAX_DAYS // 7), le=MAX_DAYS // 7)
    date: dt.date | None = None

    @model_validator(mode="after")
    def _not_zero(self) -> Delay:
        if self.total_days == 0:
            raise ValueError("a delay needs days or weeks (not zero)")
        if abs(self.total_days) > MAX_DAYS:
            raise ValueError(f"a delay of {self.total_days} days is more than {MAX_DAYS} days "
                             "(ten years) either way")
        return self

    @property
    def total_days(self) -> int:
        return self.days + 7 * self.weeks

    def describe(self) -> str:
        edge = "" if self.edge == "start" else " (end)"
        return f"delay {self.milestone}{edge} by {self.total_days} days"


class MeetingCancelled(_Event):
    """The council meeting of ``date`` is cancelled; its decisions move (see the module doc)."""

    type: Literal["meeting_cancelled"]
    date: dt.date
    moved_to: dt.date | None = None

    @model_validator(mode="after")
    def _moved_later(self) -> MeetingCancelled:
        if self.moved_to is not None and self.moved_to <= self.date:
            raise ValueError(f"moved_to {self.moved_to.isoformat()} must be after the cancelled "
                             f"meeting {self.date.isoformat()}")
        return self

    def describe(self) -> str:
        return f"meeting {self.date.isoformat()} cancelled"


class Published(_Event):
    """A publication happens on ``date``, or ``days_before`` the decision it gives notice of."""

    type: Literal["published"]
    milestone: str
    date: dt.date | None = None
    days_before: int | None = Field(default=None, ge=0, le=MAX_DAYS)

    @model_validator(mode="after")
    def _one_of(self) -> Published:
        if (self.date is None) == (self.days_before is None):
            raise ValueError("give exactly one of date and days_before")
        return self

    def describe(self) -> str:
        when = (self.date.isoformat() if self.date is not None
                else f"{self.days_before} days before the decision")
        return f"{self.milestone} published {when}"


class Fire(_Event):
    """Fire ``trigger`` on process instance ``process`` (``samfunnsdel``,
    ``action_economy_plan.2028``) on ``date``."""

    type: Literal["fire"]
    process: str
    trigger: str
    date: dt.date

    def describe(self) -> str:
        return f"fire {self.process}.{self.trigger} on {self.date.isoformat()}"


Event = Annotated[Constituted | Delay | MeetingCancelled | Published | Fire,
                  Field(discriminator="type")]
