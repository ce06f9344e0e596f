"""The store's tables as the code reads and writes them (SQLAlchemy Core).

The schema itself is made by the migrations (:mod:`plancycle.store.migrations`); these
definitions must match the head revision (``tests/test_store_migrations.py`` compares them).

- ``terms``: one row per owner and election year; ``settings`` (JSON) the term file's options
  (None: the defaults), ``version`` bumped on every change (caches in other processes compare it).
- ``facts``: append-only (issue 9: the feed's history is replayable from the database alone); a
  replacement is a new row naming the row it ``replaces``, and only the old row's
  ``superseded_by`` is ever updated. The current facts are the rows not superseded.
- ``tokens``: the sha-256 of each token, never the token; ``audit``: who did what and when.
- ``register_decisions`` and ``meeting_patterns``: the feed register
  (:mod:`plancycle.feed.register`), one row per state; ``counters``: the register's version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

#: Lengths of the stored texts (the checks before writing use the same numbers).
OWNER_LENGTH = 16
MILESTONE_LENGTH = 200
SOURCE_LENGTH = 2_000
LABEL_LENGTH = 200
DETAIL_LENGTH = 2_000
PLAN_NAME_LENGTH = 255
PATTERN_LENGTH = 2_000
HASH_LENGTH = 64


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime in and out: PostgreSQL keeps a ``timestamptz``, SQLite (which has
    no time zones) a naive UTC text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


metadata = MetaData()

terms = Table(
    "terms", metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String(OWNER_LENGTH), nullable=False),
    Column("election_year", Integer, nullable=False),
    Column("settings", JSON, nullable=True),
    Column("version", Integer, nullable=False, default=0),
    Column("created", UTCDateTime, nullable=False),
    Column("updated", UTCDateTime, nullable=False),
    UniqueConstraint("owner", "election_year", name="uq_terms_owner_year"),
)

facts = Table(
    "facts", metadata,
    Column("id", Integer, primary_key=True),
    Column("term_id", Integer, ForeignKey("terms.id"), nullable=False, index=True),
    Column("milestone", String(MILESTONE_LENGTH), nullable=False),
    Column("date", Date, nullable=False),
    Column("end", Date, nullable=True),
    Column("source", String(SOURCE_LENGTH), nullable=True),
    Column("recorded", UTCDateTime, nullable=False),
    Column("replaces", Integer, ForeignKey("facts.id"), nullable=True),
    Column("superseded_by", Integer, ForeignKey("facts.id"), nullable=True),
    Column("token_id", Integer, ForeignKey("tokens.id"), nullable=True),
)

tokens = Table(
    "tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(HASH_LENGTH), nullable=False, unique=True),
    Column("scope", String(16), nullable=False),
    Column("owner", String(OWNER_LENGTH), nullable=True),
    Column("label", String(LABEL_LENGTH), nullable=True),
    Column("created", UTCDateTime, nullable=False),
    Column("revoked", UTCDateTime, nullable=True),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("action", String(16), nullable=False),
    Column("token_id", Integer, ForeignKey("tokens.id"), nullable=True),
    Column("token_label", String(LABEL_LENGTH), nullable=True),
    Column("owner", String(OWNER_LENGTH), nullable=True),
    Column("election_year", Integer, nullable=True),
    Column("milestone", String(MILESTONE_LENGTH), nullable=True),
    Column("fact_id", Integer, ForeignKey("facts.id"), nullable=True),
    Column("detail", String(DETAIL_LENGTH), nullable=True),
)

register_decisions = Table(
    "register_decisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_key", String(8), nullable=False),
    Column("election_year", Integer, nullable=False),
    Column("recorded", UTCDateTime, nullable=False),
    Column("constituted", Date, nullable=True),
    Column("election_day", Date, nullable=True),
    Column("meetings", String(PLAN_NAME_LENGTH), nullable=True),
    UniqueConstraint("owner_key", "election_year", "recorded", name="uq_register_state"),
)

meeting_patterns = Table(
    "meeting_patterns", metadata,
    Column("plan", String(PLAN_NAME_LENGTH), primary_key=True),
    Column("pattern", String(PATTERN_LENGTH), nullable=False),
)

counters = Table(
    "counters", metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

#: The counter of the feed register's version.
REGISTER_COUNTER = "register"
