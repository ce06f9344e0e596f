"""The error hierarchy: every error says what was wrong, what is allowed and how to fix it."""

from __future__ import annotations

import datetime as dt
import reprlib
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # machine imports this module; the type is only needed for annotations
    from plancycle.machine import Violation


class PlanCycleError(Exception):
    """Base class of every error plancycle raises on purpose.

    The message is one line, meant to be shown to a user as it is (the CLI prints it and exits 2).
    An error raised with a ``key`` takes its text from the ``[label]`` ``error_<key>`` in the
    texts files, so it reads in bokmål, nynorsk or English (:meth:`in_language`); ``str()`` is
    the English text. Fields named ``*_label`` are themselves label keys, translated too, and a
    field that is itself a :class:`PlanCycleError` (a reason) or a
    :class:`plancycle.messages.Message` is given in the same language.
    """

    def __init__(self, message: str | None = None, *, key: str | None = None,
                 **fields: object) -> None:
        self.key = key
        self.fields = fields
        if message is None:
            if key is None:
                raise TypeError("a PlanCycleError needs a message or a key")
            message = self.in_language("en")
        super().__init__(message)

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` (nb, nn or en); the plain message when raised without key."""
        if self.key is None:
            return str(self)
        from plancycle.i18n import check_language, label

        language = check_language(lang)
        fields = {
            (name[: -len("_label")] if name.endswith("_label") else name):
                (label(str(value), language) if name.endswith("_label")
                 else value.in_language(language) if isinstance(value, Translatable)
                 else value)
            for name, value in self.fields.items()
        }
        return label(f"error_{self.key}", language, **fields)


@runtime_checkable
class Translatable(Protocol):
    """A text shown in the language asked for: an error, a :class:`plancycle.messages.Message`."""

    def in_language(self, lang: str) -> str: ...


class InputError(PlanCycleError, ValueError):
    """An input value (year, date, model, language, option) is not allowed."""


class UnknownMunicipalityError(InputError, LookupError):
    """No municipality or county matches the given number or name."""


class FactConflictError(InputError):
    """A fact contradicts one already recorded for the same milestone (other dates, no
    ``replace``): HTTP 409 in the plan service, exit 2 from the CLI."""


class UnknownMilestoneError(InputError, KeyError):
    """A schedule has no milestone with the given id (:meth:`plancycle.models.Schedule.milestone`).

    A :class:`KeyError` too, so code written when the lookup raised a bare ``KeyError`` keeps
    working; unlike a bare ``KeyError``, ``str()`` is the one-line message without quotes.
    """

    def __str__(self) -> str:
        return BaseException.__str__(self)


class DataError(PlanCycleError):
    """A data file (shipped or given by the user) is missing, broken or has the wrong version."""


class InvalidTransitionError(PlanCycleError):
    """A trigger was fired in a state where the process definition does not allow it."""


class RuleViolation(PlanCycleError):
    """A transition would break a rule (raised in strict mode): the violation's message and fix,
    in the language asked for (:meth:`plancycle.checks.Violation.message_in`).

    Carries the structured :class:`plancycle.machine.Violation` as ``violation``.
    """

    def __init__(self, violation: Violation) -> None:
        self.violation = violation
        super().__init__(self.in_language("en"))

    def in_language(self, lang: str) -> str:
        from plancycle.i18n import check_language

        language = check_language(lang)
        return f"{self.violation.message_in(language)} {self.violation.fix_in(language)}"


def wrong_type(what: str, argument: str, expected: str, given: object) -> InputError:
    """The error for an argument of the wrong type (``key="api_type"``): ``what`` was called with
    ``argument`` = ``given`` where ``expected`` is allowed; ``given`` shown cut to 60 characters
    (the whole repr of a date or a datetime fits)."""
    text = repr(given) if isinstance(given, dt.date) else reprlib.repr(given)
    shown = text if len(text) <= 60 else text[:57] + "..."
    return InputError(key="api_type", what=what, argument=argument, expected=expected,
                      given=shown, kind=type(given).__name__)
