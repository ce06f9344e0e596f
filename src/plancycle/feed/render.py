"""Feed documents: one owner's term as versioned iCalendar bytes, with ETag and Last-Modified.

Shared by the server (:mod:`plancycle.feed.app`) and static publishing (``plancycle publish``),
so both give the same bytes for the same inputs. A followed term in the configuration's
``terms_dir`` (:mod:`plancycle.feed.terms`) replaces the plan feed of its owner and year. A
:class:`FeedSource` (the plan service's database) may give the followed terms and the register
instead of files; the feeds are built the same way from either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from plancycle.errors import PlanCycleError
from plancycle.feed.cache import LRUCache
from plancycle.feed.config import FeedConfig
from plancycle.feed.names import plan_path
from plancycle.feed.query import FeedOptions
from plancycle.feed.register import (
    EMPTY,
    Register,
    RegisterFile,
    RegisterProblem,
    State,
    owner_key,
)
from plancycle.feed.terms import (
    EMPTY_TERMS,
    TermEntry,
    TermIndex,
    TermProblem,
    folder_fingerprint,
    load_terms,
)
from plancycle.ical import Revision, versioned_ical
from plancycle.meetings import MeetingPlan, load_meeting_plan, term_window
from plancycle.models import ElectionPeriod
from plancycle.municipalities import County, Municipality
from plancycle.schedule import ScheduleOptions, build_schedule
from plancycle.term import Fact, Term
from plancycle.term_calendar import history_to_ical, term_to_ical

CALENDAR_TYPE = "text/calendar; charset=utf-8"
#: The defaults (before any recorded decision) sort before every decision.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LAST_MODIFIED = re.compile(rb"^LAST-MODIFIED:(\d{8}T\d{6})Z\r?$", re.MULTILINE)

Fingerprint = tuple[int, int, int] | None
TermsFingerprint = tuple[tuple[str, tuple[int, int, int]], ...]


@dataclass(frozen=True)
class Document:
    """A response body with the validators HTTP caches and subscribers use."""

    body: bytes
    content_type: str
    etag: str
    last_modified: dt.datetime
    filename: str | None = None
    warnings: tuple[str, ...] = ()


def make_document(body: bytes, content_type: str, last_modified: dt.datetime, *,
                  filename: str | None = None, warnings: tuple[str, ...] = ()) -> Document:
    """A :class:`Document` with a strong ETag (a hash of the body)."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Document(body, content_type, etag, last_modified, filename, warnings)


def content_last_modified(body: bytes) -> dt.datetime:
    """The latest LAST-MODIFIED in an iCalendar body: the feed changed then, not "now"."""
    stamps = _LAST_MODIFIED.findall(body)  # UTC basic format: text order is time order
    if not stamps:
        return EPOCH
    return dt.datetime.strptime(max(stamps).decode(), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class FollowedTerm:
    """A followed term whose calendar replaces an owner's plan feed: ``name`` (the term file, or
    the database's ``owner/year``) for messages, a ``stamp`` that changes whenever the term does
    (a folder fingerprint, a database version), the ``term`` with its current facts and, from a
    database, the ``history`` of every fact version recorded, oldest first (None: the term's
    facts are its history, as in a term file)."""

    name: str
    stamp: Hashable
    term: Term
    history: tuple[Fact, ...] | None = None

    @classmethod
    def from_entry(cls, entry: TermEntry) -> FollowedTerm:
        return cls(entry.file, entry.fingerprint, entry.term)

    def calendar(self, today: dt.date | None, options: FeedOptions) -> bytes:
        """The term's calendar (:mod:`plancycle.term_calendar`)."""
        if self.history is None:
            return term_to_ical(self.term, today=today, lang=options.lang, alarms=options.alarms,
                                plans=options.plan_choice)
        return history_to_ical(self.term, self.history, today=today, lang=options.lang,
                               alarms=options.alarms, plans=options.plan_choice)


class FeedSource(Protocol):
    """Where a :class:`FeedBuilder` takes followed terms and the register from instead of files
    (the plan service's database: :class:`plancycle.service.sources.StoreSource`)."""

    def register(self) -> tuple[Hashable, Register]:
        """The register and a stamp that changes whenever it does."""
        ...

    def followed(self, owner: Municipality | County, election_year: int) -> FollowedTerm | None:
        """The followed term of ``owner`` and ``election_year``, if one is followed."""
        ...


@dataclass(frozen=True)
class FeedInputs:
    """What one feed depends on: its cache ``key``, the register ``history`` of the owner's term
    (and the ``register``), the followed ``term`` that replaces it (if any) and ``today``."""

    key: tuple[object, ...]
    history: tuple[State, ...]
    register: Register
    term: FollowedTerm | None = None
    today: dt.date | None = None


def _fingerprint(path: Path) -> Fingerprint:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class FeedBuilder:
    """Builds feed documents from a :class:`FeedConfig`; thread-safe.

    The register, meeting plans and term files are read when first needed and read again when
    their files change (size, modification time or inode), so an edit reaches the next request.
    The register is read through a :class:`~plancycle.feed.register.RegisterFile`: a bad decision
    is left out, a broken or deleted file keeps the last version that could be read. Term files
    left out and register problems are kept for :meth:`take_problems` (the server logs each once).
    """

    def __init__(self, config: FeedConfig, source: FeedSource | None = None) -> None:
        self.config = config
        self.source = source
        self._lock = threading.Lock()
        self._register = (RegisterFile(config.register)
                          if config.register is not None and source is None else None)
        self._terms: tuple[TermsFingerprint, TermIndex] | None = None
        self._problems: list[TermProblem] = []
        self._reported: set[str] = set()
        self._plans: LRUCache[MeetingPlan] = LRUCache(64)

    def register(self) -> tuple[Hashable, Register]:
        """The register to serve and its fingerprint (a hash of the bytes it was read from;
        None without a register, or while none could be read and the defaults serve; the
        source's stamp with a :class:`FeedSource`)."""
        if self.source is not None:
            return self.source.register()
        if self._register is None:
            return None, EMPTY
        return self._register.current()

    def terms(self) -> TermIndex:
        """The followed terms of ``terms_dir``, reread when a term file changes."""
        folder = self.config.terms_dir
        if folder is None:
            return EMPTY_TERMS
        stamp = folder_fingerprint(folder)
        with self._lock:
            if self._terms is None or self._terms[0] != stamp:
                index = load_terms(folder)
                self._terms = (stamp, index)
                lines = {problem.message("en"): problem for problem in index.problems}
                self._problems.extend(p for line, p in lines.items() if line not in self._reported)
                self._reported = set(lines)  # a file fixed and broken again is reported again
            return self._terms[1]

    def take_problems(self) -> list[TermProblem | RegisterProblem]:
        """The term files and register parts left out since the last call (each once, until
        it is fixed)."""
        with self._lock:
            problems: list[TermProblem | RegisterProblem] = [*self._problems]
            self._problems = []
        if self._register is not None:
            problems.extend(self._register.take_problems())
        return problems

    def today(self) -> dt.date | None:
        """The day overdue milestones are flagged as of (None: not flagged)."""
        if self.config.clock is not None:
            return self.config.clock()
        return self.config.today

    def inputs(self, owner: Municipality | County, options: FeedOptions) -> FeedInputs:
        """All a feed depends on: its cache key, its history, the register, the followed term."""
        entry = self.followed(owner, options.election_year)
        if entry is not None:
            today = self.today()
            key = (owner_key(owner), options.election_year, options.lang, options.alarms,
                   options.plans, "term", entry.name, entry.stamp, today)
            return FeedInputs(key, (), EMPTY, entry, today)
        return self._plan_inputs(owner, options)

    def followed(self, owner: Municipality | County, election_year: int) -> FollowedTerm | None:
        """The followed term that replaces the plan feed (from the source, else ``terms_dir``)."""
        if self.source is not None:
            return self.source.followed(owner, election_year)
        entry = self.terms().get(owner, election_year)
        return FollowedTerm.from_entry(entry) if entry is not None else None

    def feed(self, owner: Municipality | County, options: FeedOptions,
             inputs: FeedInputs | None = None) -> Document:
        """The feed of one owner's term: one revision for the defaults and one for each recorded
        decision, URL options applied to every revision (see :mod:`plancycle.ical`); or, when a
        term file follows the term, its calendar (URL options but ``lang`` and ``alarms`` do not
        apply: the term file fixes model, dates and meetings)."""
        inputs = inputs or self.inputs(owner, options)
        prefix = "fylke-" if isinstance(owner, County) else ""
        filename = f"plansyklus-{prefix}{owner.number}-{options.election_year}.ics"
        warnings: list[str] = []
        if inputs.term is not None:
            try:
                body = inputs.term.calendar(inputs.today, options)
            except PlanCycleError as exc:  # checked when read; a plan feed rather than none
                warnings.append(TermProblem(inputs.term.name, error=exc).message(options.lang))
                inputs = self._plan_inputs(owner, options)
            else:
                return make_document(body, CALENDAR_TYPE, content_last_modified(body),
                                     filename=filename)
        history, register = inputs.history, inputs.register
        revisions = []
        for state in (State(EPOCH), *history):
            constituted = options.constituted or state.constituted
            period = ElectionPeriod.for_year(options.election_year, constituted=constituted,
                                             election_day_override=state.election_day)
            name = options.meetings or state.meetings
            meetings: tuple[dt.date, ...] = ()
            if name:
                plan = self._plan(name, register, options)
                meetings = plan.dates
                warnings.extend(w for w in plan.warnings if w not in warnings)
            schedule = build_schedule(period, owner, options.model,
                                      ScheduleOptions(council_meetings=meetings), lang=options.lang)
            revisions.append(Revision(state.recorded, schedule))
        body = versioned_ical(revisions, alarms=options.alarms)
        return make_document(body, CALENDAR_TYPE, content_last_modified(body), filename=filename,
                             warnings=tuple(warnings))

    def _plan_inputs(self, owner: Municipality | County, options: FeedOptions) -> FeedInputs:
        """The inputs of the plan feed: the register's history and the meeting plans it names."""
        register_stamp, register = self.register()
        history = register.history(owner, options.election_year)
        names = ((options.meetings,) if options.meetings
                 else register.plan_names(owner, options.election_year))
        plans = tuple((name, _fingerprint(plan_path(self.config.meetings_dir, name)))
                      for name in names)
        key = (owner_key(owner), options, register_stamp, plans)
        return FeedInputs(key, history, register)

    def _plan(self, name: str, register: Register, options: FeedOptions) -> MeetingPlan:
        path = plan_path(self.config.meetings_dir, name)
        pattern = register.meeting_patterns.get(name, self.config.meeting_pattern)
        key = (name, _fingerprint(path), pattern, options.lang, options.election_year)
        plan = self._plans.get(key)
        if plan is None:
            plan = load_meeting_plan(path, pattern, lang=options.lang,
                                     window=term_window(options.election_year))
            self._plans.put(key, plan)
        return plan
