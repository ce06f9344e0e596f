"""A running scenario as pure data: what :meth:`~.runner.Run.state` gives and
:meth:`~.runner.Run.from_state` takes (saved to JSON by :mod:`.persistence`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NoReturn

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from plancycle.errors import DataError, InputError
from plancycle.machine import InstanceState
from plancycle.messages import Message
from plancycle.models import PlanCycleModel
from plancycle.planning import Adjustments
from plancycle.processes import ProcessModel
from plancycle.simulation.events import Event, field_path, pydantic_problem
from plancycle.simulation.scenario import Scenario

#: The version of the saved-state format (see :mod:`.persistence` for its migrations).
SCHEMA_VERSION = 1


class PendingEvent(BaseModel):
    """An event not yet applied: its index in the scenario, the day it applies, the event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int
    day: dt.date
    event: Event


class StateError(DataError):
    """A :class:`RunState` of the wrong shape: the first problem as one line (``field``:
    ``problem``), and the pydantic error it comes from as ``validation``."""

    def __init__(self, validation: ValidationError) -> None:
        first = validation.errors()[0]
        self.validation = validation
        self.field = field_path(first["loc"])
        problem = pydantic_problem(first)
        self.problem = str(problem)
        if self.field:
            super().__init__(key="saved_run_field", field=self.field, problem=problem)
        else:
            super().__init__(key="saved_run_problem", problem=problem)


class RunState(PlanCycleModel):
    """A running scenario as pure data (see the module doc). Data of the wrong shape is refused
    with :class:`StateError` (a :class:`~plancycle.errors.DataError`), never a pydantic error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        """The adjustments and instances are models that ignore unknown keys: refuse them here,
        so a misspelt key of a hand-edited file is not silently dropped."""
        if not isinstance(data, dict):
            return data
        adjustments = data.get("adjustments")
        if isinstance(adjustments, dict):
            _refuse_unknown("adjustments", adjustments, Adjustments.model_fields)
        instances = data.get("instances")
        if isinstance(instances, list | tuple):
            for i, instance in enumerate(instances):
                if isinstance(instance, dict):
                    _refuse_unknown(f"instances[{i}]", instance, InstanceState.model_fields)
        return data

    @classmethod
    def _refuse(cls, error: ValidationError | RecursionError) -> NoReturn:
        if isinstance(error, RecursionError):
            raise DataError(key="saved_run_nested") from None
        raise StateError(error) from error

    schema_version: int = SCHEMA_VERSION
    scenario: Scenario
    municipality: str | None
    model: ProcessModel
    run: int
    seed: str | None
    draws: dict[str, int]
    clock: dt.date | None
    adjustments: Adjustments
    instances: tuple[InstanceState, ...]
    pending_events: tuple[PendingEvent, ...]
    #: notes to show in the user's language (a plain string: English, from an older file)
    notes: tuple[Message | str, ...]


def _refuse_unknown(where: str, data: dict[str, Any], known: Iterable[str]) -> None:
    allowed = list(known)
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise InputError(key="saved_run_unknown_key", where=where, name=repr(unknown[0]),
                         allowed=", ".join(allowed))
