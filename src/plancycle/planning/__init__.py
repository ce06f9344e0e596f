"""The one public planning engine: typed milestone ids, the council calendar and the planner.

Everything that dates milestones goes through here: the schedule (a term with no facts), the
followed term (:mod:`plancycle.term`, facts recorded), the simulation (hypothetical facts and
delays) and the calendar built from them.
"""

from __future__ import annotations

from plancycle.ids import (
    Edge,
    EdgeKey,
    MilestoneId,
    edge_key,
    split_key,
    valid_instance_key,
    valid_plan_key,
)
from plancycle.planning.council import CouncilCalendar, Placement
from plancycle.planning.engine import (
    TERM_YEARS,
    Adjustments,
    Dated,
    InstanceRequest,
    Planner,
    PlanRequest,
    Slot,
    cached_slots,
    is_council_decision,
    term_slots,
)

__all__ = [
    "TERM_YEARS", "Adjustments", "CouncilCalendar", "Dated", "Edge", "EdgeKey", "InstanceRequest",
    "MilestoneId", "Placement", "PlanRequest", "Planner", "Slot", "cached_slots", "edge_key",
    "is_council_decision", "split_key", "term_slots", "valid_instance_key",
    "valid_plan_key",
]
