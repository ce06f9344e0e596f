"""A running scenario as pure data: what :meth:`~.runner.Run.state` gives and
:meth:`~.runner.Run.from_state` takes (saved to JSON by :mod:`.persistence`)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from plancycle.machine import InstanceState
from plancycle.planning import Adjustments
from plancycle.processes import ProcessModel
from plancycle.simulation.events import Event
from plancycle.simulation.scenario import Scenario

#: The version of the saved-state format (see :mod:`.persistence` for its migrations).
SCHEMA_VERSION = 1


class PendingEvent(BaseModel):
    """An event not yet applied: its index in the scenario, the day it applies, the event."""

    model_config = ConfigDict(frozen=True)

    index: int
    day: dt.date
    event: Event


class RunState(BaseModel):
    """A running scenario as pure data (see the module doc)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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
    notes: tuple[str, ...]
