"""A simulation and a followed term are the same engine: the run's fired dates, recorded as facts,
give the same dates and the same broken rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plancycle.simulation import Run
from plancycle.simulation.files import load_scenario
from plancycle.term import Term

SCENARIOS = Path(__file__).parents[1] / "examples" / "scenarios"


@pytest.mark.parametrize("name", ["late_hearing.toml", "late_planstrategi_notice.toml",
                                  "late_budget_recommendation.toml", "late_constitution.toml"])
def test_a_simulated_run_recorded_as_facts_is_the_followed_term(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    run = Run(scenario)
    run.advance()
    period = run.ctx.period
    term = Term(election_year=scenario.election_year, model=run.model,
                constituted=period.constituted,
                municipality=run.municipality.number if run.municipality else None)
    fired = run.adjust.fired
    by_milestone: dict[str, tuple[dt.date, dt.date | None]] = {}
    for key, day in sorted(fired.items(), key=lambda item: (item[1], item[0])):
        milestone, _, end = key.partition(":")
        start, _ = by_milestone.get(milestone, (day, None))
        by_milestone[milestone] = (start, day) if end else (day, by_milestone.get(milestone,
                                                                                 (day, None))[1])
    facts = []
    for milestone, (start, end) in by_milestone.items():
        if milestone not in fired:
            continue
        facts.append({"milestone": milestone, "date": start, "end": end})
    followed = Term.model_validate({**term.model_dump(), "facts": facts})
    status = followed.status(period.end, lang="en")
    for m in status.milestones:
        if m.id in fired:
            assert m.start == fired[m.id], m.id
        if m.id + ":end" in fired:
            assert m.end == fired[m.id + ":end"], m.id
    simulated = {(v.rule, v.milestone, v.date) for i in run.instances for v in i.violations}
    recorded = {(v.rule, v.milestone, v.date) for v in status.violations}
    assert recorded == simulated
