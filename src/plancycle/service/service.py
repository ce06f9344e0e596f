"""The plan service: followed terms in a database, read publicly, written with a bearer token.

:class:`Service` is what the HTTP layer (:mod:`plancycle.service.api`, the page) calls; it holds
the store, the configuration and the caches. Writes are checked exactly as ``plancycle record``
checks them (:meth:`plancycle.store.Store.record`, which runs :meth:`plancycle.term.Term.record`
on the stored term). Access (issue 9): reads are public; a write, and the audit trail, need a
token for that owner or an admin token (:meth:`TokenInfo.may_write`); a revoked token is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import TYPE_CHECKING

from plancycle.calendar_no import check_election_year
from plancycle.commands.status import status_json
from plancycle.errors import InputError, PlanCycleError
from plancycle.feed.app import FeedApp
from plancycle.feed.cache import LRUCache
from plancycle.feed.query import is_ascii_number
from plancycle.feed.terms import folder_fingerprint
from plancycle.i18n import Language
from plancycle.service.config import ServiceConfig
from plancycle.service.models import FactIn
from plancycle.service.sources import StoreSource
from plancycle.term import TermStatus

if TYPE_CHECKING:
    from plancycle.store import AuditEntry, RecordOutcome, Store, StoredFact, TokenInfo


class AuthRequired(PlanCycleError):
    """No valid token (none, unknown or revoked): HTTP 401 with ``WWW-Authenticate: Bearer``."""


class Forbidden(PlanCycleError):
    """A valid token for another owner: HTTP 403."""


class NotFound(InputError):
    """The URL names no term: an owner or election year that does not exist (HTTP 404)."""


class Service:
    """The plan service over one :class:`~plancycle.store.Store`; thread-safe."""

    def __init__(self, config: ServiceConfig, store: Store) -> None:
        self.config = config
        self.store = store
        self.source = StoreSource(store)
        self.feeds = FeedApp(config.feed_config(), source=self.source)
        self._status: LRUCache[bytes] = LRUCache(config.cache_size)

    # -- clocks (injected: the service reads none) ------------------------------------------------
    def now(self) -> dt.datetime:
        """"Now" for recorded facts and the audit trail: the configuration's clock, in UTC."""
        moment = self.config.clock()
        if moment.utcoffset() is None:
            return moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)

    def today(self) -> dt.date:
        """The day a status is for when the request names none: the day clock, else the
        configured ``today``, else the UTC date of :meth:`now`."""
        if self.config.today_clock is not None:
            return self.config.today_clock()
        if self.config.today is not None:
            return self.config.today
        return self.now().date()

    def feed_stamp(self) -> Hashable:
        """What every feed route's answer depends on besides the request: the database's
        change epoch (:class:`~plancycle.service.sources.ChangeGate`), the day overdue is
        flagged as of, and the files of the meeting-plan folder (size, time, inode)."""
        meetings = self.config.meetings_dir
        return (self.source.gate.epoch(), self.feeds.builder.today(),
                folder_fingerprint(meetings) if meetings is not None else ())

    # -- what a URL names -------------------------------------------------------------------------
    def term_ref(self, owner: str, election_year: str) -> tuple[str, int]:
        """The owner segment and election year of a URL (``1103``/``fylke-46`` and ``2027``);
        anything else is :class:`NotFound`."""
        from plancycle.store import owner_segment, parse_owner

        if len(election_year) != 4 or not is_ascii_number(election_year):
            raise NotFound(key="service_no_year", year=election_year[:20])
        try:
            year = check_election_year(int(election_year))
        except InputError:
            raise NotFound(key="service_no_year", year=election_year[:20]) from None
        try:  # the owner of that term: 1201 Bergen in 2015, 4601 from 2019
            segment = owner_segment(parse_owner(owner, year))
        except InputError as exc:
            raise NotFound(key="service_no_owner", owner=owner[:40], reason=exc) from None
        return segment, year

    # -- reads ------------------------------------------------------------------------------------
    def authenticate(self, token: str | None) -> TokenInfo | None:
        """The token's holder (None: no token, an unknown or a revoked one)."""
        return self.store.authenticate(token)

    def status(self, owner: str, election_year: int, today: dt.date,
               lang: Language) -> TermStatus:
        """The stored term on ``today`` (:meth:`plancycle.term.Term.status`)."""
        return self.store.term(owner, election_year).status(today, lang=lang)

    def status_json(self, owner: str, election_year: int, today: dt.date,
                    lang: Language) -> bytes:
        """The bytes of ``plancycle status --format json`` for the stored term, cached until
        the term's version in the database changes."""
        key = (owner, election_year, self.source.version(owner, election_year), today, lang)
        body = self._status.get(key)
        if body is None:
            body = status_json(self.status(owner, election_year, today, lang), lang).encode()
            self._status.put(key, body)
        return body

    def facts(self, owner: str, election_year: int) -> list[StoredFact]:
        """The current facts (public)."""
        return self.store.facts(owner, election_year)

    def audit(self, owner: str, election_year: int, token: TokenInfo | None) -> list[AuditEntry]:
        """The audit trail of the term, for a token that may write it."""
        self.check_access(owner, token)
        return self.store.audit(owner, election_year)

    # -- writes -----------------------------------------------------------------------------------
    def check_access(self, owner: str, token: TokenInfo | None) -> TokenInfo:
        """``token`` if it may write ``owner``'s terms; :class:`AuthRequired` without a valid
        token, :class:`Forbidden` with another owner's."""
        if token is None or token.revoked is not None:
            raise AuthRequired(key="service_auth_required")
        if not token.may_write(owner):
            raise Forbidden(key="service_forbidden", owner=owner)
        return token

    def record(self, owner: str, election_year: int, fact: FactIn,
               token: TokenInfo | None) -> RecordOutcome:
        """Record ``fact`` (see :meth:`plancycle.store.Store.record`): ``created`` False when
        the same fact was already recorded (nothing written)."""
        holder = self.check_access(owner, token)
        return self.store.record(owner, election_year, fact.milestone, fact.date, end=fact.end,
                                 replace=fact.replace, source=fact.source, token=holder,
                                 now=self.now())

    # -- links ------------------------------------------------------------------------------------
    def feed_links(self, owner: str, election_year: int, base_url: str) -> dict[str, str]:
        """The term's feed for subscribing: ``https`` (or ``http``) and ``webcal`` links, the
        election year named so the subscription stays on this term."""
        base = (self.config.base_url or base_url).rstrip("/")
        path = (f"/feeds/fylke/{owner.removeprefix('fylke-')}.ics" if owner.startswith("fylke-")
                else f"/feeds/{owner}.ics")
        link = f"{base}{path}?election={election_year}"
        webcal = "webcal://" + link.split("://", 1)[1]
        return {"https": link, "webcal": webcal}
