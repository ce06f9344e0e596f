"""Writing one owner's term: facts recorded through :meth:`plancycle.term.Term.record` (every
check lives there), as append-only rows, with an audit entry and the term's version bumped, in
the transaction of the caller, which holds the term's lock (:func:`lock_term`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from plancycle.errors import InputError, wrong_type
from plancycle.municipalities import County, Municipality
from plancycle.store import tables
from plancycle.store.records import Action, RecordOutcome, StoredFact, TokenInfo
from plancycle.term import Fact, Term

#: At most this many fact rows (current and superseded) per term: a term has about a hundred
#: milestones, so this leaves room for a hundred corrections of each.
MAX_FACT_ROWS = 10_000
#: The term file's options kept in ``terms.settings`` (the rest is the row's owner and year),
#: the planstrategi's plan register and decisions among them (issue 10).
SETTINGS = ("model", "mode", "constituted", "election_day", "practice", "council_meetings",
            "instances", "handlingsdel_notice", "plans")


def check_text(value: str | None, field: str, limit: int) -> None:
    """Refuse a stored text that is not text, too long, or not one line."""
    if value is None:
        return
    if not isinstance(value, str):
        raise wrong_type("Store", field, "str", value)
    if len(value) > limit:
        raise InputError(key="store_text_too_long", field=field, length=len(value), limit=limit)
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise InputError(key="store_text_control", field=field)


def check_now(now: dt.datetime) -> dt.datetime:
    """``now`` in UTC; a naive or non-datetime ``now`` is refused (the store reads no clock)."""
    if not isinstance(now, dt.datetime) or now.utcoffset() is None:
        raise wrong_type("Store", "now", "an aware datetime", now)
    return now.astimezone(dt.UTC)


def settings_of(term: Term) -> dict[str, Any]:
    """The options of ``term`` as stored (JSON)."""
    return term.model_dump(mode="json", include=set(SETTINGS))


def make_term(owner: Municipality | County, election_year: int, settings: dict[str, Any] | None,
              facts: list[StoredFact]) -> Term:
    """The term of a stored row: its settings (None: a term file's defaults) and facts."""
    field = "county" if isinstance(owner, County) else "municipality"
    return Term.model_validate({**(settings or {}), "election_year": election_year,
                                field: owner.number, "facts": [f.fact() for f in facts]})


def stored_fact(row: Row[Any], owner: str, election_year: int) -> StoredFact:
    return StoredFact(id=row.id, owner=owner, election_year=election_year,
                      milestone=row.milestone, date=row.date, end=row.end, source=row.source,
                      recorded=row.recorded, replaces=row.replaces,
                      superseded_by=row.superseded_by, token_id=row.token_id)


def fact_rows(connection: Connection, term_id: int, owner: str, election_year: int, *,
              current: bool) -> list[StoredFact]:
    """The term's fact rows, oldest first: the current ones, or every one."""
    query = select(tables.facts).where(tables.facts.c.term_id == term_id)
    if current:
        query = query.where(tables.facts.c.superseded_by.is_(None))
    rows = connection.execute(query.order_by(tables.facts.c.id))
    return [stored_fact(row, owner, election_year) for row in rows]


def lock_term(connection: Connection, owner: str, election_year: int,
              now: dt.datetime) -> Row[Any]:
    """The term's row, made if missing, locked for this transaction: PostgreSQL
    ``SELECT … FOR UPDATE`` (the row made first with ``ON CONFLICT DO NOTHING``, so two first
    writers do not both make it); SQLite holds the database's write lock already
    (``BEGIN IMMEDIATE``, :mod:`plancycle.store.engine`)."""
    values = {"owner": owner, "election_year": election_year, "settings": None, "version": 0,
              "created": now, "updated": now}
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(postgresql.insert(tables.terms).values(**values)
                           .on_conflict_do_nothing(index_elements=["owner", "election_year"]))
    else:
        connection.execute(sqlite.insert(tables.terms).values(**values)
                           .on_conflict_do_nothing(index_elements=["owner", "election_year"]))
    query = select(tables.terms).where(tables.terms.c.owner == owner,
                                       tables.terms.c.election_year == election_year)
    if dialect == "postgresql":
        query = query.with_for_update()
    return connection.execute(query).one()


@dataclass
class TermWriter:
    """One locked term being written: its stored term and current rows, kept up to date as
    facts are recorded, so an import of a hundred facts reads the rows once."""

    connection: Connection
    term_id: int
    owner: str
    election_year: int
    term: Term
    current: dict[str, StoredFact]
    rows: int
    has_settings: bool
    changed: bool = False

    @classmethod
    def open(cls, connection: Connection, owner_entity: Municipality | County, owner: str,
             election_year: int, now: dt.datetime) -> TermWriter:
        row = lock_term(connection, owner, election_year, now)
        facts = fact_rows(connection, row.id, owner, election_year, current=True)
        rows = connection.execute(select(func.count()).select_from(tables.facts)
                                  .where(tables.facts.c.term_id == row.id)).scalar_one()
        return cls(connection, row.id, owner, election_year,
                   make_term(owner_entity, election_year, row.settings, facts),
                   {fact.milestone: fact for fact in facts}, rows, row.settings is not None)

    def put_settings(self, term: Term, now: dt.datetime) -> None:
        """Store ``term``'s options (checked against the facts already recorded)."""
        settings = settings_of(term)
        if settings == settings_of(self.term):
            return
        updated = Term.model_validate({**self.term.model_dump(),
                                       **{name: getattr(term, name) for name in SETTINGS}})
        updated.check_facts()  # the facts already stored must fit the new options
        self.connection.execute(update(tables.terms).where(tables.terms.c.id == self.term_id)
                                .values(settings=settings, updated=now))
        self.term, self.changed, self.has_settings = updated, True, True

    def record(self, fact: Fact, *, replace: bool, token: TokenInfo | None, action: Action,
               now: dt.datetime) -> RecordOutcome:
        """Record ``fact`` (its ``recorded``, or ``now``); see :meth:`Store.record`."""
        recorded = fact.recorded or now
        new = self.term.record(fact.milestone, fact.date, end=fact.end, replace=replace,
                               recorded=recorded, source=fact.source)
        old = self.current.get(fact.milestone)
        if new is self.term:
            assert old is not None  # Term.record returns itself only for a recorded fact
            return RecordOutcome(old, False)
        if self.rows >= MAX_FACT_ROWS:
            raise InputError(key="store_too_many_facts", owner=self.owner,
                             year=self.election_year, limit=MAX_FACT_ROWS)
        stored = new.fact(fact.milestone)
        assert stored is not None
        fact_id = self.connection.execute(insert(tables.facts).values(
            term_id=self.term_id, milestone=stored.milestone, date=stored.date, end=stored.end,
            source=stored.source, recorded=recorded, replaces=old.id if old else None,
            superseded_by=None, token_id=token.id if token else None,
        ).returning(tables.facts.c.id)).scalar_one()
        if old is not None:
            self.connection.execute(update(tables.facts).where(tables.facts.c.id == old.id)
                                    .values(superseded_by=fact_id))
            if action == "record" and replace:
                action = "replace"
        self.connection.execute(insert(tables.audit).values(
            at=now, action=action, token_id=token.id if token else None,
            token_label=token.label if token else None, owner=self.owner,
            election_year=self.election_year, milestone=stored.milestone, fact_id=fact_id,
            detail=_dates(old.fact()) + " -> " + _dates(stored) if old else _dates(stored)))
        row = StoredFact(id=fact_id, owner=self.owner, election_year=self.election_year,
                         milestone=stored.milestone, date=stored.date, end=stored.end,
                         source=stored.source, recorded=recorded,
                         replaces=old.id if old else None, superseded_by=None,
                         token_id=token.id if token else None)
        self.term, self.current[row.milestone], self.changed = new, row, True
        self.rows += 1
        return RecordOutcome(row, True)

    def finish(self, now: dt.datetime) -> None:
        """Bump the term's version if anything changed (caches elsewhere see it)."""
        if self.changed:
            self.connection.execute(update(tables.terms).where(tables.terms.c.id == self.term_id)
                                    .values(version=tables.terms.c.version + 1, updated=now))


def _dates(fact: Fact) -> str:
    return fact.date.isoformat() + (f"/{fact.end.isoformat()}" if fact.end else "")
