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
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EventType = Literal["constituted", "delay", "meeting_cancelled", "published", "fire"]
EVENT_TYPES: tuple[EventType, ...] = ("constituted", "delay", "meeting_cancelled", "published",
                                      "fire")


class _Event(BaseModel):
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
    days: int = 0
    weeks: int = 0
    date: dt.date | None = None

    @model_validator(mode="after")
    def _not_zero(self) -> Delay:
        if self.total_days == 0:
            raise ValueError("a delay needs days or weeks (not zero)")
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
    days_before: int | None = Field(default=None, ge=0)

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
