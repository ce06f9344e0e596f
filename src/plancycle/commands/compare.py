"""``plancycle compare``: classic, samskaping and reform on the same events, side by side.

    plancycle compare --election-year 2027 [--municipality NAME ...|--all] [--runs N --seed S]
                      [--scenario FILE] [--constituted YYYY-MM-DD] [--profile typical|observed]
                      [--format table|json|csv]
                      [--output FILE] [--quiet] [--lang nb|nn|en] [--force]
                      [--jobs N | --dask ADDRESS]

Without ``--runs``/``--seed`` (and without a scenario with variation) each model runs once, as
planned. With them, every run draws the shipped variation profile ``--profile`` (``typical``, the
illustrative default, or ``observed``, calibrated on real terms), or the scenario's
``[variation]``; the three models get the same draws. More than
:data:`~plancycle.simulation.batch.MAX_RUNS` runs in all (municipalities × 3 models × runs) are
refused unless ``--force`` is given. ``--jobs`` and ``--dask`` run the runs elsewhere, as in
``plancycle simulate``, with the same report.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from plancycle.commands._options import emit, nonempty, nonempty_path, parse_date, parse_year
from plancycle.commands._texts import help_text
from plancycle.commands.simulate import (
    add_report_options,
    executor_from_args,
    render,
    warn_about,
    width_of,
)
from plancycle.errors import InputError
from plancycle.exports.binary import refuse_terminal
from plancycle.processes import PROCESS_MODELS
from plancycle.simulation.batch import MAX_RUNS_PER_GROUP, check_workload, compare
from plancycle.simulation.events import Constituted
from plancycle.simulation.files import PROFILES, load_scenario, parse_scenario, variation_profile
from plancycle.simulation.progress import progress_bar
from plancycle.simulation.scenario import Scenario
from plancycle.simulation.variation import Variation


def register(commands: Any) -> None:
    parser = commands.add_parser("compare", help=help_text("command_compare"),
                                 description=help_text("compare_description"))
    parser.add_argument("--election-year", type=parse_year, metavar="YEAR",
                        help=help_text("compare_election_year"))
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--municipality", action="append", type=nonempty, metavar="NUMBER|NAME",
                       help=help_text("compare_municipality"))
    where.add_argument("--all", action="store_true", help=help_text("compare_all"))
    parser.add_argument("--scenario", type=nonempty_path, metavar="FILE",
                        help=help_text("compare_scenario"))
    parser.add_argument("--constituted", type=parse_date, metavar="YYYY-MM-DD",
                        help=help_text("compare_constituted"))
    parser.add_argument("--no-handlingsdel-notice", action="store_true",
                        help=help_text("opt_no_handlingsdel_notice"))
    parser.add_argument("--profile", choices=PROFILES, default="typical",
                        help=help_text("profile"))
    add_report_options(parser)
    parser.set_defaults(handler=run_compare)


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario a compare command line describes."""
    if args.runs is not None and args.runs > MAX_RUNS_PER_GROUP:
        raise InputError(key="sim_runs_out_of_range", runs=args.runs, limit=MAX_RUNS_PER_GROUP)
    if args.scenario is not None:
        base = load_scenario(args.scenario, models=PROCESS_MODELS)
        if args.election_year is not None and args.election_year != base.election_year:
            raise InputError(key="compare_year_differs", given=args.election_year,
                             scenario=base.election_year)
        data = base.model_dump(exclude_defaults=True)
    elif args.election_year is None:
        raise InputError(key="compare_no_year")
    else:
        data = {"election_year": args.election_year, "name": "compare"}
    if args.all:
        data["municipalities"] = ["all"]
    elif args.municipality:
        data["municipalities"] = args.municipality
    if args.constituted is not None:
        events = [e for e in data.get("events", []) if e.get("type") != "constituted"]
        data["events"] = [Constituted(type="constituted", date=args.constituted).model_dump(),
                          *events]
    if args.no_handlingsdel_notice:
        data["handlingsdel_notice"] = False
    variation = Variation.model_validate(data.get("variation", {}))
    wants_variation = args.runs is not None or args.seed is not None or variation.phases
    profile = getattr(args, "profile", "typical")
    phases = variation.phases or (variation_profile(profile).phases if wants_variation else ())
    data["variation"] = {"seed": variation.seed if args.seed is None else args.seed,
                         "runs": (args.runs or variation.runs) if phases else 1,
                         "phases": [p.model_dump(exclude_none=True) for p in phases]}
    return parse_scenario(data, source=str(args.scenario) if args.scenario else "compare",
                          models=PROCESS_MODELS)


def run_compare(args: argparse.Namespace) -> int:
    refuse_terminal(args.format, args.output)
    executor = executor_from_args(args)
    scenario = scenario_from_args(args)
    check_workload(scenario, PROCESS_MODELS, force=args.force)
    report = compare(scenario, progress=progress_bar(sys.stderr, quiet=args.quiet, lang=args.lang),
                     lang=args.lang, executor=executor)
    warn_about(report, args)
    emit(render(report, args.format, args.lang, per_run_csv=False, width=width_of(args)),
         args.output)
    return 0
