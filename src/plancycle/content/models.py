"""The content of the plans, as data: what each step of the term decides (issue 11).

The KS big-city study's model carries content from step to step (``../shared/seed``, the last
slides): the challenge picture (*utfordringsbilde*) from the public-health overview, surveys,
studies and the sectors' knowledge; the political guidelines (*politiske føringer*) from the
cross-party workshops; the samfunnsdel with its long lines (vision, main goals, a land-use
strategy) and its focus areas for the term (*satsingsområder*, which "may mean protection from
cuts, not new money"); and the action and economy plan that carries them year by year.

Each document is one file (TOML or Excel, :mod:`plancycle.content.files`) with a
``schema_version`` and is attached to the milestone that adopts or presents it
(:attr:`milestone`). These models are pure data: shapes and sizes here, references between
documents in :func:`plancycle.content.files.check_references`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

CONTENT_SCHEMA_VERSION = 1
#: Bounds every list and text a file can drive (issue rule: every size an input drives is bounded).
MAX_ITEMS = 300
MAX_TEXT = 2000

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9æøåÆØÅ][A-Za-z0-9æøåÆØÅ_.-]{0,39}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT, strip_whitespace=True)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
#: An SDG target number as the UN writes it: the goal, a dot, a number or a letter ("11.3", "11.a").
TargetNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}\.[0-9a-z]{1,2}$")]

EvidenceSource = Literal["public_health_overview", "survey", "study", "sector"]
FocusKind = Literal["new_money", "protect_from_cuts", "reprioritise"]
MeasureStatus = Literal["done", "started", "postponed", "dropped"]
DocumentKind = Literal["challenge_picture", "guidelines", "samfunnsdel", "budget"]

EVIDENCE_SOURCES: tuple[EvidenceSource, ...] = ("public_health_overview", "survey", "study",
                                                "sector")
FOCUS_KINDS: tuple[FocusKind, ...] = ("new_money", "protect_from_cuts", "reprioritise")
MEASURE_STATUSES: tuple[MeasureStatus, ...] = ("done", "started", "postponed", "dropped")
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("challenge_picture", "guidelines", "samfunnsdel",
                                            "budget")


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Data):
    """What a theme rests on: its ``source`` kind (the seed's "folkehelseoversikt,
    brukerundersøkelser, utredninger, kunnskap i sektorene") and a ``reference`` to it."""

    source: EvidenceSource
    reference: Text


class Theme(_Data):
    """One challenge: a short, pointed ``statement``, its evidence, the ``regional`` dimension
    where relevant (the municipality's place in the regional picture) and SDG targets."""

    id: Id
    title: Short
    statement: Text
    evidence: tuple[Evidence, ...] = Field(default=(), max_length=50)
    regional: Text | None = None
    sdg_targets: tuple[TargetNumber, ...] = Field(default=(), max_length=60)


class BaseDocument(_Data):
    """What every document file holds: its version, the municipality and term, a title and the
    day it was adopted."""

    schema_version: Literal[1] = 1
    municipality: Short | None = None
    election_year: int = Field(ge=2011, le=2099)
    title: Short | None = None
    #: The day the document was adopted or presented, when known (a followed term's recorded
    #: dates take precedence in the thread report).
    adopted: dt.date | None = None


class ChallengePicture(BaseDocument):
    """The *utfordringsbilde*: prepared by the administration in the election year and put before
    the new council (milestone ``samfunnsdel.challenge_picture``)."""

    kind: Literal["challenge_picture"] = "challenge_picture"
    MILESTONE: ClassVar[str] = "samfunnsdel.challenge_picture"
    themes: tuple[Theme, ...] = Field(min_length=1, max_length=MAX_ITEMS)

    @property
    def milestone(self) -> str:
        return self.MILESTONE


class Guideline(_Data):
    """A political guideline from the workshops, linked to the challenge ``themes`` it answers,
    with the ``parties`` or bodies behind it where recorded."""

    id: Id
    statement: Text
    themes: tuple[Id, ...] = Field(default=(), max_length=50)
    parties: tuple[Short, ...] = Field(default=(), max_length=30)


class Guidelines(BaseDocument):
    """The *politiske føringer* from the cross-party workshops (``samfunnsdel.political_workshop``)."""

    kind: Literal["guidelines"] = "guidelines"
    MILESTONE: ClassVar[str] = "samfunnsdel.political_workshop"
    guidelines: tuple[Guideline, ...] = Field(min_length=1, max_length=MAX_ITEMS)

    @property
    def milestone(self) -> str:
        return self.MILESTONE


class MainGoal(_Data):
    """A main goal: one of the samfunnsdel's long lines."""

    id: Id
    statement: Text
    sdg_targets: tuple[TargetNumber, ...] = Field(default=(), max_length=60)


class FocusArea(_Data):
    """A *satsingsområde* for the term: its ``kind`` (new money, protection from cuts, or
    reprioritising within the frame), the main ``goals`` and ``guidelines`` it comes from and SDG
    targets."""

    id: Id
    title: Short
    kind: FocusKind
    description: Text | None = None
    goals: tuple[Id, ...] = Field(default=(), max_length=50)
    guidelines: tuple[Id, ...] = Field(default=(), max_length=50)
    sdg_targets: tuple[TargetNumber, ...] = Field(default=(), max_length=60)


class Samfunnsdel(BaseDocument):
    """The kommuneplan's samfunnsdel (pbl § 11-2), adopted at ``samfunnsdel.adopted``: the long
    lines (vision, main goals, the land-use strategy as a bridge to the arealdel) and the focus
    areas of the term."""

    kind: Literal["samfunnsdel"] = "samfunnsdel"
    MILESTONE: ClassVar[str] = "samfunnsdel.adopted"
    vision: Text
    land_use_strategy: Text | None = None
    goals: tuple[MainGoal, ...] = Field(min_length=1, max_length=MAX_ITEMS)
    focus_areas: tuple[FocusArea, ...] = Field(min_length=1, max_length=MAX_ITEMS)

    @property
    def milestone(self) -> str:
        return self.MILESTONE


class Measure(_Data):
    """A *tiltak* of one budget year: the focus areas and main goals it serves, an ``amount`` in
    NOK where there is one, the indicators followed in the tertial and annual reports, and the
    report year's ``status`` once reported."""

    id: Id
    title: Short
    focus_areas: tuple[Id, ...] = Field(default=(), max_length=50)
    goals: tuple[Id, ...] = Field(default=(), max_length=50)
    amount: int | None = Field(default=None, ge=-10**12, le=10**12)
    indicators: tuple[Short, ...] = Field(default=(), max_length=30)
    status: MeasureStatus | None = None


class BudgetYear(BaseDocument):
    """The handlings- og økonomiplan's first year ``year`` (koml. § 14-4): adopted in December of
    the year before, at ``action_economy_plan.<year - 1>.adopted``."""

    kind: Literal["budget"] = "budget"
    year: int = Field(ge=2011, le=2104)
    measures: tuple[Measure, ...] = Field(default=(), max_length=MAX_ITEMS)

    @property
    def milestone(self) -> str:
        return f"action_economy_plan.{self.year - 1}.adopted"


Document = ChallengePicture | Guidelines | Samfunnsdel | BudgetYear
DOCUMENT_MODELS: dict[DocumentKind, type[BaseDocument]] = {
    "challenge_picture": ChallengePicture, "guidelines": Guidelines,
    "samfunnsdel": Samfunnsdel, "budget": BudgetYear,
}


class ContentSet(_Data):
    """One term's documents, checked against each other (:func:`~plancycle.content.files.load_content`)."""

    election_year: int
    municipality: str | None = None
    challenge_picture: ChallengePicture | None = None
    guidelines: Guidelines | None = None
    samfunnsdel: Samfunnsdel | None = None
    budgets: tuple[BudgetYear, ...] = ()

    def budget(self, year: int) -> BudgetYear | None:
        return next((b for b in self.budgets if b.year == year), None)
