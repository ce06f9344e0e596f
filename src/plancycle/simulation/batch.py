"""Many runs: every municipality × model × run of a scenario, aggregated (and model comparison).

The runs are independent units (:mod:`.units`); an executor (:mod:`.executors`) may run them on
several processes or a Dask cluster, and the report is the same as in one process.
"""

from __future__ import annotations

from collections.abc import Callable

from plancycle.errors import InputError, wrong_type
from plancycle.i18n import Language
from plancycle.processes import PROCESS_MODELS, ProcessModel
from plancycle.schedule import build_schedule
from plancycle.simulation.executors import Executor, run_batch
from plancycle.simulation.report import (
    Aggregate,
    RunReport,
    SimulationReport,
    aggregate,
    run_report,
)
from plancycle.simulation.runner import Run
from plancycle.simulation.scenario import Scenario, check_scenario
from plancycle.simulation.units import Batch
from plancycle.simulation.variation import Variation

Progress = Callable[[int, int], None]

#: The most runs one command runs in all (municipalities × models × runs) unless forced: about
#: a few minutes on one core. ``plancycle simulate``/``compare`` refuse more without ``--force``.
MAX_RUNS = 100_000

#: The most runs per municipality and model a scenario may ask for (:class:`Variation`'s bound).
MAX_RUNS_PER_GROUP: int = next(
    int(item.le) for item in Variation.model_fields["runs"].metadata if hasattr(item, "le"))


def total_runs(scenario: Scenario, models: tuple[ProcessModel, ...]) -> int:
    """How many runs :func:`simulate` makes of ``scenario`` with ``models``."""
    return len(scenario.municipality_list()) * len(models) * scenario.variation.runs


def check_workload(scenario: Scenario, models: tuple[ProcessModel, ...], *,
                   force: bool = False) -> None:
    """:class:`InputError` when ``scenario`` with ``models`` makes more than :data:`MAX_RUNS`
    runs in all, unless ``force``."""
    total = total_runs(scenario, models)
    if total > MAX_RUNS and not force:
        raise InputError(key="sim_runs_too_many", total=total, places=len(
            scenario.municipality_list()), models=len(models), runs=scenario.variation.runs,
            limit=MAX_RUNS)


def with_runs(scenario: Scenario, runs: int | None = None, seed: int | None = None) -> Scenario:
    """``scenario`` with its number of runs and/or seed replaced; :class:`InputError` when
    ``runs`` is outside 1–:data:`MAX_RUNS_PER_GROUP`."""
    _check_scenario_type("with_runs", scenario)
    for argument, value in (("runs", runs), ("seed", seed)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise wrong_type("with_runs", argument, "int or None", value)
    if runs is None and seed is None:
        return scenario
    if runs is not None and not 1 <= runs <= MAX_RUNS_PER_GROUP:
        raise InputError(key="sim_runs_out_of_range", runs=runs, limit=MAX_RUNS_PER_GROUP)
    variation = scenario.variation
    changed = Variation(seed=variation.seed if seed is None else seed,
                        runs=variation.runs if runs is None else runs, phases=variation.phases)
    return scenario.model_copy(update={"variation": changed})


def _check_scenario_type(what: str, scenario: object) -> None:
    if not isinstance(scenario, Scenario):
        raise wrong_type(what, "scenario", "Scenario", scenario)


def simulate(scenario: Scenario, *, models: tuple[ProcessModel, ...] | None = None,
             progress: Progress | None = None, keep_runs: bool = True,
             lang: Language = "en", executor: Executor | None = None) -> SimulationReport:
    """Run ``scenario`` for each of its municipalities, each model (default: the scenario's) and
    ``variation.runs`` runs, and aggregate. ``progress(done, total)`` is called after each run
    (after each chunk of runs with an ``executor``: :class:`~.executors.ProcessPool`,
    :class:`~.executors.DaskCluster`; None: in this process). Deterministic: the same scenario
    (and seed) gives the same report, wherever the runs ran. ``lang``: the language of the
    warnings (e.g. that the reform model assumes a law change not in force)."""
    _check_scenario_type("simulate", scenario)
    models = models or (scenario.model,)
    check_scenario(scenario, models)
    places = scenario.municipality_list()
    runs = scenario.variation.runs
    every = iter(run_batch(Batch(scenario, models), executor, progress))  # in unit order
    kept: list[RunReport] = []
    groups: list[Aggregate] = []
    per_model: dict[ProcessModel, list[RunReport]] = {model: [] for model in models}
    for place in places:
        for model in models:
            reports = [next(every) for _ in range(runs)]
            groups.append(aggregate(reports, municipality=place.number if place else None,
                                    municipality_name=place.name if place else None))
            per_model[model].extend(reports)
            if keep_runs:
                kept.extend(reports)
    overall = tuple(aggregate(per_model[model]) for model in models)
    period = scenario.period()
    warnings: dict[str, None] = {}
    for model in models:
        warnings.update(dict.fromkeys(
            build_schedule(period, None, model, scenario.options(), lang=lang).warnings))
    return SimulationReport(
        scenario=scenario.name, election_year=scenario.election_year,
        election_day=period.election_day, constituted=period.constituted,
        constituted_assumed=period.constituted_assumed, models=models, runs_per_group=runs,
        runs=tuple(kept), aggregates=tuple(groups), overall=overall,
        warnings=tuple(warnings))


def compare(scenario: Scenario, *, progress: Progress | None = None, keep_runs: bool = False,
            lang: Language = "en", executor: Executor | None = None) -> SimulationReport:
    """The three models on the same events and the same random draws, side by side (run where
    ``executor`` says, as :func:`simulate`)."""
    _check_scenario_type("compare", scenario)
    return simulate(scenario, models=PROCESS_MODELS, progress=progress, keep_runs=keep_runs,
                    lang=lang, executor=executor)


def single(run: Run, *, lang: Language = "en") -> SimulationReport:
    """The report of one run (e.g. a run advanced to a day, or restored from a file)."""
    if not isinstance(run, Run):
        raise wrong_type("single", "run", "Run", run)
    report = run_report(run)
    scenario, period = run.scenario, run.ctx.period
    group = aggregate([report], municipality=report.municipality,
                      municipality_name=report.municipality_name)
    warnings = build_schedule(period, None, run.model, scenario.options(), lang=lang).warnings
    return SimulationReport(
        scenario=scenario.name, election_year=scenario.election_year,
        election_day=period.election_day, constituted=period.constituted,
        constituted_assumed=period.constituted_assumed, models=(run.model,), runs_per_group=1,
        runs=(report,), aggregates=(group,), overall=(aggregate([report]),), warnings=warnings)
