"""Schedule → iCalendar (RFC 5545), following domain.md §5.

One all-day VEVENT per milestone (``DTSTART;VALUE=DATE``, exclusive ``DTEND``), a UID that depends
only on the owner (municipality or county number), the term and the milestone id.
``METHOD:PUBLISH``, ``NAME``/``X-WR-CALNAME``, ``REFRESH-INTERVAL;VALUE=DURATION`` and
``X-PUBLISHED-TTL``; no calendar-level UID (some subscribers then keep a single event).
Optional reminders: one VALARM (``ACTION:DISPLAY``) per requested number of days before each
milestone that has a due date, at 09:00 local time.

How updates reach subscribers, without a database
-------------------------------------------------
A feed's inputs are a dated history, :class:`Revision` objects oldest first: the defaults
(stamped with the rule data's revision date, ``revised`` in ``rules.toml``), then each recorded
decision that changes them (a constituent-meeting date, a new meeting plan), stamped with the
moment it was recorded. The history is input data (a register file the publisher keeps), so the
same history always gives the same bytes. For each event, walking that history:

- ``SEQUENCE`` is the number of revisions in which the event's content (dates, title,
  description, status, categories, reminders) changed, or in which it came back after being
  dropped. It never goes down as the history grows, and it rises exactly when the event changes.
- ``LAST-MODIFIED`` is the stamp of the last revision that changed the event (of the revision
  that added it, if it never changed), but never earlier than the rule data's revision date.
- ``DTSTAMP`` equals ``LAST-MODIFIED``: the instance of the event as published was created then.

So an event that no revision touched is byte-identical in every later feed, and a moved event has
a higher SEQUENCE and a later DTSTAMP, which is how RFC 5546 § 2.1.5 orders versions. A new release
of the rule data (a later ``revised``) restamps every event (DTSTAMP and LAST-MODIFIED); events it
moves keep their SEQUENCE but carry the later DTSTAMP, which § 2.1.5 still orders as newer.
Histories are append-only: dropping a revision can lower a SEQUENCE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from icalendar import Alarm, Calendar, Event, vDuration

from plancycle import __version__
from plancycle.errors import InputError, wrong_type
from plancycle.i18n import Language, label
from plancycle.models import Milestone, Schedule
from plancycle.rules import rule_table

PRODID = f"-//plancycle//plancycle {__version__}//NO"
UID_DOMAIN = "plancycle.no"
DEFAULT_REFRESH = dt.timedelta(days=1)
#: Reminders may be set from 0 (on the day) to this many days before a milestone.
MAX_ALARM_DAYS = 366
ALARM_HOUR = 9


@dataclass(frozen=True)
class Revision:
    """One dated state of a feed's inputs: when it was recorded (UTC) and the schedule it gives."""

    stamp: dt.datetime
    schedule: Schedule


def owner_number(schedule: Schedule) -> str:
    """The number that scopes UIDs: ``k<municipality>``, ``f<county>`` or ``no`` for none."""
    if schedule.municipality is not None:
        return f"k{schedule.municipality.number}"
    if schedule.county is not None:
        return f"f{schedule.county.number}"
    return "no"


def event_uid(schedule: Schedule, milestone_id: str) -> str:
    """The stable UID of a milestone: owner, term (election year) and milestone id, never a date
    that can move, so a subscriber keeps one event when its date changes."""
    return f"{owner_number(schedule)}-t{schedule.period.election_year}-{milestone_id}@{UID_DOMAIN}"


def calendar_name(schedule: Schedule) -> str:
    owner = schedule.municipality or schedule.county
    name = owner.name if owner else "Norge"
    year = schedule.period.election_year
    return label("calendar_name", schedule.lang, name=name, start=year, end=year + 4)


def dtstamp() -> dt.datetime:
    """The earliest DTSTAMP of any event: midnight UTC of the rule data's revision date (an
    input), the stamp of a feed without recorded decisions."""
    revised = rule_table().revised
    return dt.datetime(revised.year, revised.month, revised.day, tzinfo=dt.UTC)


@lru_cache(maxsize=4096)
def describe(milestone: Milestone, lang: Language, *, reform: bool = False,
             notes: tuple[str, ...] = ()) -> str:
    """The DESCRIPTION: what to do, each cited rule in plain words with paragraph and URL,
    the binding, confidence, due date, padding and provisional notes; then ``notes``, lines the
    caller adds (the focus areas and measures of ``plancycle ics --content``, issue 11)."""
    table = rule_table()
    lines = [milestone.todo, ""]
    if "no_council_meeting" in milestone.flags:
        lines[:0] = [f"⚠ {label('no_council_meeting', lang)}", ""]
    if "outside_term" in milestone.flags:
        lines[:0] = [f"⚠ {label('outside_term', lang)}", ""]
    if milestone.papers is not None:
        days = (milestone.start - milestone.papers).days
        lines.insert(1, label("papers", lang, date=milestone.papers.isoformat(), days=days))
    for rule_id in milestone.rules:
        rule = table.get(rule_id, milestone.start)
        lines.append(f"{label('rule', lang)}: {rule.text.get(lang)}")
        for basis in rule.basis:
            cite = f"{basis.law} {basis.section}".strip()
            lines.append(f"  {cite}" + (f" – {basis.url}" if basis.url else ""))
        status = f"{label(rule.binding, lang)}, {label('confidence', lang)} {rule.confidence}: "
        status += label(f"confidence_{rule.confidence}", lang)
        if not rule.in_force:
            status += f" ({label('not_in_force', lang)})"
        lines.append(f"  {status}")
    lines.append("")
    lines.append(f"{label('binding', lang)}: {label(milestone.binding, lang)}")
    if milestone.due is not None:
        lines.append(f"{label('due', lang)}: {milestone.due.isoformat()}")
    if milestone.min_days is not None:
        lines.append(label("min_period", lang, days=milestone.min_days))
        for pad in milestone.padding:
            lines.append(label("padding", lang, days=pad.days, holiday=label(pad.holiday, lang)))
    if milestone.provisional:
        lines.append(label("provisional", lang))
    if reform:
        lines.append(label("reform_warning", lang))
    if notes:
        lines += ["", *notes]
    return "\n".join(lines).strip()


def milestone_event(schedule: Schedule, milestone: Milestone, stamp: dt.datetime, *,
                    sequence: int = 0, alarms: Sequence[int] = (),
                    notes: tuple[str, ...] = ()) -> Event:
    """The VEVENT of one milestone, stamped ``stamp`` (DTSTAMP and LAST-MODIFIED); ``notes``
    are added to its DESCRIPTION (:func:`describe`)."""
    return _event(event_uid(schedule, milestone.id), milestone, schedule.lang,
                  schedule.model == "reform", stamp, sequence, tuple(alarms), tuple(notes))


#: Extra DESCRIPTION lines by milestone id (the public hook of ``to_ical(..., notes=...)``).
Notes = Mapping[str, tuple[str, ...]]


def _event(uid: str, milestone: Milestone, lang: Language, reform: bool, stamp: dt.datetime,
           sequence: int, alarms: tuple[int, ...], notes: tuple[str, ...] = ()) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", milestone.start)
    event.add("dtend", milestone.end + dt.timedelta(days=1))
    flagged = bool(milestone.flags)
    event.add("summary", f"⚠ {milestone.title}" if flagged else milestone.title)
    event.add("description", describe(milestone, lang, reform=reform, notes=notes))
    event.add("categories", categories(milestone, lang))
    event.add("status", "TENTATIVE" if milestone.provisional else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("sequence", sequence)
    if milestone.due is not None:
        for days in alarms:
            event.add_component(_alarm(str(event["SUMMARY"]), days, lang))
    return event


@lru_cache(maxsize=16384)
def _event_bytes(uid: str, milestone: Milestone, lang: Language, reform: bool,
                 stamp: dt.datetime, sequence: int, alarms: tuple[int, ...],
                 notes: tuple[str, ...] = ()) -> bytes:
    """A serialised VEVENT. Called with a placeholder owner of the same length as the real one
    (``k0000``), so one serialisation serves every municipality: the owner only appears at the
    start of the UID line, which folds at the same place for every owner of a kind."""
    return bytes(_event(uid, milestone, lang, reform, stamp, sequence, alarms, notes).to_ical())


def categories(milestone: Milestone, lang: Language) -> list[str]:
    """The CATEGORIES calendar programs show: the process and how binding the milestone is, as
    words in ``lang`` ("Handlings- og økonomiplan", "Lovpålagt"), not internal ids."""
    binding = label(milestone.binding, lang)
    return [label(f"process_{milestone.process}", lang), binding[:1].upper() + binding[1:]]


def _alarm(summary: str, days: int, lang: Language) -> Alarm:
    """A display reminder ``days`` before an all-day event, at 09:00 (RFC 5545 § 3.6.6)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    before = dt.timedelta(days=days) - dt.timedelta(hours=ALARM_HOUR)
    alarm.add("trigger", -before)
    text = (summary if days == 0 else label("ical_alarm_tomorrow", lang, title=summary) if days == 1
            else label("ical_alarm", lang, days=days, title=summary))
    alarm.add("description", text)
    return alarm




def check_alarms(alarms: Sequence[int], *, what: str = "check_alarms") -> tuple[int, ...]:
    """Distinct reminder days, latest first; each a whole number from 0 to
    :data:`MAX_ALARM_DAYS` (:class:`InputError` otherwise, naming ``what`` was called)."""
    if isinstance(alarms, str | bytes) or not isinstance(alarms, Iterable):
        raise wrong_type(what, "alarms", "a sequence of int", alarms)
    alarms = tuple(alarms)
    for days in alarms:
        if not isinstance(days, int) or isinstance(days, bool):
            raise wrong_type(what, "alarms", "a sequence of int", days)
        if not 0 <= days <= MAX_ALARM_DAYS:
            raise InputError(key="alarm_days", days=days, limit=MAX_ALARM_DAYS)
    return tuple(sorted(set(alarms), reverse=True))


def _check_arguments(what: str, revisions: Sequence[Revision], refresh: dt.timedelta) -> None:
    """:class:`InputError` for revisions that are not :class:`Revision` s of a
    :class:`~plancycle.models.Schedule` at a ``datetime``, or a ``refresh`` that is not a
    positive ``timedelta``."""
    if isinstance(revisions, str | bytes) or not isinstance(revisions, Sequence):
        raise wrong_type(what, "revisions", "a sequence of Revision", revisions)
    for revision in revisions:
        if not isinstance(revision, Revision):
            raise wrong_type(what, "revisions", "a sequence of Revision", revision)
        if not isinstance(revision.schedule, Schedule):
            raise wrong_type(what, "schedule", "Schedule", revision.schedule)
        if not isinstance(revision.stamp, dt.datetime):
            raise wrong_type(what, "stamp", "datetime.datetime", revision.stamp)
    if not isinstance(refresh, dt.timedelta):
        raise wrong_type(what, "refresh", "datetime.timedelta", refresh)
    if refresh <= dt.timedelta(0):
        raise InputError(key="ical_refresh", what=what, given=str(refresh))


def _versions(revisions: Sequence[Revision]) -> dict[str, tuple[int, dt.datetime]]:
    """SEQUENCE and stamp of each milestone of the newest revision (see the module docstring)."""
    if not revisions:
        raise InputError(key="revisions_empty")
    first = revisions[0].schedule
    for earlier, later in pairwise(revisions):
        if later.stamp <= earlier.stamp:
            raise InputError(key="revisions_order", earlier=earlier.stamp.isoformat(),
                             later=later.stamp.isoformat())
    for revision in revisions:
        if revision.stamp.utcoffset() is None:
            raise InputError(key="revisions_naive", stamp=revision.stamp.isoformat())
        if (owner_number(revision.schedule) != owner_number(first)
                or revision.schedule.period.election_year != first.period.election_year
                or revision.schedule.lang != first.lang or revision.schedule.model != first.model):
            raise InputError(key="revisions_mixed")
    floor = dtstamp()
    seen: dict[str, tuple[Milestone | None, int, dt.datetime]] = {}
    for revision in revisions:
        present = {m.id: m for m in revision.schedule.milestones}
        stamp = revision.stamp.astimezone(dt.UTC)
        for milestone_id, (previous, sequence, changed) in list(seen.items()):
            if milestone_id not in present and previous is not None:
                seen[milestone_id] = (None, sequence, changed)
        for milestone_id, milestone in present.items():
            if milestone_id not in seen:
                seen[milestone_id] = (milestone, 0, stamp)
                continue
            previous, sequence, changed = seen[milestone_id]
            if previous != milestone:
                seen[milestone_id] = (milestone, sequence + 1, stamp)
    newest = revisions[-1].schedule
    return {m.id: (seen[m.id][1], max(seen[m.id][2], floor)) for m in newest.milestones}


def versioned_calendar(revisions: Sequence[Revision], *, refresh: dt.timedelta = DEFAULT_REFRESH,
                       alarms: Sequence[int] = (), notes: Notes | None = None) -> Calendar:
    """The calendar of the newest revision, each event versioned against the earlier ones
    (SEQUENCE, DTSTAMP, LAST-MODIFIED as in the module docstring). ``notes``: extra DESCRIPTION
    lines by milestone id; they do not count as changes of an event (its SEQUENCE)."""
    return _versioned_calendar("versioned_calendar", revisions, refresh, alarms, notes)


def _versioned_calendar(what: str, revisions: Sequence[Revision], refresh: dt.timedelta,
                        alarms: Sequence[int], notes: Notes | None = None) -> Calendar:
    _check_arguments(what, revisions, refresh)
    days = check_alarms(alarms, what=what)
    return _calendar(revisions[-1].schedule, _versions(revisions), refresh, days,
                     notes=_check_notes(what, notes))


def _check_notes(what: str, notes: Notes | None) -> dict[str, tuple[str, ...]]:
    """``notes`` as a dict of tuples of strings; an :class:`InputError` for any other shape."""
    if notes is None:
        return {}
    if not isinstance(notes, Mapping):
        raise wrong_type(what, "notes", "a mapping of milestone id to lines", notes)
    out: dict[str, tuple[str, ...]] = {}
    for key, lines in notes.items():
        if (not isinstance(key, str) or isinstance(lines, str)
                or not isinstance(lines, Sequence) or not all(isinstance(x, str) for x in lines)):
            raise wrong_type(what, "notes", "a mapping of milestone id to lines", notes)
        out[key] = tuple(lines)
    return out


def versioned_ical(revisions: Sequence[Revision], *, refresh: dt.timedelta = DEFAULT_REFRESH,
                   alarms: Sequence[int] = (), notes: Notes | None = None) -> bytes:
    """:func:`versioned_calendar` serialised (CRLF line endings, folded at 75 octets): the same
    bytes, with each event serialised once for all owners of a kind (see :func:`_event_bytes`)."""
    return _versioned_ical("versioned_ical", revisions, refresh, alarms, notes)


def _versioned_ical(what: str, revisions: Sequence[Revision], refresh: dt.timedelta,
                    alarms: Sequence[int], notes: Notes | None = None) -> bytes:
    _check_arguments(what, revisions, refresh)
    extra = _check_notes(what, notes)
    days = check_alarms(alarms, what=what)
    versions = _versions(revisions)
    schedule = revisions[-1].schedule
    head = bytes(_calendar(schedule, {}, refresh, days, events=False).to_ical())
    end = b"END:VCALENDAR\r\n"
    owner = owner_number(schedule)
    placeholder = "".join("0" if c.isdigit() else c for c in owner)
    real, fake = f"UID:{owner}-".encode(), f"UID:{placeholder}-".encode()
    year, reform = schedule.period.election_year, schedule.model == "reform"
    parts = [head.removesuffix(end)]
    for milestone in schedule.milestones:
        sequence, stamp = versions[milestone.id]
        uid = f"{placeholder}-t{year}-{milestone.id}@{UID_DOMAIN}"
        data = _event_bytes(uid, milestone, schedule.lang, reform, stamp, sequence, days,
                            extra.get(milestone.id, ()))
        parts.append(data.replace(fake, real, 1))
    parts.append(end)
    return b"".join(parts)


def to_calendar(schedule: Schedule, *, refresh: dt.timedelta = DEFAULT_REFRESH,
                alarms: Sequence[int] = (), notes: Notes | None = None) -> Calendar:
    """The schedule as an :class:`icalendar.Calendar` (a feed with no recorded decisions);
    ``notes``: extra DESCRIPTION lines by milestone id."""
    return _versioned_calendar("to_calendar", [Revision(dtstamp(), schedule)], refresh, alarms,
                               notes)


def _calendar(schedule: Schedule, versions: dict[str, tuple[int, dt.datetime]],
              refresh: dt.timedelta, alarms: tuple[int, ...], *, events: bool = True,
              notes: Mapping[str, tuple[str, ...]] | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = calendar_name(schedule)
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(refresh))
    for milestone in schedule.milestones if events else ():
        sequence, stamp = versions[milestone.id]
        cal.add_component(milestone_event(schedule, milestone, stamp, sequence=sequence,
                                          alarms=alarms,
                                          notes=(notes or {}).get(milestone.id, ())))
    return cal


def to_ical(schedule: Schedule, *, refresh: dt.timedelta = DEFAULT_REFRESH,
            alarms: Sequence[int] = (), notes: Notes | None = None) -> bytes:
    """The schedule serialised as iCalendar bytes (CRLF line endings, folded at 75 octets);
    ``notes``: extra DESCRIPTION lines by milestone id (``plancycle ics --content``)."""
    return _versioned_ical("to_ical", [Revision(dtstamp(), schedule)], refresh, alarms, notes)
