"""A followed term as iCalendar: done milestones on their actual dates, overdue ones flagged.

The calendar of a :class:`~plancycle.term.Term` has one event per milestone of its current
schedule (:meth:`Term.schedule`: actual dates where recorded, re-planned otherwise), with the UIDs
of the plan's calendar (:func:`plancycle.ical.event_uid`), so a subscriber who switches from the
plan to the followed term keeps one event per milestone. What the status adds:

- ``done``: SUMMARY ``✓ <title> – vedtatt 2. mars 2028`` (:func:`~plancycle.term.done_label`; a
  phase shows ``✓ <title>`` over its recorded days), ``STATUS:CONFIRMED``, and the DESCRIPTION
  starts with what was recorded and its source. A step implied by a later recorded step (no date
  of its own) shows ``✓ <title>`` on its planned day and says so.
- ``in_progress`` (a phase opened, not closed): ``<title> – startet <date>``.
- ``overdue`` (only with ``today``): SUMMARY ``⚠ <title> – forfalt`` and a line in the
  DESCRIPTION; the text does not name ``today``, so it stays the same from day to day.

Versioning (see :mod:`plancycle.ical`): the history is the plan (the term without facts, stamped
with the rule data's revision date), then one revision per recording moment, the facts ordered by
``recorded`` (a fact without it counts as recorded at that default stamp; a naive time is UTC;
facts recorded at the same moment form one revision), each the term's schedule with the facts
recorded up to then. A phase recorded with its end (``record --end`` overwrites the fact of its
opening, and with it the moment the opening was recorded) is preceded by a revision one second
earlier in which it is open, so its closing still raises its event's SEQUENCE above that of the
open phase a subscriber saw. With ``today``, a last revision stamped at midnight UTC of ``today`` adds the
overdue flags (merged into the newest revision when that is stamped later). So every event a fact
moved or re-worded has a higher SEQUENCE and a later DTSTAMP than before it, and the same term and
``today`` always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Calendar

from plancycle.i18n import Language, check_language, label
from plancycle.ical import Revision, dtstamp, versioned_calendar, versioned_ical
from plancycle.models import Milestone, Schedule
from plancycle.planning.plans import PlanChoice, shows_plan
from plancycle.term import Fact, Term, TermMilestone, done_label

#: The stamp of the plan revision: before any fact (reported as the rule data's revision date).
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: A phase recorded with its end counts as opened this long before it was recorded.
OPENED_BEFORE = dt.timedelta(seconds=1)


def term_to_ical(term: Term, *, today: dt.date | None = None, lang: Language = "nb",
                 alarms: tuple[int, ...] = (), plans: PlanChoice = None) -> bytes:
    """The followed term's calendar as iCalendar bytes (CRLF, folded): see the module doc.
    ``plans``: the plans whose milestones it shows (None: all)."""
    return versioned_ical(term_revisions(term, today=today, lang=lang, plans=plans),
                          alarms=alarms)


def term_to_calendar(term: Term, *, today: dt.date | None = None, lang: Language = "nb",
                     alarms: tuple[int, ...] = ()) -> Calendar:
    """The followed term's calendar as an :class:`icalendar.Calendar` (the same content as
    :func:`term_to_ical`)."""
    return versioned_calendar(term_revisions(term, today=today, lang=lang), alarms=alarms)


def term_revisions(term: Term, *, today: dt.date | None = None,
                   lang: Language = "nb", plans: PlanChoice = None) -> list[Revision]:
    """The dated history of the term's calendar, oldest first (see the module doc): the term's
    facts, each recorded once (:func:`history_revisions` of ``term.facts``)."""
    return history_revisions(term, term.facts, today=today, lang=lang, plans=plans)


def history_to_ical(term: Term, history: Sequence[Fact], *, today: dt.date | None = None,
                    lang: Language = "nb", alarms: tuple[int, ...] = (),
                    plans: PlanChoice = None) -> bytes:
    """The calendar of ``term`` replayed from a fact ``history`` (:func:`history_revisions`)."""
    return versioned_ical(history_revisions(term, history, today=today, lang=lang, plans=plans),
                          alarms=alarms)


def history_revisions(term: Term, history: Sequence[Fact], *, today: dt.date | None = None,
                      lang: Language = "nb", plans: PlanChoice = None) -> list[Revision]:
    """The dated history of the term's calendar replayed from every fact ever recorded.

    ``history`` is every recorded version of the term's facts, oldest first (a plan-service
    database keeps a replaced fact as a row and its replacement as a new one); a later fact of a
    milestone supersedes the earlier one from the moment it was recorded. Each recording moment
    is one revision: the term's settings with, per milestone, the latest fact recorded up to
    then. A phase recorded closed whose opening was not shown before (no earlier open fact with
    the same start) is preceded by its open revision one second earlier, and ``today`` adds the
    overdue flags, as in :func:`term_revisions` (which is this with ``term.facts``, each fact
    recorded once: the same bytes as before the history existed).
    """
    lang = check_language(lang)
    default = dtstamp()
    stamped = [(recorded_stamp(fact, default), index, fact) for index, fact in enumerate(history)]
    revisions = [Revision(EPOCH, term_schedule(term.model_copy(update={"facts": ()}), lang=lang,
                                               plans=plans))]
    shown: dict[str, tuple[dt.datetime, int, Fact]] = {}  # the state of the last moment
    for moment in sorted({stamp for stamp, _, _ in stamped}):
        current = dict(shown)
        for entry in stamped:
            if entry[0] == moment:
                known = current.get(entry[2].milestone)
                if known is None or known[:2] <= entry[:2]:
                    current[entry[2].milestone] = entry
        arrived = [entry for entry in current.values() if entry[0] == moment]
        closed = [fact for _, _, fact in arrived
                  if fact.end is not None and not _shown_open(shown.get(fact.milestone), fact)]
        opened_at = moment - OPENED_BEFORE
        if closed and opened_at > revisions[-1].stamp:
            names = {fact.milestone for fact in closed}
            kept = tuple(fact for _, _, fact in sorted(shown.values(), key=_order)
                         if fact.milestone not in names)
            opened = tuple(fact.model_copy(update={"end": None}) for fact in closed)
            state = term.model_copy(update={"facts": kept + opened})
            revisions.append(Revision(opened_at, term_schedule(state, lang=lang, plans=plans)))
        # facts recorded earlier first, then those of this moment, each in history order
        facts = tuple(fact for _, _, fact in sorted(
            current.values(), key=lambda entry: (entry[0] == moment, entry[1])))
        state = term.model_copy(update={"facts": facts})
        revisions.append(Revision(moment, term_schedule(state, lang=lang, plans=plans)))
        shown = current
    if today is not None:
        flagged = term_schedule(term, today=today, lang=lang, plans=plans)
        if flagged != revisions[-1].schedule:
            midnight = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
            if midnight > revisions[-1].stamp:
                revisions.append(Revision(midnight, flagged))
            else:
                revisions[-1] = Revision(revisions[-1].stamp, flagged)
    return revisions


def _order(entry: tuple[dt.datetime, int, Fact]) -> int:
    return entry[1]


def _shown_open(before: tuple[dt.datetime, int, Fact] | None, fact: Fact) -> bool:
    """Whether the phase of ``fact`` was shown open with the same start before it closed."""
    return before is not None and before[2].end is None and before[2].date == fact.date


def recorded_stamp(fact: Fact, default: dt.datetime) -> dt.datetime:
    """When ``fact`` was recorded, in UTC (a naive time is UTC; none: ``default``)."""
    recorded = fact.recorded
    if recorded is None:
        return default
    stamp = (recorded.replace(tzinfo=dt.UTC) if recorded.utcoffset() is None
             else recorded.astimezone(dt.UTC))
    return stamp if stamp > EPOCH else default


def term_schedule(term: Term, *, today: dt.date | None = None, lang: Language = "nb",
                  plans: PlanChoice = None) -> Schedule:
    """The term's current schedule with each milestone's status in its title and description
    (overdue only with ``today``): what one revision of the calendar shows; of the plans'
    milestones those of ``plans`` (None: all)."""
    lang = check_language(lang)
    status = term.status(today if today is not None else dt.date.min, lang=lang)
    milestones = tuple(calendar_milestone(m, lang, source=_source(term, m.id))
                       for m in status.milestones if shows_plan(m.id, plans))
    return Schedule(period=term.period(), model=term.model, lang=lang,
                    municipality=status.municipality, county=status.county,
                    milestones=milestones, warnings=status.warnings)


def _source(term: Term, milestone_id: str) -> str | None:
    fact = term.fact(milestone_id)
    return fact.source if fact is not None else None


def calendar_milestone(milestone: TermMilestone, lang: Language, *,
                       source: str | None = None) -> Milestone:
    """The milestone as its calendar event shows it: title and to-do text say its status; a
    done one is no longer provisional (``STATUS:CONFIRMED``) nor flagged for a missing meeting."""
    base = {name: getattr(milestone, name) for name in Milestone.model_fields}
    title, todo = milestone.title, milestone.todo
    lines: list[str] = []
    update: dict[str, object] = {}
    if milestone.status == "done":
        update = {"provisional": False, "flags": ()}
        if milestone.inferred:
            title = f"✓ {title}"
            lines.append(label("termcal_inferred", lang))
        elif milestone.kind == "phase":
            title = f"✓ {title}"
            start = milestone.actual_start or milestone.start
            end = milestone.actual_end or milestone.end
            lines.append(label("termcal_recorded_phase", lang, start=long_date(start, lang),
                               end=long_date(end, lang)))
        else:
            done = done_label(milestone, lang)
            title = f"✓ {title} – {done}"
            lines.append(label("termcal_recorded_done", lang, done=done))
    elif milestone.status == "in_progress":
        opened = long_date(milestone.actual_start or milestone.start, lang)
        title = f"{title} – {label('termcal_started', lang, date=opened)}"
        lines.append(label("termcal_recorded_started", lang, date=opened))
    elif milestone.status == "overdue":
        # a milestone flagged for a missing meeting gets its "⚠" from the calendar already
        mark = "" if "no_council_meeting" in milestone.flags else "⚠ "
        title = f"{mark}{title} – {label('termcal_overdue', lang)}"
        lines.append(label("termcal_overdue_note", lang, date=long_date(milestone.start, lang)))
    if lines and source and milestone.status in ("done", "in_progress"):
        lines.append(label("termcal_source", lang, source=source))
    if lines:
        todo = "\n".join(lines) + ("\n\n" + todo if todo else "")
    return Milestone(**{**base, **update, "title": title, "todo": todo})


def long_date(day: dt.date, lang: Language) -> str:
    """``2. mars 2028`` (``2 March 2028`` in English)."""
    month = label("month_names", lang).split()[day.month - 1]
    return f"{day.day} {month} {day.year}" if lang == "en" else f"{day.day}. {month} {day.year}"
