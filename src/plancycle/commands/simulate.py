"""``plancycle simulate``: run a scenario file (or continue a saved run) and report.

    plancycle simulate FILE [--format table|json|csv] [--output FILE] [--quiet] [--lang nb|nn|en]
                            [--runs N] [--seed S] [--force]
                            [--until YYYY-MM-DD --save-state STATE.json]
    plancycle simulate --resume STATE.json [--until ...] [--save-state ...]

A command runs at most :data:`~plancycle.simulation.batch.MAX_RUNS` runs in all (municipalities
× models × runs) unless ``--force`` is given; no scenario takes more than
:data:`~plancycle.simulation.batch.MAX_RUNS_PER_GROUP` runs per municipality and model.
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
    nonempty_path,
    parse_count,
    parse_date,
    parse_integer,
    reason,
    warn,
)
from plancycle.errors import InputError
from plancycle.i18n import LANGUAGES
from plancycle.output import shown
from plancycle.simulation import persistence
from plancycle.simulation.batch import MAX_RUNS, check_workload, simulate, single, with_runs
from plancycle.simulation.files import load_scenario
from plancycle.simulation.progress import progress_bar
from plancycle.simulation.render import aggregates_csv, runs_csv, to_json, to_table
from plancycle.simulation.report import SimulationReport
from plancycle.simulation.runner import Run


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """``--format``, ``--output``, ``--quiet``, ``--lang``, ``--runs``, ``--seed`` and
    ``--force``."""
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    add_output(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    parser.add_argument("--lang", choices=LANGUAGES, default="nb",
                        help="language of the table and warnings (default: nb)")
    parser.add_argument("--runs", type=parse_count, metavar="N",
                        help="number of runs per municipality and model (overrides the file)")
    parser.add_argument("--seed", type=parse_integer, metavar="S",
                        help="seed of the random variation (overrides the file)")
    parser.add_argument("--force", action="store_true",
                        help=f"run even when that makes more than {MAX_RUNS:,} runs in all "
                             "(municipalities × models × runs); without it such a command is "
                             "refused")


def register(commands: Any) -> None:
    parser = commands.add_parser("simulate", help="run a scenario through the term and report")
    parser.add_argument("file", nargs="?", type=nonempty_path, metavar="FILE",
                        help="scenario file (TOML); see examples/scenarios/")
    add_report_options(parser)
    parser.add_argument("--until", type=parse_date, metavar="YYYY-MM-DD",
                        help="stop the clock after this day (one run only)")
    parser.add_argument("--save-state", type=nonempty_path, metavar="STATE.json",
                        help="save the run's state to continue later with --resume (one run only)")
    parser.add_argument("--resume", type=nonempty_path, metavar="STATE.json",
                        help="continue a run saved with --save-state instead of reading FILE")
    parser.set_defaults(handler=run_simulate)


def render(report: SimulationReport, fmt: str, lang: str, *, per_run_csv: bool) -> bytes:
    if fmt == "json":
        return to_json(report).encode()
    if fmt == "csv":
        return (runs_csv(report) if per_run_csv else aggregates_csv(report)).encode()
    return to_table(report, lang).encode()  # type: ignore[arg-type]


def warn_about(report: SimulationReport, args: argparse.Namespace) -> None:
    """Warnings on stderr, unless a table on stdout shows them already."""
    if args.format != "table" or args.output is not None:
        for warning in report.warnings:
            warn(warning)


def run_simulate(args: argparse.Namespace) -> int:
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
                      lang=args.lang)
    warn_about(report, args)
    emit(render(report, args.format, args.lang, per_run_csv=True), args.output)
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
    emit(render(report, args.format, args.lang, per_run_csv=True), args.output)
    return 0
