"""Feed documents: one owner's term as versioned iCalendar bytes, with ETag and Last-Modified.

Shared by the server (:mod:`plancycle.feed.app`) and static publishing (``plancycle publish``),
so both give the same bytes for the same inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from plancycle.feed.cache import LRUCache
from plancycle.feed.config import FeedConfig
from plancycle.feed.names import plan_path
from plancycle.feed.query import FeedOptions
from plancycle.feed.register import EMPTY, Register, State, load_register, owner_key
from plancycle.ical import Revision, versioned_ical
from plancycle.meetings import MeetingPlan, load_meeting_plan
from plancycle.models import ElectionPeriod
from plancycle.municipalities import County, Municipality
from plancycle.schedule import ScheduleOptions, build_schedule

CALENDAR_TYPE = "text/calendar; charset=utf-8"
#: The defaults (before any recorded decision) sort before every decision.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LAST_MODIFIED = re.compile(rb"^LAST-MODIFIED:(\d{8}T\d{6})Z\r?$", re.MULTILINE)

Fingerprint = tuple[int, int, int] | None


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


def _fingerprint(path: Path) -> Fingerprint:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class FeedBuilder:
    """Builds feed documents from a :class:`FeedConfig`; thread-safe.

    The register and meeting plans are read when first needed and read again when their files
    change (size, modification time or inode), so an edit reaches the next request.
    """

    def __init__(self, config: FeedConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._register: tuple[Fingerprint, Register] | None = None
        self._plans: LRUCache[MeetingPlan] = LRUCache(64)

    def register(self) -> tuple[Fingerprint, Register]:
        """The current register and the fingerprint of its file (None without a register)."""
        path = self.config.register
        if path is None:
            return None, EMPTY
        stamp = _fingerprint(path)
        with self._lock:
            if self._register is None or self._register[0] != stamp:
                self._register = (stamp, load_register(path))
            return self._register

    def inputs(self, owner: Municipality | County,
               options: FeedOptions) -> tuple[tuple[object, ...], tuple[State, ...], Register]:
        """The cache key of a feed (all it depends on), its history and the register."""
        register_stamp, register = self.register()
        history = register.history(owner, options.election_year)
        names = ((options.meetings,) if options.meetings
                 else register.plan_names(owner, options.election_year))
        plans = tuple((name, _fingerprint(plan_path(self.config.meetings_dir, name)))
                      for name in names)
        key = (owner_key(owner), options, register_stamp, plans)
        return key, history, register

    def feed(self, owner: Municipality | County, options: FeedOptions,
             inputs: tuple[tuple[object, ...], tuple[State, ...], Register] | None = None
             ) -> Document:
        """The feed of one owner's term: one revision for the defaults and one for each recorded
        decision, URL options applied to every revision (see :mod:`plancycle.ical`)."""
        _, history, register = inputs or self.inputs(owner, options)
        warnings: list[str] = []
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
        prefix = "fylke-" if isinstance(owner, County) else ""
        filename = f"plansyklus-{prefix}{owner.number}-{options.election_year}.ics"
        return make_document(body, CALENDAR_TYPE, content_last_modified(body), filename=filename,
                             warnings=tuple(warnings))

    def _plan(self, name: str, register: Register, options: FeedOptions) -> MeetingPlan:
        path = plan_path(self.config.meetings_dir, name)
        pattern = register.meeting_patterns.get(name, self.config.meeting_pattern)
        key = (name, _fingerprint(path), pattern, options.lang)
        plan = self._plans.get(key)
        if plan is None:
            plan = load_meeting_plan(path, pattern, lang=options.lang)
            self._plans.put(key, plan)
        return plan
