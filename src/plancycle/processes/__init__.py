"""The four lifecycles, each declared once as data (:mod:`.definition`)."""

from __future__ import annotations

from plancycle.processes import action_economy_plan, election, planstrategi, samfunnsdel
from plancycle.processes.definition import (
    PROCESS_MODELS,
    PROCESS_NAMES,
    ProcessDefinition,
    ProcessModel,
    ProcessName,
)

__all__ = ["PROCESS_MODELS", "PROCESS_NAMES", "ProcessDefinition", "ProcessModel",
           "ProcessName", "definition", "definitions"]


def definition(name: ProcessName, model: ProcessModel, *,
               handlingsdel_notice: bool = True) -> ProcessDefinition:
    """The definition of process ``name`` under ``model``."""
    if name == "election":
        return election.definition(model)
    if name == "planstrategi":
        return planstrategi.definition(model)
    if name == "samfunnsdel":
        return samfunnsdel.definition(model)
    return action_economy_plan.definition(model, handlingsdel_notice=handlingsdel_notice)


def definitions(model: ProcessModel, *,
                handlingsdel_notice: bool = True) -> tuple[ProcessDefinition, ...]:
    """All four definitions under ``model``, in process order."""
    return tuple(definition(name, model, handlingsdel_notice=handlingsdel_notice)
                 for name in PROCESS_NAMES)
