"""The thread under simulated terms: a scenario (``plancycle thread --scenario FILE``) run in
the three process models, and per model the first budget year each focus area reaches.

The scenario's ``focus_areas`` (default: every focus area of the samfunnsdel) must be focus
areas of the content. Per model the median run (by its first budget year adopted after the
samfunnsdel, :class:`plancycle.measures.Measures`) is reported; with no variation there is one.
"""

from __future__ import annotations

from plancycle.content.models import ContentSet
from plancycle.content.thread import ModelReach, model_reach
from plancycle.errors import InputError
from plancycle.simulation import Scenario, compare


def scenario_reach(content: ContentSet, scenario: Scenario) -> tuple[ModelReach, ...]:
    part = content.samfunnsdel
    known = [f.id for f in part.focus_areas] if part else []
    for name in scenario.focus_areas:
        if name not in known:
            raise InputError(key="thread_scenario_focus_area", id=name,
                             known=", ".join(known) or "–")
    if scenario.election_year != content.election_year:
        raise InputError(key="thread_scenario_year", year=scenario.election_year,
                         content=content.election_year)
    report = compare(scenario, keep_runs=True)
    out = []
    for model in report.models:
        runs = sorted((r for r in report.runs if r.model == model),
                      key=lambda r: (r.measures.first_budget_year_after_samfunnsdel or 9999,
                                     r.run))
        middle = runs[len(runs) // 2]
        out.append(model_reach(content, model, middle.measures.samfunnsdel_adopted,
                               middle.measures.first_budget_year_after_samfunnsdel,
                               scenario.focus_areas))
    return tuple(out)
