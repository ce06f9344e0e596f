"""The API's request and response bodies (pydantic), documented in ``/openapi.json``.

The status body is :meth:`plancycle.term.TermStatus.to_json_dict` (the JSON of ``plancycle
status --format json``); :class:`StatusOut` only describes it. Facts and audit entries are
built here from the store's rows, so the document and the bytes come from one model.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from plancycle.checks import Violation
from plancycle.measures import TermMeasures
from plancycle.term import TermMilestone

#: The longest milestone id and source text a fact may carry.
MAX_MILESTONE = 200
MAX_SOURCE = 500


class FactIn(BaseModel):
    """The body of ``POST …/facts``: ``milestone`` happened on ``date`` (a phase: opened on
    ``date``, closed on ``end``); ``replace`` corrects a fact recorded with other dates;
    ``source`` says where it is documented (a URL, a case number)."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={
        "examples": [{"milestone": "planstrategi.adopted", "date": "2028-03-02",
                      "source": "https://innsyn.example.no/sak/2028/123"}]})

    milestone: str = Field(min_length=1, max_length=MAX_MILESTONE)
    date: dt.date
    end: dt.date | None = None
    replace: bool = False
    source: str | None = Field(default=None, max_length=MAX_SOURCE)


class FactOut(BaseModel):
    """A recorded fact as the database holds it: a replacement is a new row (``replaces`` the
    old one, which gets ``superseded_by``)."""

    id: int
    owner: str
    election_year: int
    milestone: str
    date: dt.date
    end: dt.date | None
    source: str | None
    recorded: dt.datetime
    replaces: int | None
    superseded_by: int | None


class FactsOut(BaseModel):
    """The current facts of a followed term (public: council decisions are public)."""

    owner: str
    election_year: int
    facts: list[FactOut]


class AuditOut(BaseModel):
    """One entry of the audit trail: who (the token's id and label) did what, when."""

    id: int
    at: dt.datetime
    action: str
    token_id: int | None
    token_label: str | None
    owner: str | None
    election_year: int | None
    milestone: str | None
    fact_id: int | None
    detail: str | None


class AuditListOut(BaseModel):
    owner: str
    election_year: int
    entries: list[AuditOut]


class ErrorOut(BaseModel):
    """Every API error: one line in the asked language (``?lang=nb|nn|en``)."""

    error: str


class OwnerOut(BaseModel):
    number: str
    name: str


class StatusOut(BaseModel):
    """The JSON of ``plancycle status --format json``: ``municipality`` or ``county``."""

    today: dt.date
    election_year: int
    model: str
    municipality: OwnerOut | None = None
    county: OwnerOut | None = None
    milestones: list[TermMilestone]
    violations: list[Violation]
    forecast: list[Violation]
    measures: TermMeasures | None
    warnings: list[str]


class HealthOut(BaseModel):
    status: str


def fact_out(row: Any) -> FactOut:
    """A :class:`~plancycle.store.StoredFact` as the API shows it (no token id)."""
    return FactOut(id=row.id, owner=row.owner, election_year=row.election_year,
                   milestone=row.milestone, date=row.date, end=row.end, source=row.source,
                   recorded=row.recorded, replaces=row.replaces, superseded_by=row.superseded_by)


def audit_out(entry: Any) -> AuditOut:
    """An :class:`~plancycle.store.AuditEntry` as the API shows it."""
    return AuditOut(id=entry.id, at=entry.at, action=entry.action, token_id=entry.token_id,
                    token_label=entry.token_label, owner=entry.owner,
                    election_year=entry.election_year, milestone=entry.milestone,
                    fact_id=entry.fact_id, detail=entry.detail)
