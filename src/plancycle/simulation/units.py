"""The units of a batch: one (municipality, model, run) each, numbered in a fixed order.

A :class:`Batch` is what a worker needs to run any of them (the scenario and the models; small
to pickle). Unit ``i`` is municipality ``i // (models × runs)``, model
``(i // runs) % models`` and run ``i % runs`` — the order of the report. A unit's random draws
come from its own seed (scenario seed, municipality, run: :func:`~.variation.run_seed`), never
from a stream shared with other units, so its report is the same whichever process runs it,
and in whatever order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from plancycle.errors import PlanCycleError
from plancycle.machine import ProcessInstance
from plancycle.municipalities import Municipality
from plancycle.processes import ProcessModel
from plancycle.simulation.report import RunReport, run_report
from plancycle.simulation.runner import Run
from plancycle.simulation.scenario import Scenario
from plancycle.simulation.timeline import Context


@dataclass(frozen=True)
class Batch:
    """Every run of ``scenario`` with ``models`` (checked before: :func:`check_scenario`)."""

    scenario: Scenario
    models: tuple[ProcessModel, ...]

    @property
    def size(self) -> int:
        """How many units (runs) the batch has."""
        return len(self.scenario.municipality_list()) * len(self.models) * self.scenario.variation.runs


@dataclass(frozen=True)
class ChunkResult:
    """The reports of a chunk of units, in order; ``failed``: the unit that raised a
    :class:`~plancycle.errors.PlanCycleError` (the reports stop before it), else None."""

    reports: list[RunReport]
    failed: int | None = None


@dataclass
class UnitRunner:
    """Runs units of one batch in this process, each context built once and the machines
    reused from run to run (:class:`Run`'s ``reuse``)."""

    batch: Batch
    places: list[Municipality | None] = field(init=False)
    contexts: dict[ProcessModel, Context] = field(init=False)
    pools: dict[ProcessModel, list[ProcessInstance]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        scenario = self.batch.scenario
        self.places = list(scenario.municipality_list())
        self.contexts = {model: scenario.context(model) for model in self.batch.models}

    def run(self, start: int, stop: int) -> list[RunReport]:
        """The reports of units ``start`` to ``stop - 1``; a failing run raises as it would
        alone."""
        scenario, models = self.batch.scenario, self.batch.models
        runs = scenario.variation.runs
        reports = []
        for unit in range(start, stop):
            place = self.places[unit // (len(models) * runs)]
            model = models[(unit // runs) % len(models)]
            run = Run(scenario, model=model, municipality=place, run=unit % runs, checked=True,
                      reuse=self.pools.get(model), context=self.contexts[model])
            run.advance()
            reports.append(run_report(run))
            self.pools[model] = run.instances
        return reports


_local = threading.local()


def run_chunk(batch: Batch, start: int, stop: int) -> ChunkResult:
    """Units ``start`` to ``stop - 1`` of ``batch`` in a worker (a process of a pool, or a
    thread of a Dask worker: each thread keeps its own :class:`UnitRunner` for the batch). A
    :class:`~plancycle.errors.PlanCycleError` is not sent back (not every one can be pickled):
    the unit is named, and the caller runs it again to raise it."""
    runner: UnitRunner | None = getattr(_local, "runner", None)
    if runner is None or (runner.batch is not batch and runner.batch != batch):
        runner = UnitRunner(batch)
        _local.runner = runner
    reports: list[RunReport] = []
    for unit in range(start, stop):
        try:
            reports.extend(runner.run(unit, unit + 1))
        except PlanCycleError:
            return ChunkResult(reports, failed=unit)
    return ChunkResult(reports)
