"""Scripted scenario simulations: drive the lifecycles through a term, report, compare the models.

::

    from plancycle.simulation import Scenario, simulate
    scenario = Scenario(election_year=2027, municipalities=("Stavanger",), model="samskaping",
                        events=[{"type": "constituted", "date": "2027-10-21"},
                                {"type": "delay", "milestone": "samfunnsdel.public_consultation",
                                 "weeks": 3}])
    report = simulate(scenario)
    report.runs[0].measures.samfunnsdel_adopted      # 2028-08-31

A :class:`Scenario` is data (also read from TOML with :func:`load_scenario`); :class:`Run` drives one
municipality × model on a simulated clock; :func:`simulate` and :func:`compare` run batches and
aggregate; :mod:`.persistence` saves a running :class:`Run` to JSON and loads it back.
"""

from __future__ import annotations

from plancycle.measures import Measures
from plancycle.simulation.batch import compare, simulate, single, with_runs
from plancycle.simulation.events import (
    Constituted,
    Delay,
    Event,
    Fire,
    MeetingCancelled,
    Published,
)
from plancycle.simulation.files import load_scenario, parse_scenario, typical_variation
from plancycle.simulation.persistence import RunState, load, save
from plancycle.simulation.report import (
    Aggregate,
    RunReport,
    SimulationReport,
    Summary,
    ViolationRecord,
    run_report,
)
from plancycle.simulation.runner import Run
from plancycle.simulation.scenario import Scenario, ScenarioError, check_scenario
from plancycle.simulation.variation import PhaseVariation, Variation

__all__ = [
    "Aggregate", "Constituted", "Delay", "Event", "Fire", "Measures", "MeetingCancelled",
    "PhaseVariation", "Published", "Run", "RunReport", "RunState", "Scenario", "ScenarioError",
    "SimulationReport", "Summary", "Variation", "ViolationRecord", "check_scenario", "compare",
    "load", "load_scenario", "parse_scenario", "run_report", "save", "simulate", "single",
    "typical_variation", "with_runs",
]
