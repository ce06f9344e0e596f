"""Opening a database: the URL checked, SQLite set up for several writers, and the two kinds of
transaction the store uses (reading, and writing one owner's term serialised).

SQLite: WAL (readers do not wait for a writer), a busy timeout, foreign keys on, and every write
transaction started with ``BEGIN IMMEDIATE`` (the write lock is taken first, so two writers never
both read and then both write; pysqlite's own transaction handling is switched off for that, the
recipe of the SQLAlchemy documentation). PostgreSQL: the caller locks the term's row
(``SELECT … FOR UPDATE``, :mod:`plancycle.store.store`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from plancycle.errors import DataError, InputError

DEFAULT_DATABASE = "sqlite:///plancycle.db"
#: How long a writer waits for another one's lock before it gives up (milliseconds).
BUSY_TIMEOUT_MS = 30_000
#: A database URL longer than this is refused unread.
MAX_URL = 2_000
#: The execution option that makes a transaction a write (``BEGIN IMMEDIATE`` on SQLite).
WRITE = "plancycle_write"


def parse_url(url: str) -> URL:
    """``url`` as a SQLAlchemy URL of SQLite or PostgreSQL (``postgresql://`` means psycopg 3);
    anything else is an :class:`InputError` naming the forms allowed."""
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL:
        raise InputError(key="store_bad_url", url=repr(url)[:60])
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise InputError(key="store_bad_url", url=url[:60]) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise InputError(key="store_bad_url", url=shown_url(parsed))
    if parsed.drivername.startswith("sqlite") and parsed.database in (None, "", ":memory:"):
        raise InputError(key="store_memory_url", url=shown_url(parsed))
    return parsed


def shown_url(url: URL) -> str:
    """The URL as messages show it: the password hidden."""
    return url.render_as_string(hide_password=True)


def open_engine(url: URL) -> Engine:
    """An engine for ``url`` (nothing is connected yet)."""
    try:
        if url.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"check_same_thread": False,
                                                      "timeout": BUSY_TIMEOUT_MS / 1000})
            _set_up_sqlite(engine)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise InputError(key="store_bad_url_reason", url=shown_url(url),
                         reason=_first_line(exc)) from None


def _set_up_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, record: Any) -> None:
        del record
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" below starts transactions
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextlib.contextmanager
def transaction(engine: Engine, *, write: bool = False,
                migrating: bool = False) -> Iterator[Connection]:
    """A connection in a transaction, committed at the end (rolled back on an error); a database
    that cannot be reached or used is a one-line :class:`DataError`. ``migrating``: SQLite's
    foreign keys are off meanwhile (batch migrations copy a table and drop the old one, which a
    foreign key to it would refuse; Alembic's advice) and checked before the commit."""
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            raw: Any = connection.connection.dbapi_connection
            if migrating and sqlite:  # outside a transaction, or the pragma does nothing
                raw.execute("PRAGMA foreign_keys = OFF")
            try:
                if write or migrating:
                    connection = connection.execution_options(**{WRITE: True})
                with connection.begin():
                    yield connection
                    if migrating and sqlite:
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                        if broken is not None:
                            raise DataError(key="store_unavailable", url=shown_url(engine.url),
                                            reason=f"foreign key check: {tuple(broken)}")
            finally:
                if migrating and sqlite:
                    raw.execute("PRAGMA foreign_keys = ON")
    except OperationalError as exc:
        raise DataError(key="store_unavailable", url=shown_url(engine.url),
                        reason=_first_line(exc.orig or exc)) from None
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise DataError(key="store_unavailable", url=shown_url(engine.url),
                            reason=_first_line(exc.orig or exc)) from None
        raise


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
