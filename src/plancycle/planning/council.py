"""The council calendar: the one place that decides which day a council decision lands on.

Without a meeting plan a decision snaps to a council day (a working day outside July). With the
council's meeting plan (its dates), :meth:`CouncilCalendar.place` picks a meeting among those on
or after the earliest lawful day and on or before the due date:

- planned *after* something (``council_after``, e.g. four weeks after a hearing): the first
  meeting on or after the planned day; if that is too late for the due date, the last that fits;
- planned *around* a practice date (``council_before``, e.g. mid-December for the budget): the
  nearest meeting, the earlier one on a tie.

A decision without a due date may move at most :data:`MAX_MOVE` (two months) to reach a meeting.

If none fits, the decision stays on its planned day, flagged (it is never dropped: every output
shows it with a warning). The plan governs only the stretch it covers: a decision planned
after its last meeting, or due (or planned, with no meeting fitting) before its first, is planned
as without a meeting plan; so is one planned more than :data:`REACH_BACK` before its first
meeting (a plan adopted for 2028 says nothing about 2024).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass

from plancycle import calendar_no as cal
from plancycle.processes.declaration import Snap

#: How far before its first meeting a meeting plan still governs decisions.
REACH_BACK = dt.timedelta(days=31)
#: How far a decision without a due date may move from its planned day to reach a meeting.
MAX_MOVE = dt.timedelta(days=62)


@dataclass(frozen=True)
class Placement:
    """Where a decision lands, and whether no meeting of the plan fitted before its due date."""

    day: dt.date
    flagged: bool = False


@dataclass(frozen=True)
class CouncilCalendar:
    """The council's meeting dates (sorted, distinct; empty when there is no meeting plan)."""

    meetings: tuple[dt.date, ...] = ()

    @classmethod
    def of(cls, meetings: tuple[dt.date, ...] | list[dt.date]) -> CouncilCalendar:
        return cls(tuple(sorted(set(meetings))))

    def without(self, cancelled: list[dt.date] | tuple[dt.date, ...]) -> CouncilCalendar:
        """The calendar with ``cancelled`` meetings taken out."""
        gone = set(cancelled)
        return CouncilCalendar(tuple(m for m in self.meetings if m not in gone))

    def covers(self, day: dt.date) -> bool:
        """True when the meeting plan reaches ``day`` (a decision then lands on one of its
        meetings): from :data:`REACH_BACK` before its first meeting to its last."""
        return bool(self.meetings) and self.meetings[0] - REACH_BACK <= day <= self.meetings[-1]

    def place(self, planned: dt.date, earliest: dt.date, due: dt.date | None,
              policy: Snap) -> Placement:
        """The meeting a decision planned on ``planned`` lands on (see the module doc)."""
        if not self.covers(planned) or (due is not None and due < self.meetings[0]):
            return Placement(planned)
        latest = due if due is not None else planned + MAX_MOVE
        fitting = [m for m in self.meetings if earliest <= m <= latest]
        if not fitting and planned < self.meetings[0]:
            return Placement(planned)
        if fitting:
            if policy == "council_after":
                after = [m for m in fitting if m >= planned]
                return Placement(after[0] if after else fitting[-1])
            return Placement(min(fitting, key=lambda m: (abs((m - planned).days), m)))
        return Placement(planned, flagged=True)

    def next_on_or_after(self, day: dt.date) -> dt.date:
        """The first meeting on or after ``day``; a council day when the plan does not reach it."""
        if self.meetings:
            index = bisect_left(self.meetings, day)
            if index < len(self.meetings):
                return self.meetings[index]
        return cal.council_day_on_or_after(day)
