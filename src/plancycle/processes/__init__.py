"""The lifecycles (election, plans, budget cycle, governance duties), each declared once as data.

The processes of the plans a planstrategi decides on (``plan``, issue 10) are not among a term's
:func:`definitions`: they run one instance per decided plan (:mod:`plancycle.processes.plan`).
"""

from __future__ import annotations

from plancycle.errors import InputError
from plancycle.processes import (
    action_economy_plan,
    election,
    governance,
    plan,
    planstrategi,
    regional_planstrategi,
    samfunnsdel,
)
from plancycle.processes.declaration import (
    COUNTY_PROCESS_NAMES,
    PROCESS_MODELS,
    PROCESS_NAMES,
    ProcessDefinition,
    ProcessModel,
    ProcessName,
)

__all__ = ["COUNTY_PROCESS_NAMES", "PROCESS_MODELS", "PROCESS_NAMES", "ProcessDefinition", "ProcessModel",
           "ProcessName", "definition", "definitions"]


#: Every process name: a municipality's, then those only a county authority runs.
_ALL_PROCESS_NAMES: tuple[ProcessName, ...] = PROCESS_NAMES + tuple(
    name for name in COUNTY_PROCESS_NAMES if name not in PROCESS_NAMES)


def definition(name: ProcessName, model: ProcessModel, *, handlingsdel_notice: bool = True,
               county: bool = False) -> ProcessDefinition:
    """The definition of process ``name`` under ``model`` (``county``: for a county authority).

    Raises :class:`~plancycle.errors.InputError` (keys ``unknown_process``, ``unknown_model``)
    naming the allowed values when ``name`` or ``model`` is not one of them.
    """
    if model not in PROCESS_MODELS:
        raise InputError(key="unknown_model", model=model, allowed=", ".join(PROCESS_MODELS))
    if name == "election":
        return election.definition(model)
    if name == "planstrategi":
        return planstrategi.definition(model)
    if name == "samfunnsdel":
        return samfunnsdel.definition(model)
    if name == "regional_planstrategi":
        return regional_planstrategi.definition(model)
    if name == "plan":  # a decided plan; its other kinds: plancycle.processes.plan.definition
        return plan.definition("kommuneplan", model, county=county)
    if name == "governance":
        return governance.definition(model, county=county)
    if name == "action_economy_plan":
        return action_economy_plan.definition(model, handlingsdel_notice=handlingsdel_notice,
                                              county=county)
    raise InputError(key="unknown_process", process=name, allowed=", ".join(_ALL_PROCESS_NAMES))


def definitions(model: ProcessModel, *, handlingsdel_notice: bool = True,
                county: bool = False) -> tuple[ProcessDefinition, ...]:
    """The definitions of a municipality's processes under ``model``, in process order; with
    ``county``, those of a county authority (election, regional planstrategi, budget,
    governance)."""
    names = COUNTY_PROCESS_NAMES if county else PROCESS_NAMES
    return tuple(definition(name, model, handlingsdel_notice=handlingsdel_notice, county=county)
                 for name in names)
