"""The error hierarchy: every error says what was wrong, what is allowed and how to fix it."""

from __future__ import annotations


class PlanCycleError(Exception):
    """Base class of every error plancycle raises on purpose.

    The message is one line, meant to be shown to a user as it is (the CLI prints it and exits 2).
    """


class InputError(PlanCycleError, ValueError):
    """An input value (year, date, model, language, option) is not allowed."""


class UnknownMunicipalityError(InputError, LookupError):
    """No municipality or county matches the given number or name."""


class DataError(PlanCycleError):
    """A data file (shipped or given by the user) is missing, broken or has the wrong version."""


class InvalidTransitionError(PlanCycleError):
    """A trigger was fired in a state where the process definition does not allow it."""


class RuleViolation(PlanCycleError):
    """A transition would break a rule (raised in strict mode).

    Carries the structured :class:`plancycle.machine.Violation` as ``violation``.
    """

    def __init__(self, message: str, violation: object) -> None:
        super().__init__(message)
        self.violation = violation
