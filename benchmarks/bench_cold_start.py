"""Benchmark: the command line's cold start, whole processes, against importing its dependencies.

Each scenario is a new interpreter, run ``--runs`` times in turn with the others (so a load that
comes and goes on the machine falls on all of them alike); reported are the median wall time
and the median CPU time (user + system of the child, less sensitive to other processes), and
their ratios against the baseline measured in the same run:

- baseline: ``python -c "import transitions, pydantic, icalendar, dateutil, holidays"``;
- ics: ``plancycle ics --election-year 2027 --municipality Stavanger --output FILE``;
- version: ``plancycle --version``;
- help: ``plancycle --help`` (every command's summary, no command module imported).

The target of issue 13 is ics within 1.5x of the baseline.

Every interpreter reads and writes its bytecode in a cache of this run (``PYTHONPYCACHEPREFIX``,
filled by the warm-up runs), as an installed package has its ``.pyc`` files compiled by pip: a
source checkout run with ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile plancycle's
modules (not the dependencies', whose ``.pyc`` files exist) at every start, a cost no user pays.
``--no-bytecode-cache`` measures that way instead.

    python benchmarks/bench_cold_start.py [--runs 15] [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = "import transitions, pydantic, icalendar, dateutil, holidays"


def _once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command`` (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command} exited {done.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each scenario (medians)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep the environment's PYTHONDONTWRITEBYTECODE (compile at each start)")
    args = parser.parse_args()
    runs = max(1, min(args.runs, 200))
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        output = str(Path(folder) / "stavanger.ics")
        scenarios = {
            "baseline (import the 5 deps)": [python, "-c", BASELINE],
            "plancycle ics (Stavanger 2027)": [python, "-m", "plancycle", "ics", "--election-year",
                                               "2027", "--municipality", "Stavanger",
                                               "--output", output],
            "plancycle --version": [python, "-m", "plancycle", "--version"],
            "plancycle --help": [python, "-m", "plancycle", "--help"],
        }
        for command in scenarios.values():  # warm the file cache and the .pyc files
            _once(command, env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in scenarios}
        for _ in range(runs):
            for name, command in scenarios.items():
                times[name].append(_once(command, env))
    cache = "compiled at each start" if args.no_bytecode_cache else "cached"
    print(f"{runs} runs each, medians; {os.cpu_count()} cores; Python {sys.version.split()[0]};"
          f" bytecode {cache}")
    base_wall = statistics.median(wall for wall, _ in times["baseline (import the 5 deps)"])
    base_cpu = statistics.median(cpu for _, cpu in times["baseline (import the 5 deps)"])
    print(f"{'scenario':<32} {'wall s':>8} {'ratio':>6} {'cpu s':>8} {'ratio':>6}")
    for name, measured in times.items():
        wall = statistics.median(w for w, _ in measured)
        cpu = statistics.median(c for _, c in measured)
        print(f"{name:<32} {wall:8.3f} {wall / base_wall:6.2f} {cpu:8.3f} {cpu / base_cpu:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
