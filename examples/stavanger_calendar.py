"""Build Stavanger's plan cycle for the 2027–2031 term and write it as a subscribable calendar.

    python examples/stavanger_calendar.py [OUTPUT.ics]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from plancycle import ElectionPeriod, build_schedule, find_municipality, to_ical

period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
schedule = build_schedule(period, find_municipality("Stavanger"), "samskaping", lang="en")

for milestone in schedule.milestones:
    if milestone.binding == "statutory" and milestone.due is not None:
        print(f"{milestone.due}  {milestone.title}  ({milestone.basis[0].law} "
              f"{milestone.basis[0].section})")

target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("stavanger-2027.ics")
target.write_bytes(to_ical(schedule))
print(f"wrote {len(schedule.milestones)} events to {target}")
