"""plancycle: Norwegian municipal planning law as software.

The public API::

    from plancycle import ElectionPeriod, build_schedule, find_municipality, to_ical
    period = ElectionPeriod.for_year(2027)
    schedule = build_schedule(period, find_municipality("Stavanger"), "samskaping", lang="en")
    ics = to_ical(schedule)
"""

from __future__ import annotations

__version__ = "0.1.0"

from plancycle.errors import (
    InputError,
    InvalidTransitionError,
    PlanCycleError,
    RuleViolation,
    UnknownMilestoneError,
    UnknownMunicipalityError,
)
from plancycle.ical import to_calendar, to_ical
from plancycle.machine import ProcessInstance, Violation
from plancycle.models import ElectionPeriod, Milestone, Schedule, ShapeError
from plancycle.municipalities import find_county, find_municipality, municipalities
from plancycle.processes import definition, definitions
from plancycle.rules import rule_table
from plancycle.schedule import ScheduleOptions, build_schedule
from plancycle.term import Fact, Term, TermMilestone, TermStatus

__all__ = [
    "ElectionPeriod", "Fact", "InputError", "InvalidTransitionError", "Milestone", "PlanCycleError",
    "ProcessInstance", "RuleViolation", "Schedule", "ScheduleOptions", "ShapeError", "Term",
    "TermMilestone", "TermStatus",
    "UnknownMilestoneError", "UnknownMunicipalityError",
    "Violation", "__version__", "build_schedule", "definition", "definitions", "find_county",
    "find_municipality", "municipalities", "rule_table", "to_calendar", "to_ical",
]
