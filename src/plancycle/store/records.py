"""What the store gives back: stored facts, tokens, audit entries (frozen dataclasses, no
SQLAlchemy in them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from plancycle.term import Fact

Scope = Literal["municipality", "county", "admin"]
SCOPES: tuple[Scope, ...] = ("municipality", "county", "admin")
Action = Literal["record", "replace", "import", "token_create", "token_revoke"]


@dataclass(frozen=True)
class StoredFact:
    """One row of the append-only facts: ``replaces`` the row it supersedes (a replacement is a
    new row), ``superseded_by`` the row that replaced it, ``token_id`` who recorded it (None:
    imported or recorded from the command line)."""

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
    token_id: int | None

    def fact(self) -> Fact:
        """The term's :class:`~plancycle.term.Fact` (with ``recorded`` and ``source``)."""
        return Fact(milestone=self.milestone, date=self.date, end=self.end,
                    recorded=self.recorded, source=self.source)

    def to_json_dict(self) -> dict[str, Any]:
        """The fact as the API shows it: dates in ISO 8601, no token id (council decisions are
        public, who holds which token is not)."""
        return {
            "id": self.id, "owner": self.owner, "election_year": self.election_year,
            "milestone": self.milestone, "date": self.date.isoformat(),
            "end": self.end.isoformat() if self.end else None, "source": self.source,
            "recorded": self.recorded.isoformat(), "replaces": self.replaces,
            "superseded_by": self.superseded_by,
        }


@dataclass(frozen=True)
class TokenInfo:
    """A token as the store knows it (never the token itself, only its id)."""

    id: int
    scope: Scope
    owner: str | None
    label: str | None
    created: dt.datetime
    revoked: dt.datetime | None

    def may_write(self, owner: str) -> bool:
        """Whether this token may write ``owner``'s terms (issue 9): an admin token any owner's,
        a municipality's or county's token its own owner's only; a revoked token none."""
        if self.revoked is not None:
            return False
        return self.scope == "admin" or (self.owner is not None and self.owner == owner)


@dataclass(frozen=True)
class AuditEntry:
    """Who did what and when: ``action`` ``record``, ``replace``, ``import``, ``token_create`` or
    ``token_revoke``, with the token (id and its label at the time) and what it touched."""

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

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": self.at.isoformat(), "action": self.action,
            "token_id": self.token_id, "token_label": self.token_label, "owner": self.owner,
            "election_year": self.election_year, "milestone": self.milestone,
            "fact_id": self.fact_id, "detail": self.detail,
        }


@dataclass(frozen=True)
class RecordOutcome:
    """What :meth:`Store.record` did: the fact as it stands, and whether a row was written
    (False: the same fact was already recorded)."""

    fact: StoredFact
    created: bool
