"""Benchmark: simulation batches on one process, on ``--jobs N`` processes and on a Dask cluster.

What is timed is what ``plancycle compare --municipality … --runs R --jobs N`` does: every
(municipality, model, run) unit of the shipped illustrative variation, reported and aggregated —
starting the pool included, as a command pays it. The baseline, measured in the same run, is one
process (``--jobs 1``: no pool at all). Then a process pool of each ``--jobs`` value, and, unless
``--no-dask``, a ``distributed.LocalCluster`` of ``--dask-workers`` one-thread worker processes
(started once, untimed; the client's connection is timed). Every report is checked to equal the
baseline's. Medians of ``--repeats``; runs/s and the speed-up against ``--jobs 1``; and the CPU
seconds of this process and its finished worker processes (the pool's overhead, which a busy
machine does not blur as it blurs the wall-clock time; not measured for Dask, whose workers
outlive the timing). Target on a 2-core machine: ``--jobs 2`` at least 1.8× as fast.

    python benchmarks/bench_jobs.py [--places 24] [--runs 10] [--jobs 2 4] [--repeats 3]
                                    [--no-dask] [--dask-workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import resource
import statistics
import time
from collections.abc import Callable, Iterator

from plancycle import municipalities
from plancycle.simulation import Scenario, SimulationReport, compare, typical_variation
from plancycle.simulation.executors import DaskCluster, Executor, ProcessPool
from plancycle.workers import available_cores


def _scenario(count: int, runs: int) -> Scenario:
    places = tuple(m.number for m in municipalities()[:count])
    variation = typical_variation().model_copy(update={"runs": runs, "seed": 2027})
    return Scenario(name="benchmark", election_year=2027, municipalities=places,
                    events=[{"type": "constituted", "date": "2027-10-21"}],  # type: ignore[list-item]
                    variation=variation)


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                resource.getrusage(resource.RUSAGE_CHILDREN)))


def _median(fn: Callable[[], SimulationReport], repeats: int,
            expected: SimulationReport | None) -> tuple[float, float, SimulationReport]:
    """Median wall-clock and CPU seconds of ``fn``, and its report."""
    times, cpu, report = [], [], None
    for _ in range(repeats):
        start, used = time.perf_counter(), _cpu()
        report = fn()
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - used)
        if expected is not None and report != expected:
            raise SystemExit("a report differs from the one of --jobs 1")
    assert report is not None
    return statistics.median(times), statistics.median(cpu), report


@contextlib.contextmanager
def _cluster(workers: int) -> Iterator[str | None]:
    try:
        from distributed import LocalCluster
    except ImportError:
        print("dask: distributed is not installed (pip install 'plancycle[dask]'); skipped")
        yield None
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, scheduler_port=0,
                      dashboard_address=None, worker_dashboard_address=None, host="127.0.0.1",
                      silence_logs=logging.ERROR) as cluster:  # type: ignore[no-untyped-call]
        yield cluster.scheduler_address


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=24, help="municipalities")
    parser.add_argument("--runs", type=int, default=10, help="runs per municipality and model")
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--dask-workers", type=int, default=2)
    args = parser.parse_args()

    scenario = _scenario(args.places, args.runs)
    total = args.places * 3 * args.runs
    compare(_scenario(1, 1))  # warm the caches (rules, contexts, holidays)
    print(f"{args.places} municipalities × 3 models × {args.runs} runs = {total} runs; "
          f"{available_cores()} cores; medians of {args.repeats}")
    print(f"{'where':>18} {'seconds':>8} {'runs/s':>8} {'speed-up':>8} {'cpu s':>7} "
          f"{'cpu ratio':>9}")
    base, base_cpu, expected = _median(lambda: compare(scenario, keep_runs=True), args.repeats,
                                       None)
    print(f"{'--jobs 1':>18} {base:>8.2f} {total / base:>8.0f} {1:>7.2f}× {base_cpu:>7.2f} "
          f"{1:>9.2f}")

    def row(name: str, executor: Executor, cpu_counted: bool) -> None:
        seconds, cpu, _ = _median(lambda: compare(scenario, executor=executor, keep_runs=True),
                                  args.repeats, expected)
        shown = f"{cpu:>7.2f} {cpu / base_cpu:>9.2f}" if cpu_counted else f"{'n/a':>7} {'':>9}"
        print(f"{name:>18} {seconds:>8.2f} {total / seconds:>8.0f} {base / seconds:>7.2f}× {shown}")

    for jobs in args.jobs:
        row(f"--jobs {jobs}", ProcessPool(jobs), True)
    if not args.no_dask:
        with _cluster(args.dask_workers) as address:
            if address is not None:
                row(f"dask {args.dask_workers} workers", DaskCluster(address), False)
    print("every report equals the one of --jobs 1; target: --jobs 2 at least 1.80× on 2 cores")


if __name__ == "__main__":
    main()
