"""The plan service's store: followed terms, their append-only facts, tokens, the audit trail
and the feed register in one database (SQLite in a file, or PostgreSQL), through SQLAlchemy 2.

Every method that writes takes ``now`` (the store reads no clock) and runs in one transaction:
the fact row(s), the audit entry and the version bump are written together or not at all.
Writers of one owner's term are serialised (:func:`plancycle.store.facts.lock_term`), so
concurrent writers lose nothing and duplicate nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from plancycle.calendar_no import check_election_year
from plancycle.errors import InputError, wrong_type
from plancycle.feed.register import Register
from plancycle.municipalities import County, Municipality
from plancycle.store import access, register_rows, schema, tables
from plancycle.store.engine import DEFAULT_DATABASE, open_engine, parse_url, shown_url, transaction
from plancycle.store.facts import (
    TermWriter,
    check_now,
    check_text,
    fact_rows,
    make_term,
)
from plancycle.store.owners import owner_segment, parse_owner
from plancycle.store.records import AuditEntry, RecordOutcome, Scope, StoredFact, TokenInfo
from plancycle.term import Fact, Term


@dataclass(frozen=True)
class ImportOutcome:
    """What :meth:`Store.import_all` wrote: fact rows, terms changed (options or facts) and
    register rows (decisions and meeting patterns)."""

    facts: int
    terms_changed: int
    register_rows: int

    @property
    def changed(self) -> bool:
        return bool(self.facts or self.terms_changed or self.register_rows)


class Store:
    """One database; thread-safe (a pool of connections). Open with :meth:`open`."""

    def __init__(self, url: str) -> None:
        parsed = parse_url(url)
        self.engine = open_engine(parsed)
        self.url = shown_url(parsed)

    @classmethod
    def open(cls, url: str = DEFAULT_DATABASE) -> Store:
        """The store at ``url`` (a bad URL is an :class:`InputError`); nothing is migrated."""
        return cls(url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------------
    def upgrade(self) -> str:
        """Migrate to the newest revision; that revision."""
        return schema.upgrade(self.engine)

    def revision(self) -> str | None:
        """The database's revision (None: no plancycle schema)."""
        return schema.revision(self.engine)

    def check_revision(self) -> None:
        """Raise :class:`~plancycle.store.schema.SchemaMismatchError` unless at the newest."""
        schema.check_revision(self.engine)

    # -- terms and facts -------------------------------------------------------------------------
    def term(self, owner: str, election_year: int) -> Term:
        """The term as stored: its settings (as imported, or a term file's defaults) and its
        current facts."""
        entity, segment = _owner(owner, election_year)
        with transaction(self.engine) as connection:
            row = _term_row(connection, segment, election_year)
            if row is None:
                return make_term(entity, election_year, None, [])
            facts = fact_rows(connection, row.id, segment, election_year, current=True)
            return make_term(entity, election_year, row.settings, facts)

    def facts(self, owner: str, election_year: int) -> list[StoredFact]:
        """The current fact rows (none superseded), oldest first."""
        return self._fact_rows(owner, election_year, current=True)

    def history(self, owner: str, election_year: int) -> list[StoredFact]:
        """Every fact row, superseded ones too, oldest first."""
        return self._fact_rows(owner, election_year, current=False)

    def _fact_rows(self, owner: str, election_year: int, *, current: bool) -> list[StoredFact]:
        _, segment = _owner(owner, election_year)
        with transaction(self.engine) as connection:
            row = _term_row(connection, segment, election_year)
            if row is None:
                return []
            return fact_rows(connection, row.id, segment, election_year, current=current)

    def record(self, owner: str, election_year: int, milestone: str, date: dt.date, *,
               end: dt.date | None = None, replace: bool = False, source: str | None = None,
               token: TokenInfo | None = None, now: dt.datetime) -> RecordOutcome:
        """Record one fact, checked as ``plancycle record`` checks it
        (:meth:`plancycle.term.Term.record`): :class:`~plancycle.errors.FactConflictError` when
        it contradicts a recorded fact without ``replace``, another ``InputError`` (or a
        ``RuleViolation`` in strict mode) when it is invalid; the same fact again writes nothing
        (``created`` False)."""
        entity, segment = _owner(owner, election_year)
        now = check_now(now)
        if not isinstance(milestone, str):
            raise wrong_type("Store.record", "milestone", "str", milestone)
        check_text(milestone, "milestone", tables.MILESTONE_LENGTH)
        check_text(source, "source", tables.SOURCE_LENGTH)
        if not isinstance(replace, bool):
            raise wrong_type("Store.record", "replace", "bool", replace)
        with transaction(self.engine, write=True) as connection:
            writer = TermWriter.open(connection, entity, segment, election_year, now)
            outcome = writer.record(_fact(milestone, date, end, source), replace=replace,
                                    token=token, action="record", now=now)
            writer.finish(now)
            return outcome

    def put_term(self, term: Term, *, now: dt.datetime, replace_settings: bool = True,
                 replace_facts: bool = False) -> int:
        """Store ``term``'s options (unless options are stored and not ``replace_settings``)
        and record each of its facts as :meth:`record` does (audit action ``import``; a fact's
        own ``recorded`` is kept); idempotent. The number of fact rows written."""
        return self.import_all([term], None, now=now, replace_settings=replace_settings,
                               replace_facts=replace_facts).facts

    def import_all(self, terms: Sequence[Term], register: Register | None, *, now: dt.datetime,
                   replace_settings: bool = True, replace_facts: bool = False) -> ImportOutcome:
        """:meth:`put_term` for each of ``terms`` and :meth:`import_register` for ``register``,
        in one transaction: all of it is written, or (on any error) nothing."""
        now = check_now(now)
        for term in terms:
            if not isinstance(term, Term):
                raise wrong_type("Store.put_term", "term", "Term", term)
            for fact in term.facts:
                check_text(fact.milestone, "milestone", tables.MILESTONE_LENGTH)
                check_text(fact.source, "source", tables.SOURCE_LENGTH)
        if register is not None and not isinstance(register, Register):
            raise wrong_type("Store.import_register", "register", "Register", register)
        facts = changed = rows = 0
        with transaction(self.engine, write=True) as connection:
            for term in terms:
                entity = term.owner()
                if entity is None:
                    raise InputError(key="store_term_no_owner")
                writer = TermWriter.open(connection, entity, owner_segment(entity),
                                         term.election_year, now)
                if replace_settings or not writer.has_settings:
                    writer.put_settings(term, now)
                for fact in term.facts:
                    facts += writer.record(fact, replace=replace_facts, token=None,
                                           action="import", now=now).created
                changed += writer.changed
                writer.finish(now)
            if register is not None:
                rows = register_rows.save(connection, register)
                if rows:
                    access.audit(connection, "import", now, None, detail=f"register: {rows}")
        return ImportOutcome(facts=facts, terms_changed=changed, register_rows=rows)

    def owners(self) -> list[tuple[str, int]]:
        """Every (owner, election year) with a stored term, in order."""
        with transaction(self.engine) as connection:
            rows = connection.execute(select(tables.terms.c.owner, tables.terms.c.election_year)
                                      .order_by(tables.terms.c.owner,
                                                tables.terms.c.election_year))
            return [(row.owner, row.election_year) for row in rows]

    # -- change detection ------------------------------------------------------------------------
    def version(self, owner: str, election_year: int) -> int:
        """The term's version: 0 before anything is stored, bumped by every change."""
        _, segment = _owner(owner, election_year)
        with transaction(self.engine) as connection:
            row = _term_row(connection, segment, election_year)
            return 0 if row is None else int(row.version)

    def change_stamp(self) -> int:
        """A number that grows with every change of any term or of the register (the sum of
        the versions, each only ever bumped): one query, for caches in many processes."""
        with transaction(self.engine) as connection:
            terms = connection.execute(
                select(func.coalesce(func.sum(tables.terms.c.version), 0))).scalar_one()
            return int(terms) + register_rows.version(connection)

    def register_version(self) -> int:
        """The feed register's version, bumped by every import that changes it."""
        with transaction(self.engine) as connection:
            return register_rows.version(connection)

    # -- the feed register -----------------------------------------------------------------------
    def register(self) -> Register:
        """The feed register kept in the database."""
        with transaction(self.engine) as connection:
            return register_rows.load(connection)

    def import_register(self, register: Register, *, now: dt.datetime) -> int:
        """Add what ``register`` holds that the database does not; the rows written (0: it was
        all there). One audit entry when something was written."""
        return self.import_all([], register, now=now).register_rows

    # -- tokens and audit ------------------------------------------------------------------------
    def create_token(self, scope: Scope, owner: str | None = None, *, label: str | None = None,
                     now: dt.datetime) -> tuple[str, TokenInfo]:
        """A new token for ``scope`` (and ``owner``): the token itself, shown only now (only its
        hash is stored), and what the store keeps of it."""
        now = check_now(now)
        with transaction(self.engine, write=True) as connection:
            return access.create_token(connection, scope, owner, label, now)

    def tokens(self) -> list[TokenInfo]:
        """Every token, revoked ones too, oldest first."""
        with transaction(self.engine) as connection:
            rows = connection.execute(select(tables.tokens).order_by(tables.tokens.c.id))
            return [access.token_info(row) for row in rows]

    def revoke_token(self, token_id: int, *, now: dt.datetime) -> TokenInfo:
        """Revoke a token (an unknown id is an :class:`InputError`; revoking twice is fine)."""
        if isinstance(token_id, bool) or not isinstance(token_id, int):
            raise wrong_type("Store.revoke_token", "token_id", "int", token_id)
        now = check_now(now)
        with transaction(self.engine, write=True) as connection:
            return access.revoke_token(connection, token_id, now)

    def authenticate(self, token: str | None) -> TokenInfo | None:
        """The live token ``token`` is (sha-256 lookup, constant-time comparison), or None for a
        missing, unknown, revoked or oversized one."""
        with transaction(self.engine) as connection:
            return access.authenticate(connection, token)

    def audit(self, owner: str, election_year: int) -> list[AuditEntry]:
        """Who recorded or replaced what in the term, and when, oldest first."""
        _, segment = _owner(owner, election_year)
        with transaction(self.engine) as connection:
            return access.audit_entries(connection, segment, election_year)


def _owner(owner: str, election_year: int) -> tuple[Municipality | County, str]:
    check_election_year(election_year)
    entity = parse_owner(owner, election_year)
    return entity, owner_segment(entity)


def _term_row(connection: Connection, owner: str, election_year: int) -> Any:
    return connection.execute(select(tables.terms).where(
        tables.terms.c.owner == owner, tables.terms.c.election_year == election_year,
    )).one_or_none()


def _fact(milestone: str, date: dt.date, end: dt.date | None, source: str | None) -> Fact:
    """The fact to record; a date of the wrong type is refused by :meth:`Term.record` first."""
    for name, value in (("date", date), ("end", end)):
        if value is not None and (not isinstance(value, dt.date)
                                  or isinstance(value, dt.datetime)):
            raise InputError(key="fact_not_a_date", id=milestone, field=name, value=repr(value))
    return Fact(milestone=milestone, date=date, end=end, source=source)
