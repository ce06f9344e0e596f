"""Benchmark: scenario simulations (municipalities × 3 models × runs of one term) against bare triggers.

What is timed is what ``plancycle compare --all --runs 10`` does: for every municipality, model and
run, draw the shipped illustrative variation, drive one ``ProcessInstance`` per process and yearly
cycle through the term on the simulated clock, report and aggregate. Two baselines are measured in
the same process on exactly the triggers the simulation fired (recorded in an untimed pass first):

- **bare transitions**: the same number of ``transitions`` triggers, in the same order, on machines
  built once beforehand (one per process instance, reset with ``set_state``) — the target is a
  simulation within 3× of this;
- **core fire**: the same (trigger, date) sequence through ``ProcessInstance.fire`` on instances
  built once beforehand (reset with ``load_state``) — the share of the time the core's rule checks
  take, which the simulation cannot avoid.

Sizes: ``--unit`` municipalities (default 8) × 3 models × ``--runs`` (default 10), scaled by each
``--scale`` factor (default 1, 4, 16: 240, 960 and 3 840 runs) to show that the cost is linear in
the number of runs; ``--full`` adds all 357 municipalities (10 710 runs). Medians of ``--repeats``.
Peak memory: tracemalloc's peak during one extra, untimed pass per size, and the process's maximum
resident set size at the end.

    python benchmarks/bench_simulation.py [--scale 1 4 16] [--unit 8] [--runs 10] [--full]
                                          [--repeats 3] [--no-memory]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from transitions import Machine

from plancycle import municipalities
from plancycle.machine import InstanceState, ProcessInstance, transitions_of
from plancycle.processes import PROCESS_MODELS
from plancycle.simulation import Run, Scenario, compare, typical_variation
from plancycle.simulation.timeline import InstanceSpec

Recorded = list[tuple[str, int, list[list[tuple[str, dt.date]]]]]  # model, run size, histories


def _scenario(count: int, runs: int) -> Scenario:
    places = tuple(m.number for m in municipalities()[:count])
    variation = typical_variation().model_copy(update={"runs": runs, "seed": 2027})
    return Scenario(name="benchmark", election_year=2027, municipalities=places,
                    events=[{"type": "constituted", "date": "2027-10-21"}],  # type: ignore[list-item]
                    variation=variation)


def _record(scenario: Scenario) -> Recorded:
    """Run every (municipality, model, run) once, untimed, and keep each instance's history."""
    out: Recorded = []
    for place in scenario.municipality_list():
        for model in PROCESS_MODELS:
            for index in range(scenario.variation.runs):
                run = Run(scenario, model=model, municipality=place, run=index, checked=True)
                run.advance()
                out.append((model, 0, [[(h.trigger, h.date) for h in i.history]
                                       for i in run.instances]))
    return out


class _Bare:
    """A plain model object for a bare transitions machine."""

    state: str


def _bare_machines(scenario: Scenario) -> dict[str, list[tuple[Any, Machine, str]]]:
    out = {}
    for model in PROCESS_MODELS:
        machines = []
        spec: InstanceSpec
        for spec in scenario.context(model).instances:
            steps = tuple(c.step for c in spec.chain if c.edge == "start")
            edges = transitions_of(spec.definition, steps)
            states = list(dict.fromkeys([spec.definition.initial, *(e["dest"] for e in edges)]))
            bare = _Bare()
            machine = Machine(model=bare, states=states, transitions=edges,
                              initial=spec.definition.initial, auto_transitions=False)
            machines.append((bare, machine, spec.definition.initial))
        out[model] = machines
    return out


def _bare_run(recorded: Recorded, machines: dict[str, list[tuple[Any, Machine, str]]]) -> int:
    fired = 0
    for model, _, histories in recorded:
        for (bare, machine, initial), history in zip(machines[model], histories, strict=True):
            machine.set_state(initial, model=bare)
            for trigger, _ in history:
                bare.trigger(trigger)
            fired += len(history)
    return fired


def _core_instances(scenario: Scenario) -> dict[str, list[tuple[ProcessInstance, InstanceState]]]:
    out = {}
    for model in PROCESS_MODELS:
        ctx = scenario.context(model)
        out[model] = [(ProcessInstance(s.definition, ctx.period, year=s.year, mode="record"),
                       InstanceState(process=s.definition.name, model=model, year=s.year,
                                     mode="record", state=s.definition.initial))
                      for s in ctx.instances]
    return out


def _core_run(recorded: Recorded,
              instances: dict[str, list[tuple[ProcessInstance, InstanceState]]]) -> int:
    fired = 0
    for model, _, histories in recorded:
        for (instance, initial), history in zip(instances[model], histories, strict=True):
            instance.load_state(initial)
            for trigger, day in history:
                instance.fire(trigger, day)
            fired += len(history)
    return fired


def _median(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _measure(name: str, count: int, args: argparse.Namespace) -> float:
    """Time one size; print its row; return the simulation's seconds per run."""
    scenario = _scenario(count, args.runs)
    recorded = _record(scenario)
    runs = len(recorded)
    machines = _bare_machines(scenario)
    instances = _core_instances(scenario)
    triggers = _bare_run(recorded, machines)
    ours = _median(lambda: compare(scenario), args.repeats)
    bare = _median(lambda: _bare_run(recorded, machines), args.repeats)
    core = _median(lambda: _core_run(recorded, instances), args.repeats)
    peak = float("nan") if args.no_memory else _peak_mib(lambda: compare(scenario))
    print(f"{name:>5} {count:>6} {runs:>6} {triggers:>9} {ours:>10.2f} {runs / ours:>7.0f} "
          f"{ours / runs * 1e6:>7.0f} {bare:>7.3f} {ours / bare:>6.2f} {core:>11.3f} "
          f"{ours / core:>6.2f} {peak:>8.1f}")
    return ours / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--unit", type=int, default=8, help="municipalities at scale 1")
    parser.add_argument("--runs", type=int, default=10, help="runs per municipality and model")
    parser.add_argument("--full", action="store_true", help="also all 357 municipalities")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()

    sizes = [(f"{s}x", min(s * args.unit, len(municipalities()))) for s in args.scale]
    if args.full:
        sizes.append(("all", len(municipalities())))
    compare(_scenario(1, 1))  # warm the caches (rules, contexts, holidays)
    print(f"runs per municipality and model: {args.runs}; models: {', '.join(PROCESS_MODELS)}; "
          f"medians of {args.repeats}")
    header = (f"{'size':>5} {'places':>6} {'runs':>6} {'triggers':>9} {'simulate s':>10} "
              f"{'runs/s':>7} {'us/run':>7} {'bare s':>7} {'ratio':>6} {'core fire s':>11} "
              f"{'ratio':>6} {'peak MiB':>8}")
    print(header)
    per_run = {name: _measure(name, count, args) for name, count in sizes}
    first = sizes[0][0]
    print("linearity (time per run relative to " + first + "): " + ", ".join(
        f"{name} {per_run[name] / per_run[first]:.2f}" for name, _ in sizes))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max resident set size of the process: {rss:.0f} MiB; target ratio to bare "
          "transitions: within 3")


if __name__ == "__main__":
    main()
