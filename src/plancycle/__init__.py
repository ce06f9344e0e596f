"""plancycle: Norwegian municipal planning law as software.

The public API::

    from plancycle import ElectionPeriod, build_schedule, find_municipality, to_ical
    period = ElectionPeriod.for_year(2027)
    schedule = build_schedule(period, find_municipality("Stavanger"), "samskaping", lang="en")
    ics = to_ical(schedule)

``import plancycle`` does no work: each public name is imported from its module when first
used (PEP 562), so the command line loads only what its command needs.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
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

#: Each public name (but ``__version__``) and the module that defines it.
PUBLIC_NAMES: dict[str, str] = {
    **dict.fromkeys(("InputError", "InvalidTransitionError", "PlanCycleError", "RuleViolation",
                     "UnknownMilestoneError", "UnknownMunicipalityError"), "plancycle.errors"),
    **dict.fromkeys(("to_calendar", "to_ical"), "plancycle.ical"),
    **dict.fromkeys(("ProcessInstance", "Violation"), "plancycle.machine"),
    **dict.fromkeys(("ElectionPeriod", "Milestone", "Schedule", "ShapeError"), "plancycle.models"),
    **dict.fromkeys(("find_county", "find_municipality", "municipalities"),
                    "plancycle.municipalities"),
    **dict.fromkeys(("definition", "definitions"), "plancycle.processes"),
    "rule_table": "plancycle.rules",
    **dict.fromkeys(("ScheduleOptions", "build_schedule"), "plancycle.schedule"),
    **dict.fromkeys(("Fact", "Term", "TermMilestone", "TermStatus"), "plancycle.term"),
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (and kept)."""
    module = PUBLIC_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'plancycle' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package, whose public function ``municipalities`` shares its name with the module
    ``plancycle.municipalities``: importing the module (which sets it as an attribute of the
    package) leaves ``plancycle.municipalities`` the function, as the eager imports did."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in PUBLIC_NAMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
