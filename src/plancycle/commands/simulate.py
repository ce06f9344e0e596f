"""``plancycle simulate``: run a scenario file (or continue a saved run) and report.

    plancycle simulate FILE [--format table|json|csv] [--output FILE] [--quiet] [--lang nb|nn|en]
                            [--runs N] [--seed S] [--force] [--jobs N | --dask ADDRESS]
                            [--until YYYY-MM-DD --save-state STATE.json]
    plancycle simulate --resume STATE.json [--until ...] [--save-state ...]

A command runs at most :data:`~plancycle.simulation.batch.MAX_RUNS` runs in all (municipalities
× models × runs) unless ``--force`` is given; no scenario takes more than
:data:`~plancycle.simulation.batch.MAX_RUNS_PER_GROUP` runs per municipality and model.

``--jobs N`` runs the runs in N processes (at most one per core unless ``--force``), ``--dask
ADDRESS`` on a Dask cluster; the report is the same, byte for byte. A single run (``--until``,
``--save-state``, ``--resume``) runs in this process.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from plancycle.commands._options import (
    add_output,
    emit,
    is_folder,
    nonempty,
    nonempty_path,
    parse_count,
    parse_date,
    parse_integer,
    reason,
    warn,
)
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import cli_language, help_text
from plancycle.errors import InputError
from plancycle.exports.binary import refuse_terminal
from plancycle.i18n import LANGUAGES, check_language
from plancycle.output import shown
from plancycle.simulation import persistence
from plancycle.simulation.batch import MAX_RUNS, check_workload, simulate, single, with_runs
from plancycle.simulation.executors import DaskCluster, Executor, ProcessPool
from plancycle.simulation.files import load_scenario
from plancycle.simulation.progress import progress_bar
from plancycle.simulation.render import aggregates_csv, runs_csv, to_json, to_table
from plancycle.simulation.report import SimulationReport
from plancycle.simulation.runner import Run
from plancycle.workers import available_cores, check_jobs


def grouped(number: int) -> str:
    """``number`` with its thousands grouped as the command line's language writes them:
    1,000,000 in English, 1 000 000 in Norwegian (where a comma is the decimal sign)."""
    return f"{number:,}".replace(",", "," if cli_language() == "en" else " ")


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """``--format``, ``--output``, ``--quiet``, ``--lang``, ``--runs``, ``--seed``, ``--force``
    and where the runs run: ``--jobs`` or ``--dask``."""
    parser.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table",
                        help=help_text("opt_format"))
    add_output(parser)
    parser.add_argument("--quiet", action="store_true", help=help_text("report_quiet"))
    parser.add_argument("--lang", choices=LANGUAGES, default="nb",
                        help=help_text("report_lang"))
    parser.add_argument("--runs", type=parse_count, metavar="N",
                        help=help_text("report_runs"))
    parser.add_argument("--seed", type=parse_integer, metavar="S",
                        help=help_text("report_seed"))
    add_table_options(parser)
    parser.add_argument("--force", action="store_true",
                        help=help_text("report_force", limit=grouped(MAX_RUNS)))
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=parse_integer, metavar="N",
                       help=help_text("jobs_processes", cores=available_cores()))
    where.add_argument("--dask", type=nonempty, metavar="ADDRESS", help=help_text("jobs_dask"))


#: Processes per core ``--jobs`` may ask for without ``--force`` (the runs only compute).
JOBS_PER_CORE = 1


def executor_from_args(args: argparse.Namespace) -> Executor | None:
    """Where ``--jobs``/``--dask`` say the runs run: a pool of processes (``--jobs`` 2 or more,
    checked: :func:`~plancycle.workers.check_jobs`), a Dask cluster, or None (this process)."""
    if args.dask is not None:
        return DaskCluster(args.dask)
    if args.jobs is None:
        return None
    jobs = check_jobs(args.jobs, force=args.force, per_core=JOBS_PER_CORE)
    return ProcessPool(jobs) if jobs > 1 else None


def register(commands: Any) -> None:
    parser = commands.add_parser("simulate", help=help_text("command_simulate"),
                                 description=help_text("simulate_description"))
    parser.add_argument("file", nargs="?", type=nonempty_path, metavar="FILE",
                        help=help_text("simulate_file"))
    add_report_options(parser)
    parser.add_argument("--until", type=parse_date, metavar="YYYY-MM-DD",
                        help=help_text("simulate_until"))
    parser.add_argument("--save-state", type=nonempty_path, metavar="STATE.json",
                        help=help_text("simulate_save_state"))
    parser.add_argument("--resume", type=nonempty_path, metavar="STATE.json",
                        help=help_text("simulate_resume"))
    parser.set_defaults(handler=run_simulate)


def render(report: SimulationReport, fmt: str, lang: str, *, per_run_csv: bool,
           width: int | None = None) -> bytes:
    if fmt == "xlsx":
        from plancycle.exports.simulation_xlsx import simulation_xlsx

        return simulation_xlsx(report, check_language(lang))
    if fmt == "json":
        return to_json(report, lang).encode()
    if fmt == "csv":
        return (runs_csv(report) if per_run_csv else aggregates_csv(report)).encode()
    return to_table(report, lang, width=width).encode()  # type: ignore[arg-type]


def width_of(args: argparse.Namespace) -> int | None:
    """The width of a table report (``--width``, ``COLUMNS``, the terminal); None for JSON/CSV."""
    return table_width(args) if args.format == "table" else None


def warn_about(report: SimulationReport, args: argparse.Namespace) -> None:
    """Warnings on stderr, unless a table on stdout shows them already."""
    if args.format != "table" or args.output is not None:
        for warning in report.warnings:
            warn(warning)


def run_simulate(args: argparse.Namespace) -> int:
    refuse_terminal(args.format, args.output)
    executor = executor_from_args(args)
    if (args.file is None) == (args.resume is None):
        raise InputError(key="simulate_file_or_resume")
    if args.resume is not None:
        if args.runs is not None or args.seed is not None:
            raise InputError(key="simulate_resume_runs_seed")
        return _single(persistence.load(args.resume), args)
    scenario = with_runs(load_scenario(args.file), args.runs, args.seed)
    check_workload(scenario, (scenario.model,), force=args.force)
    one = len(scenario.municipality_list()) == 1 and scenario.variation.runs == 1
    if args.until is not None or args.save_state is not None:
        if not one:
            raise InputError(key="simulate_one_run_only")
        places = scenario.municipality_list()
        return _single(Run(scenario, municipality=places[0]), args)
    report = simulate(scenario, progress=progress_bar(sys.stderr, quiet=args.quiet, lang=args.lang),
                      lang=args.lang, executor=executor)
    warn_about(report, args)
    emit(render(report, args.format, args.lang, per_run_csv=True,
                width=width_of(args)), args.output)
    return 0


def _single(run: Run, args: argparse.Namespace) -> int:
    run.advance(args.until)
    target: Path | None = args.save_state
    if target is not None:
        if is_folder(target, "--save-state"):
            raise InputError(key="output_is_folder", option="--save-state", file=shown(target))
        if not is_folder(target.parent, "--save-state"):
            raise InputError(key="output_no_folder", option="--save-state", file=shown(target),
                             folder=shown(target.parent))
        try:
            persistence.save(run, target)
        except OSError as exc:
            raise InputError(key="output_unwritable", option="--save-state", file=shown(target),
                             reason=reason(exc)) from None
    report = single(run, lang=args.lang)
    warn_about(report, args)
    emit(render(report, args.format, args.lang, per_run_csv=True,
                width=width_of(args)), args.output)
    return 0
