"""The database as the feeds' source of followed terms and of the register.

A stored term replaces the plan feed of its owner and year, as a term file did; its calendar is
replayed from every fact row (:func:`plancycle.term_calendar.history_revisions`), so a
replaced fact still raises SEQUENCE. Caches are keyed by the database's versions
(:meth:`Store.version`, :meth:`Store.register_version`), so a write made through any process
reaches every process's next request, and nothing depends on a timer.

The versions are read again only when :class:`ChangeGate` says something may have been
committed since they were read. On PostgreSQL (and any other database) that is one query of
:meth:`Store.change_stamp` (the sum of all versions, which every change raises). On SQLite it
is ``PRAGMA data_version`` on one connection, which "will be different if changes were
committed to the database by any other connection in the interim"
(https://sqlite.org/pragma.html#pragma_data_version). The gate's connection only reads, so
every commit, by this process or another, changes the number it sees; an unchanged number
means every version read since is still current.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from plancycle.feed.cache import LRUCache
from plancycle.feed.register import Register
from plancycle.feed.render import FollowedTerm
from plancycle.municipalities import County, Municipality

if TYPE_CHECKING:
    from plancycle.store import Store

#: Followed terms kept per process (owners × election years; each is small).
MAX_TERMS = 4096


class ChangeGate:
    """Whether anything was committed since an epoch (see the module doc): :meth:`epoch` is a
    number that changes whenever a commit may have happened. SQLite: ``PRAGMA data_version``;
    any other database: ``stamp`` (:meth:`plancycle.store.Store.change_stamp`, one query), or,
    without it, a new epoch at every call."""

    def __init__(self, url: str, stamp: Callable[[], int] | None = None) -> None:
        from sqlalchemy.engine import make_url

        self._stamp = stamp
        self._lock = threading.Lock()
        self._epoch = 0
        self._seen: int | None = None
        self._connection: sqlite3.Connection | None = None
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            try:
                self._connection = sqlite3.connect(f"file:{parsed.database}?mode=ro", uri=True,
                                                   check_same_thread=False)
                self._connection.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:  # not there (yet): read the versions every time
                self._connection = None

    def epoch(self) -> int:
        with self._lock:
            if self._connection is not None:
                seen = int(self._connection.execute("PRAGMA data_version").fetchone()[0])
            elif self._stamp is not None:
                seen = self._stamp()
            else:
                self._epoch += 1
                return self._epoch
            if seen != self._seen:
                self._seen = seen
                self._epoch += 1
            return self._epoch

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class StoreSource:
    """A :class:`~plancycle.feed.render.FeedSource` reading a :class:`~plancycle.store.Store`;
    thread-safe (the caches lock, the store is shared by threads)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.gate = ChangeGate(store.url, store.change_stamp)
        self._versions: LRUCache[tuple[int, int]] = LRUCache(MAX_TERMS)  # key: (epoch, version)
        self._terms: LRUCache[tuple[int, FollowedTerm]] = LRUCache(MAX_TERMS)
        self._register: LRUCache[Register] = LRUCache(4)

    def version(self, segment: str, election_year: int) -> int:
        """:meth:`Store.version`, read again only when something may have been committed."""
        return self._version((segment, election_year),
                             lambda: self.store.version(segment, election_year))

    def register_version(self) -> int:
        return self._version(("register",), self.store.register_version)

    def _version(self, key: Hashable, read: Callable[[], int]) -> int:
        epoch = self.gate.epoch()  # before reading: a commit after it is a new epoch
        cached = self._versions.get(key)
        if cached is not None and cached[0] == epoch:
            return cached[1]
        version = read()
        self._versions.put(key, (epoch, version))
        return version

    def followed(self, owner: Municipality | County, election_year: int) -> FollowedTerm | None:
        """The stored term of ``owner`` and ``election_year`` (None before anything is stored).
        The version is read before the rows, so rows newer than it are at worst read again."""
        from plancycle.store import owner_segment

        segment = owner_segment(owner)
        version = self.version(segment, election_year)
        if version == 0:
            return None
        key = (segment, election_year)
        cached = self._terms.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        term = self.store.term(segment, election_year)
        history = tuple(row.fact() for row in self.store.history(segment, election_year))
        entry = FollowedTerm(f"{segment}/{election_year}", ("db", version), term, history)
        self._terms.put(key, (version, entry))
        return entry

    def register(self) -> tuple[Hashable, Register]:
        """The register kept in the database and its version."""
        version = self.register_version()
        register = self._register.get(version)
        if register is None:
            register = self.store.register()
            self._register.put(version, register)
        return ("db", version), register
