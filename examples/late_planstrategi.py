"""Run the planstrategi machine in record mode and see which rule a late adoption breaks.

    python examples/late_planstrategi.py
"""

from __future__ import annotations

import datetime as dt

from plancycle import ElectionPeriod, ProcessInstance, definition

period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
planstrategi = ProcessInstance(definition("planstrategi", "classic"), period, mode="record")
for trigger, day in [
    ("complete_public_health_overview", dt.date(2027, 6, 1)),
    ("start_work", dt.date(2027, 11, 11)),
    ("publish_proposal", dt.date(2028, 8, 28)),
    ("open_consultation", dt.date(2028, 8, 28)),
    ("close_consultation", dt.date(2028, 10, 9)),
    ("adopt", dt.date(2028, 11, 2)),
]:
    planstrategi.fire(trigger, day)

print(f"state: {planstrategi.state}")
for violation in planstrategi.violations:
    print(f"{violation.rule}: {violation.days_late} days late. {violation.message} {violation.fix}")
