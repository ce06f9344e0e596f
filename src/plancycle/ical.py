"""Schedule → iCalendar (RFC 5545), following domain.md §5.

One all-day VEVENT per milestone (``DTSTART;VALUE=DATE``, exclusive ``DTEND``), a UID that depends
only on the owner (municipality or county number), the term and the milestone id, and a DTSTAMP
taken from the rule data's revision date, so the same input gives byte-identical output.
``METHOD:PUBLISH``, ``NAME``/``X-WR-CALNAME``, ``REFRESH-INTERVAL;VALUE=DURATION`` and
``X-PUBLISHED-TTL``; no calendar-level UID (some subscribers then keep a single event).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from icalendar import Calendar, Event, vDuration

from plancycle import __version__
from plancycle.i18n import Language, label
from plancycle.models import Milestone, Schedule
from plancycle.rules import rule_table

PRODID = f"-//plancycle//plancycle {__version__}//NO"
UID_DOMAIN = "plancycle.no"
DEFAULT_REFRESH = dt.timedelta(days=1)


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
    """DTSTAMP for every event: midnight UTC of the rule data's revision date (an input)."""
    revised = rule_table().revised
    return dt.datetime(revised.year, revised.month, revised.day, tzinfo=dt.UTC)


@lru_cache(maxsize=4096)
def describe(milestone: Milestone, lang: Language, *, reform: bool = False) -> str:
    """The DESCRIPTION: what to do, each cited rule in plain words with paragraph and URL,
    the binding, confidence, due date, padding and provisional notes."""
    table = rule_table()
    lines = [milestone.todo, ""]
    if "no_council_meeting" in milestone.flags:
        lines[:0] = [f"⚠ {label('no_council_meeting', lang)}", ""]
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
    return "\n".join(lines).strip()


def milestone_event(schedule: Schedule, milestone: Milestone, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(schedule, milestone.id))
    event.add("dtstamp", stamp)
    event.add("dtstart", milestone.start)
    event.add("dtend", milestone.end + dt.timedelta(days=1))
    flagged = "no_council_meeting" in milestone.flags
    event.add("summary", f"⚠ {milestone.title}" if flagged else milestone.title)
    event.add("description", describe(milestone, schedule.lang,
                                      reform=schedule.model == "reform"))
    event.add("categories", [milestone.process, milestone.binding])
    event.add("status", "TENTATIVE" if milestone.provisional else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("sequence", 0)
    return event


def to_calendar(schedule: Schedule, *, refresh: dt.timedelta = DEFAULT_REFRESH) -> Calendar:
    """The schedule as an :class:`icalendar.Calendar`."""
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
    stamp = dtstamp()
    for milestone in schedule.milestones:
        cal.add_component(milestone_event(schedule, milestone, stamp))
    return cal


def to_ical(schedule: Schedule, *, refresh: dt.timedelta = DEFAULT_REFRESH) -> bytes:
    """The schedule serialised as iCalendar bytes (CRLF line endings, folded at 75 octets)."""
    return bytes(to_calendar(schedule, refresh=refresh).to_ical())
