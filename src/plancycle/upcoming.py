"""What is due in the coming weeks (``plancycle next``): a schedule's or a followed term's
milestones whose day falls between today and a horizon, most binding first.

A milestone's days are its start, its end (a window or a phase) and its due date. It is listed
when one of them falls in ``today`` … ``today + weeks``; the day shown is its due date when that
falls in the window, else its first day in it. In a followed term, what is done is left out and
what is overdue (planned to start before today and not begun) comes first, whenever it was
planned: its day is its due date while that is still ahead, else the day it was to start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from plancycle.errors import InputError

if TYPE_CHECKING:  # a schedule alone needs neither the term's engine nor its state machines
    from plancycle.models import Milestone, Schedule
    from plancycle.rules import Binding, Confidence
    from plancycle.term import Status, TermStatus

#: How many weeks ahead one may look: ten years, more than any term.
MAX_WEEKS = 520

#: Most binding first.
BINDING_ORDER: tuple[Binding, ...] = ("statutory", "recommended", "practice")

#: Which day of a milestone is shown: its due date, the day it happens (start = end), the
#: start or the end of a window.
Event = Literal["due", "day", "start", "end"]


@dataclass(frozen=True)
class DueItem:
    """One milestone as ``plancycle next`` lists it: the day shown and which day it is."""

    id: str
    title: str
    date: dt.date
    event: Event
    binding: Binding
    confidence: Confidence
    rules: tuple[str, ...]
    status: Status | None = None


def check_weeks(weeks: int) -> int:
    """``weeks`` when it is a whole number from 1 to :data:`MAX_WEEKS`, else :class:`InputError`."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise InputError(key="next_weeks", given=str(weeks)[:40], limit=MAX_WEEKS)
    return weeks


def _events(m: Milestone) -> list[tuple[Event, dt.date]]:
    days: list[tuple[Event, dt.date]] = []
    if m.due is not None:
        days.append(("due", m.due))
    days += [("day", m.start)] if m.start == m.end else [("start", m.start), ("end", m.end)]
    return days


def _in_window(m: Milestone, first: dt.date, last: dt.date) -> tuple[Event, dt.date] | None:
    """The day of ``m`` to show when one falls in ``first`` … ``last``: the due date first."""
    inside = [(event, day) for event, day in _events(m) if first <= day <= last]
    if not inside:
        return None
    due = [found for found in inside if found[0] == "due"]
    return due[0] if due else min(inside, key=lambda found: found[1])


def _item(m: Milestone, found: tuple[Event, dt.date], status: Status | None = None) -> DueItem:
    return DueItem(id=m.id, title=m.title, date=found[1], event=found[0], binding=m.binding,
                   confidence=m.confidence, rules=m.rules, status=status)


def _ordered(items: Iterable[DueItem]) -> tuple[DueItem, ...]:
    return tuple(sorted(items, key=lambda i: (i.status != "overdue",
                                              BINDING_ORDER.index(i.binding), i.date, i.id)))


def _check_today(today: dt.date) -> dt.date:
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        raise InputError(key="next_today", given=repr(today)[:60])
    return today


def due_soon(schedule: Schedule, today: dt.date, weeks: int = 6) -> tuple[DueItem, ...]:
    """The milestones of ``schedule`` with a day in ``today`` … ``today + weeks`` weeks, most
    binding first, then by date (see the module doc)."""
    last = _check_today(today) + dt.timedelta(weeks=check_weeks(weeks))
    found = ((m, _in_window(m, today, last)) for m in schedule.milestones)
    return _ordered(_item(m, day) for m, day in found if day is not None)


def due_soon_in_term(status: TermStatus, weeks: int = 6) -> tuple[DueItem, ...]:
    """A followed term's milestones on ``status.today``: every overdue one, then those not done
    with a day in the coming ``weeks`` weeks, each group most binding first, then by date."""
    today = status.today
    last = today + dt.timedelta(weeks=check_weeks(weeks))
    items: list[DueItem] = []
    for m in status.milestones:
        if m.status == "done":
            continue
        if m.status == "overdue":
            ahead = m.due is not None and m.due >= today
            missed: Event = "day" if m.start == m.end else "start"
            items.append(_item(m, ("due", m.due) if ahead and m.due else (missed, m.start),
                               m.status))
            continue
        day = _in_window(m, today, last)
        if day is not None:
            items.append(_item(m, day, m.status))
    return _ordered(items)
