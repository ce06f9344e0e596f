"""The data plancycle hands out: election periods, milestones and schedules (pydantic, pure data)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from plancycle.calendar_no import HolidayPeriod, check_election_year, election_day
from plancycle.errors import InputError
from plancycle.i18n import Language
from plancycle.municipalities import County, Municipality
from plancycle.processes.definition import Kind, ProcessModel, ProcessName
from plancycle.rules import Binding, Confidence, LegalBasis

#: The contract fields of a milestone (domain.md §4), in output order.
MILESTONE_FIELDS: tuple[str, ...] = (
    "id", "process", "kind", "title", "start", "end", "due", "binding", "basis", "confidence",
    "provisional",
)


class ElectionPeriod(BaseModel):
    """One electoral term: election year Y, election day E and constituent meeting K.

    A schedule covers 1 January of Y through 31 October of Y+4.
    """

    model_config = ConfigDict(frozen=True)

    election_year: int
    election_day: dt.date
    election_day_provisional: bool
    election_day_confidence: Confidence
    constituted: dt.date
    constituted_assumed: bool

    @classmethod
    def for_year(cls, year: int, *, election_day_override: dt.date | None = None,
                 constituted: dt.date | None = None) -> ElectionPeriod:
        """The period of election ``year``, validating any user-given dates.

        Without ``constituted``, K defaults to the third Thursday of October of Y (a common
        choice, well inside the 31 October limit), marked as assumed.
        """
        check_election_year(year)
        known = election_day(year)
        if election_day_override is not None:
            if election_day_override.year != year or election_day_override.month != 9:
                raise InputError(key="election_day_not_september",
                                 date=election_day_override.isoformat(), year=year)
            day, provisional, confidence = election_day_override, False, known.confidence
        else:
            day, provisional, confidence = known.date, known.provisional, known.confidence
        assumed = constituted is None
        if constituted is None:
            constituted = default_constituted(year)
        if constituted <= day:
            raise InputError(key="constituted_not_after_election", date=constituted.isoformat(),
                             election_day=day.isoformat())
        if constituted > dt.date(year, 12, 31):
            raise InputError(key="constituted_after_year", date=constituted.isoformat(), year=year)
        return cls(election_year=year, election_day=day, election_day_provisional=provisional,
                   election_day_confidence=confidence, constituted=constituted,
                   constituted_assumed=assumed)

    @property
    def start(self) -> dt.date:
        return dt.date(self.election_year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.election_year + 4, 10, 31)

    @property
    def constituted_late(self) -> bool:
        """True when K is after 31 October of Y (constitution rule violated)."""
        return self.constituted > dt.date(self.election_year, 10, 31)


def default_constituted(year: int) -> dt.date:
    """The assumed K: the third Thursday of October of ``year``."""
    first = dt.date(year, 10, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=2)


class Padding(BaseModel):
    """Days added to a consultation window because it overlaps a holiday (rule hearing-holidays)."""

    model_config = ConfigDict(frozen=True)

    holiday: HolidayPeriod
    days: int


MilestoneFlag = Literal["no_council_meeting"]


class Milestone(BaseModel):
    """One dated item of the plan cycle; its JSON form has exactly the fields of domain.md §4.

    ``rules``, ``todo``, ``min_days``, ``padding``, ``papers`` (the day a council decision's
    papers must be published) and ``flags`` (e.g. ``no_council_meeting``: no meeting in the
    council's meeting plan fits before the due date) serve descriptions and checks and are left
    out of the JSON contract.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    process: ProcessName
    kind: Kind
    title: str
    start: dt.date
    end: dt.date
    due: dt.date | None
    binding: Binding
    basis: tuple[LegalBasis, ...]
    confidence: Confidence
    provisional: bool
    rules: tuple[str, ...] = Field(default=(), exclude=True)
    todo: str = Field(default="", exclude=True)
    min_days: int | None = Field(default=None, exclude=True)
    padding: tuple[Padding, ...] = Field(default=(), exclude=True)
    papers: dt.date | None = Field(default=None, exclude=True)
    flags: tuple[MilestoneFlag, ...] = Field(default=(), exclude=True)

    @property
    def key(self) -> str:
        """The id without the year of a yearly item (``action_economy_plan.adopted``)."""
        parts = self.id.split(".")
        return f"{parts[0]}.{parts[-1]}"

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The planned days that must be working days: the day, or a window's first and last."""
        return (self.start,) if self.start == self.end else (self.start, self.end)


class Schedule(BaseModel):
    """The milestones of one term for one municipality (or none) and one process model."""

    model_config = ConfigDict(frozen=True)

    period: ElectionPeriod
    model: ProcessModel
    lang: Language
    municipality: Municipality | None = None
    county: County | None = None
    milestones: tuple[Milestone, ...]
    warnings: tuple[str, ...] = ()

    def milestone(self, milestone_id: str) -> Milestone:
        for item in self.milestones:
            if item.id == milestone_id:
                return item
        raise KeyError(milestone_id)

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON contract of the CLI (``plancycle schedule --format json``)."""
        owner = self.municipality or self.county
        return {
            "election_year": self.period.election_year,
            "model": self.model,
            "municipality": {"number": owner.number, "name": owner.name} if owner else None,
            "election_day": self.period.election_day.isoformat(),
            "constituted": self.period.constituted.isoformat(),
            "constituted_assumed": self.period.constituted_assumed,
            "milestones": [m.model_dump(mode="json") for m in self.milestones],
            "warnings": list(self.warnings),
        }
