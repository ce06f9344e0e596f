"""The four lifecycles, each declared once as data (:mod:`.definition`)."""

from __future__ import annotations

from plancycle.processes import (
    action_economy_plan,
    election,
    planstrategi,
    regional_planstrategi,
    samfunnsdel,
)
from plancycle.processes.definition import (
    COUNTY_PROCESS_NAMES,
    PROCESS_MODELS,
    PROCESS_NAMES,
    ProcessDefinition,
    ProcessModel,
    ProcessName,
)

__all__ = ["COUNTY_PROCESS_NAMES", "PROCESS_MODELS", "PROCESS_NAMES", "ProcessDefinition", "ProcessModel",
           "ProcessName", "definition", "definitions"]


def definition(name: ProcessName, model: ProcessModel, *, handlingsdel_notice: bool = True,
               county: bool = False) -> ProcessDefinition:
    """The definition of process ``name`` under ``model`` (``county``: for a county authority)."""
    if name == "election":
        return election.definition(model)
    if name == "planstrategi":
        return planstrategi.definition(model)
    if name == "samfunnsdel":
        return samfunnsdel.definition(model)
    if name == "regional_planstrategi":
        return regional_planstrategi.definition(model)
    return action_economy_plan.definition(model, handlingsdel_notice=handlingsdel_notice,
                                          county=county)


def definitions(model: ProcessModel, *, handlingsdel_notice: bool = True,
                county: bool = False) -> tuple[ProcessDefinition, ...]:
    """The definitions of a municipality's four processes under ``model``, in process order;
    with ``county``, those of a county authority (election, regional planstrategi, budget)."""
    names = COUNTY_PROCESS_NAMES if county else PROCESS_NAMES
    return tuple(definition(name, model, handlingsdel_notice=handlingsdel_notice, county=county)
                 for name in names)
