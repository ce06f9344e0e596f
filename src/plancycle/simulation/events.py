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
from plancycle.messages import Message, msg
from plancycle.models import PlanCycleModel

EventType = Literal["constituted", "delay", "meeting_cancelled", "published", "fire"]
EVENT_TYPES: tuple[EventType, ...] = ("constituted", "delay", "meeting_cancelled", "published",
                                      "fire")

#: The longest delay (``days`` + 7 × ``weeks``, either way) and notice (``days_before``) an event
#: may give, and the widest a variation may draw: ten years, twice a term. A date moved further
#: than that would be no plan at all (and far enough overflows the calendar).
MAX_DAYS = 3653


class ScenarioError(InputError):
    """A scenario (file or object) is wrong; the message names the file, the field and the
    problem (key ``scenario_problem``).

    ``problem`` is a keyed :class:`PlanCycleError` or a :class:`~plancycle.messages.Message`
    (kept as ``error``), so :meth:`in_language` gives it in the language asked for; ``problem``
    is its English text.
    """

    def __init__(self, field: str, problem: PlanCycleError | Message,
                 source: str | None = None) -> None:
        self.error = problem
        self.field, self.problem, self.source = field, str(problem), source
        super().__init__(key="scenario_problem", where=self._where(), problem=problem)

    def _where(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.field}: " if self.field else where

    def in_file(self, source: str) -> ScenarioError:
        return ScenarioError(self.field, self.error, source)


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


def _given(value: object) -> str:
    """A given value as the message shows it: its repr, cut to 200 characters."""
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "…"


_EXPECTED = {"string_type": "scn_a_text", "tuple_type": "scn_a_list", "list_type": "scn_a_list",
             "dict_type": "scn_a_table", "model_type": "scn_a_table"}


def pydantic_problem(error: ErrorDetails) -> PlanCycleError | Message:
    """The problem of one pydantic error, in words a user can act on (no field)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    given = _given(error.get("input"))
    types = ", ".join(EVENT_TYPES)
    inner = ctx.get("error")
    if kind == "value_error" and isinstance(inner, PlanCycleError):
        return inner
    simple = {"missing": "scn_missing", "extra_forbidden": "scn_unknown_field",
              "recursion_loop": "scn_nested"}
    if kind in simple:
        return msg(simple[kind])
    if kind == "union_tag_invalid":
        return msg("scn_unknown_event_type", tag=_given(ctx.get("tag")), allowed=types)
    if kind == "union_tag_not_found":
        return msg("scn_no_event_type", allowed=types)
    if kind == "literal_error":
        allowed = str(ctx.get("expected")).replace(" or ", ", ")
        return msg("scn_not_allowed", given=given, allowed=allowed)
    for prefix, key in (("int_", "scn_not_whole"), ("date_", "scn_not_date"),
                        ("bool_", "scn_not_bool")):
        if kind.startswith(prefix):
            return msg(key, given=given)
    if kind in _EXPECTED:
        return msg("scn_wrong_type", expected=msg(_EXPECTED[kind]), given=given)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), "")
        return msg(f"scn_{kind}", bound=str(bound), given=given)
    if kind == "too_long":
        return msg("scn_too_long", most=str(ctx.get("max_length", "")))
    # a check of pydantic's own (rare): its English words, with the value given
    return msg("scn_other", text=error["msg"].removeprefix("Value error, "), given=given)


def one_line(exc: ValidationError, source: str | None = None) -> ScenarioError:
    """The first problem of a pydantic ``ValidationError`` as a one-line :class:`ScenarioError`
    naming the field (and how many more problems there are)."""
    errors = exc.errors()
    first = errors[0]
    field = field_path(first["loc"])
    inner = (first.get("ctx") or {}).get("error")
    if isinstance(inner, ScenarioError):  # a nested checked model refused (its own one line)
        field = ".".join(part for part in (field, inner.field) if part)
        problem: PlanCycleError | Message = inner.error
    else:
        if first["type"].startswith("union_tag"):
            field += ".type"
        problem = pydantic_problem(first)
    if len(errors) > 1:
        problem = InputError(key="scenario_more_one" if len(errors) == 2 else "scenario_more_many",
                             problem=problem, count=len(errors) - 1)
    return ScenarioError(field, problem, source)


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
            raise ScenarioError("", msg("scn_nested")) from None
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

    def describe(self) -> Message:
        return msg("scn_describe_constituted", date=self.date.isoformat())


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
            raise InputError(key="scenario_delay_zero")
        if abs(self.total_days) > MAX_DAYS:
            raise InputError(key="scenario_delay_too_long", days=self.total_days, most=MAX_DAYS)
        return self

    @property
    def total_days(self) -> int:
        return self.days + 7 * self.weeks

    def describe(self) -> Message:
        key = "scn_describe_delay" + ("" if self.edge == "start" else "_end") \
            + ("_one" if abs(self.total_days) == 1 else "")
        return msg(key, milestone=self.milestone, days=self.total_days)


class MeetingCancelled(_Event):
    """The council meeting of ``date`` is cancelled; its decisions move (see the module doc)."""

    type: Literal["meeting_cancelled"]
    date: dt.date
    moved_to: dt.date | None = None

    @model_validator(mode="after")
    def _moved_later(self) -> MeetingCancelled:
        if self.moved_to is not None and self.moved_to <= self.date:
            raise InputError(key="scenario_moved_before", moved_to=self.moved_to.isoformat(),
                             date=self.date.isoformat())
        return self

    def describe(self) -> Message:
        return msg("scn_describe_cancelled", date=self.date.isoformat())


class Published(_Event):
    """A publication happens on ``date``, or ``days_before`` the decision it gives notice of."""

    type: Literal["published"]
    milestone: str
    date: dt.date | None = None
    days_before: int | None = Field(default=None, ge=0, le=MAX_DAYS)

    @model_validator(mode="after")
    def _one_of(self) -> Published:
        if (self.date is None) == (self.days_before is None):
            raise InputError(key="scenario_date_or_days_before")
        return self

    def describe(self) -> Message:
        if self.date is not None:
            return msg("scn_describe_published", milestone=self.milestone,
                       date=self.date.isoformat())
        days = self.days_before or 0
        return msg("scn_describe_published_before" + ("_one" if days == 1 else ""),
                   milestone=self.milestone, days=days)


class Fire(_Event):
    """Fire ``trigger`` on process instance ``process`` (``samfunnsdel``,
    ``action_economy_plan.2028``) on ``date``."""

    type: Literal["fire"]
    process: str
    trigger: str
    date: dt.date

    def describe(self) -> Message:
        return msg("scn_describe_fire", process=self.process, trigger=self.trigger,
                   date=self.date.isoformat())


Event = Annotated[Constituted | Delay | MeetingCancelled | Published | Fire,
                  Field(discriminator="type")]
