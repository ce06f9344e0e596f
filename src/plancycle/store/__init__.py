"""The plan service's database (issue 9): followed terms and their append-only facts, tokens,
the audit trail and the feed register, through SQLAlchemy 2 with Alembic migrations shipped in
the package. Needs the ``service`` extra; ``import plancycle`` does not import this package.

>>> store = Store.open("sqlite:///plancycle.db")   # doctest: +SKIP
>>> store.upgrade()                                # doctest: +SKIP
'0002'
"""

from plancycle.store.engine import DEFAULT_DATABASE
from plancycle.store.owners import owner_segment, parse_owner
from plancycle.store.records import AuditEntry, RecordOutcome, Scope, StoredFact, TokenInfo
from plancycle.store.schema import SchemaMismatchError
from plancycle.store.store import ImportOutcome, Store

__all__ = ["DEFAULT_DATABASE", "AuditEntry", "ImportOutcome", "RecordOutcome", "SchemaMismatchError", "Scope",
           "Store", "StoredFact", "TokenInfo", "owner_segment", "parse_owner"]
