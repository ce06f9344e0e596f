"""Random variation: per-phase distributions of lengths and delays, drawn from a seeded generator.

A distribution is two numbers (uniform integer days between them, both included) or three (minimum,
most likely, maximum: triangular, rounded to whole days), in ``_days`` or ``_weeks``::

    [[variation.phases]]
    milestone = "samfunnsdel.drafting"
    length_weeks = [8, 16]            # drafting takes 8–16 weeks

    [[variation.phases]]
    milestone = "samfunnsdel.adopted"
    delay_days = [0, 14, 60]          # the council decides 0–60 days late, most often 14

Every run draws from its own ``random.Random`` seeded by (seed, municipality, run), never from the
global generator, so a seed gives the same results every time and the three models of a comparison
see the same draws.
"""

from __future__ import annotations

import random

from pydantic import ConfigDict, Field, model_validator

from plancycle.errors import InputError
from plancycle.simulation.events import Checked

_FIELDS = ("length_days", "length_weeks", "delay_days", "delay_weeks")


class PhaseVariation(Checked):
    """One varied quantity: the length of a phase or the delay of a milestone (or a phase's end).

    ``milestone`` may name a yearly milestone without its year (``action_economy_plan.adopted``):
    each year of the term then gets its own draw.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    milestone: str
    edge: str = "start"
    length_days: tuple[int, ...] | None = None
    length_weeks: tuple[int, ...] | None = None
    delay_days: tuple[int, ...] | None = None
    delay_weeks: tuple[int, ...] | None = None

    @model_validator(mode="after")
    def _one_distribution(self) -> PhaseVariation:
        given = [name for name in _FIELDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise InputError(key="scenario_variation_one_of", allowed=", ".join(_FIELDS))
        values = getattr(self, given[0])
        if len(values) not in (2, 3):
            raise InputError(key="scenario_variation_values", field=given[0])
        if list(values) != sorted(values):
            raise InputError(key="scenario_variation_order", field=given[0])
        if self.kind == "length" and values[0] < 0:
            raise InputError(key="scenario_variation_negative", field=given[0])
        if self.edge not in ("start", "end"):
            raise InputError(key="scenario_variation_edge", given=repr(self.edge))
        if self.kind == "length" and self.edge != "start":
            raise InputError(key="scenario_variation_edge_length")
        return self

    @property
    def kind(self) -> str:
        """``length`` or ``delay``."""
        return "length" if self.length_days is not None or self.length_weeks is not None else "delay"

    @property
    def bounds_days(self) -> tuple[int, ...]:
        """The distribution's numbers in days: (min, max) or (min, most likely, max)."""
        for name in _FIELDS:
            values: tuple[int, ...] | None = getattr(self, name)
            if values is not None:
                factor = 7 if name.endswith("_weeks") else 1
                return tuple(v * factor for v in values)
        raise AssertionError("validated: one distribution is given")

    def draw(self, rng: random.Random) -> int:
        """One value in days: uniform over the integers, or triangular rounded to a day."""
        bounds = self.bounds_days
        if len(bounds) == 2:
            return rng.randint(bounds[0], bounds[1])
        low, mode, high = bounds
        return round(rng.triangular(low, high, mode))


class Variation(Checked):
    """How many runs, from which seed, with which varied phases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = 0
    runs: int = Field(default=1, ge=1, le=1_000_000)
    phases: tuple[PhaseVariation, ...] = ()


def run_seed(seed: int, municipality: str | None, run: int) -> str:
    """The seed of one run: the scenario seed, the municipality number and the run number.

    The model is left out on purpose: compared models get the same draws.
    """
    return f"{seed}/{municipality or '-'}/{run}"


def generator(seed_text: str) -> random.Random:
    """A generator of its own for one run (string seeds are hashed the same on every platform)."""
    return random.Random(seed_text)
