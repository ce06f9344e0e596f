"""Schedules and followed terms as pandas DataFrames, for analysts (the optional ``frames``
extra: ``pip install "plancycle[frames]"``).

One row per milestone with typed columns: dates as ``datetime64`` (a missing date is ``NaT``),
the closed sets of values (process, kind, binding, confidence, status) as ``category`` (the
confidence ordered from the weakest, ``U < P < S < L``), ``provisional`` as ``bool``, ids and
texts as ``string``. :func:`all_schedules` gives every municipality's schedule of a term as one
table, without a loop. pandas is imported when a function is called, not with this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, get_args

from plancycle.errors import PlanCycleError
from plancycle.i18n import Language
from plancycle.models import MILESTONE_FIELDS, Milestone, Schedule
from plancycle.processes.declaration import Kind, ProcessModel, ProcessName
from plancycle.rules import CONFIDENCE_ORDER, Binding
from plancycle.term import Status, TermMilestone, TermStatus

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["all_schedules", "schedule_frame", "status_frame"]

#: The columns of :func:`status_frame` after the milestone's: status and the term's dates.
STATUS_FIELDS = ("status", "inferred", "planned_start", "planned_end", "actual_start",
                 "actual_end")
_DATES = ("start", "end", "due", "planned_start", "planned_end", "actual_start", "actual_end")


def pandas() -> Any:
    """The pandas module, or a :class:`PlanCycleError` saying how to install it."""
    try:
        import pandas as pd
    except ImportError:
        raise PlanCycleError(key="export_pandas_missing") from None
    return pd


def _categories() -> dict[str, tuple[str, ...]]:
    return {"process": get_args(ProcessName), "kind": get_args(Kind),
            "binding": get_args(Binding), "status": get_args(Status)}


def _record(m: Milestone) -> dict[str, object]:
    basis = "; ".join(f"{b.law} {b.section}" for b in m.basis)
    return {"id": m.id, "process": m.process, "kind": m.kind, "title": m.title, "start": m.start,
            "end": m.end, "due": m.due, "binding": m.binding, "basis": basis,
            "confidence": m.confidence, "provisional": m.provisional}


def _status_record(m: TermMilestone) -> dict[str, object]:
    return {**_record(m), "status": m.status, "inferred": m.inferred,
            "planned_start": m.planned_start, "planned_end": m.planned_end,
            "actual_start": m.actual_start, "actual_end": m.actual_end}


def _frame(records: Sequence[dict[str, object]], columns: Sequence[str]) -> pd.DataFrame:
    """``records`` as a frame with the typed columns of the module doc."""
    pdm = pandas()
    data: dict[str, Any] = {}
    categories = _categories()
    for column in columns:
        values = [record[column] for record in records]
        if column in _DATES:
            data[column] = pdm.to_datetime(pdm.Series(values, dtype=object)).astype(
                "datetime64[ns]")
        elif column in categories:
            data[column] = pdm.Categorical(values, categories=categories[column])
        elif column == "confidence":
            data[column] = pdm.Categorical(values, categories=CONFIDENCE_ORDER, ordered=True)
        elif column in ("provisional", "inferred"):
            data[column] = pdm.Series(values, dtype=bool)
        else:
            data[column] = pdm.Series(values, dtype="string")
    frame: pd.DataFrame = pdm.DataFrame(data, columns=list(columns))
    return frame


def schedule_frame(schedule: Schedule) -> pd.DataFrame:
    """One row per milestone of ``schedule``, in date order, with the columns of the schedule's
    CSV (:data:`~plancycle.models.MILESTONE_FIELDS`) typed as the module doc says."""
    return _frame([_record(m) for m in schedule.milestones], MILESTONE_FIELDS)


def status_frame(status: TermStatus) -> pd.DataFrame:
    """One row per milestone of a followed term on its day: the columns of
    :func:`schedule_frame`, then ``status`` (category), ``inferred`` (bool) and the planned and
    actual dates (``NaT`` where there are none)."""
    return _frame([_status_record(m) for m in status.milestones],
                  (*MILESTONE_FIELDS, *STATUS_FIELDS))


def all_schedules(election_year: int, model: ProcessModel = "classic", lang: Language = "nb",
                  counties: bool = False) -> pd.DataFrame:
    """Every municipality's schedule of the term elected in ``election_year`` as one frame: the
    columns ``municipality`` (number) and ``municipality_name`` (``county`` and ``county_name``
    with ``counties=True``: the county authorities instead), then those of
    :func:`schedule_frame`; one row per owner and milestone, owners in number order.

    The milestones of a term are computed once and shared by the owners that have the same
    ones, so this costs about as much as one schedule and a join.
    """
    from plancycle.exports.every import every_schedule

    pdm = pandas()
    every = every_schedule(election_year, model, lang, counties=counties)
    number, name = every.owner_fields
    groups: dict[tuple[int, ...], tuple[Schedule, list[int]]] = {}
    for index, schedule in enumerate(every.schedules):  # owners sharing the milestone objects
        key = tuple(map(id, schedule.milestones))
        groups.setdefault(key, (schedule, []))[1].append(index)
    parts = []
    for schedule, indexes in groups.values():
        owners = [every.schedules[i].municipality or every.schedules[i].county for i in indexes]
        left = pdm.DataFrame({"_owner": pdm.Series(indexes, dtype="int64"),
                              number: pdm.Series([o.number for o in owners if o], dtype="string"),
                              name: pdm.Series([o.name for o in owners if o], dtype="string")})
        right = schedule_frame(schedule)
        right.insert(0, "_row", range(len(right)))
        parts.append(left.merge(right, how="cross"))
    joined: pd.DataFrame = pdm.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    joined = joined.sort_values(["_owner", "_row"], kind="stable")
    result: pd.DataFrame = joined.drop(columns=["_owner", "_row"]).reset_index(drop=True)
    return result
