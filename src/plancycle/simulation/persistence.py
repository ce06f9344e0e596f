"""Saving a running scenario to JSON and loading it back to continue identically.

:class:`RunState` holds everything a :class:`~.runner.Run` needs: the scenario (with its events and
variation), municipality, model, run number, seed and draws, the simulated clock, the timeline's
adjustments, each process instance's state, history and violations, the events not yet applied,
and the notes so far. Files are written atomically (a temporary file, then a rename).

Schema versions and migration
-----------------------------
Every file carries ``schema_version``. :func:`migrate` upgrades older files one step at a time
(``MIGRATIONS[v]`` turns version ``v`` into ``v + 1``) before validation, so a file written by any
earlier version loads. To change the format: bump :data:`SCHEMA_VERSION`, add the step from the
previous version to :data:`MIGRATIONS`, and add a fixture of the previous version to the tests.

- **0** (prototype): ``today`` for the clock; ``instances`` as an object keyed by instance name
  with ``history`` as ``[trigger, state, date]`` triples; no ``adjustments.fired`` (it was
  rebuilt from the instances' ``dates``); ``pending_events`` as bare events.
- **1**: this module's :class:`RunState`.

Checks
------
A loaded state is checked against the scenario it carries before it runs (:func:`check_state`):
the scenario itself, a clock inside the term (null only before anything happened), the days things
happened inside the term and not after the clock, pending events that are events of the scenario
(by index and content), adjustments of milestone edges the model has, within bounds, instances in
``record`` mode with a history in date order that ends in their state. Each problem is one line
naming the file (:class:`~plancycle.errors.DataError`).
"""

from __future__ import annotations

import datetime as dt
import json
import reprlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plancycle.errors import DataError, InputError, PlanCycleError, wrong_type
from plancycle.i18n import check_language
from plancycle.ids import split_key
from plancycle.messages import os_reason
from plancycle.output import write_atomic
from plancycle.simulation.events import Constituted
from plancycle.simulation.files import check_path, read_regular_file
from plancycle.simulation.runner import Run
from plancycle.simulation.scenario import check_scenario
from plancycle.simulation.state import SCHEMA_VERSION, PendingEvent, RunState

__all__ = ["SCHEMA_VERSION", "PendingEvent", "RunState", "check_state", "load", "migrate",
           "parse", "restore", "save", "snapshot", "to_json"]

#: The largest shift (days late or early) or phase length a saved state may hold: a hundred
#: years, far beyond any scenario (whose delays are at most :data:`MAX_DAYS` each).
MAX_ADJUSTMENT = 100 * 366


class SavedStateError(DataError):
    """A saved state that does not fit its scenario: a keyed one-line :class:`DataError`; a
    field holding a :class:`PlanCycleError` is given in the language asked for too."""

    def in_language(self, lang: str) -> str:
        if self.key is None:
            return str(self)
        from plancycle.i18n import label

        language = check_language(lang)
        fields = {name: value.in_language(language) if isinstance(value, PlanCycleError)
                  else value for name, value in self.fields.items()}
        return label(f"error_{self.key}", language, **fields)


def snapshot(run: Run) -> RunState:
    """The state of ``run`` as data (:meth:`Run.state`)."""
    return run.state()


def restore(state: RunState, source: str = "saved run") -> Run:
    """A :class:`Run` in ``state``; advancing it gives what the original run would have given.

    ``state`` is checked first (:func:`check_state`); ``source`` names it in the errors.
    """
    if not isinstance(state, RunState):
        raise wrong_type("restore", "state", "RunState", state)
    check_state(state, source)
    try:
        return Run.from_state(state)
    except PlanCycleError as exc:
        raise DataError(key="saved_run_in_file", file=source, problem=exc) from None


def to_json(state: RunState) -> bytes:
    return (json.dumps(state.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n").encode()


def save(run: Run, path: Path | str) -> None:
    """Write the state of ``run`` to ``path`` atomically. A ``path`` that is a folder, in a
    folder that does not exist, or that cannot be written is refused with :class:`InputError`."""
    if not isinstance(run, Run):
        raise wrong_type("save", "run", "Run", run)
    target = check_path("save", path)
    if target.is_dir():
        raise InputError(key="saved_state_folder", file=str(path))
    if not target.parent.is_dir():
        raise InputError(key="saved_state_no_folder", file=str(path), folder=str(target.parent))
    data = to_json(snapshot(run))
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise InputError(key="saved_state_write", file=str(path), reason=os_reason(exc)) from exc


def load(path: Path | str) -> Run:
    """Read a saved run (any schema version up to :data:`SCHEMA_VERSION`), check it against
    its scenario and restore it."""
    file = check_path("load", path)
    source = str(path)
    try:
        raw = read_regular_file(file)
    except OSError as exc:
        raise DataError(key="saved_run_unreadable", file=source, reason=os_reason(exc)) from None
    return restore(parse(raw, source), source)


def parse(raw: bytes, source: str = "saved run") -> RunState:
    """Validate saved bytes into a :class:`RunState`, migrating older versions."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(key="saved_run_not_utf8", file=source) from None
    except json.JSONDecodeError as exc:
        hint = "corrupted" if raw.rstrip().endswith(b"}") else "truncated"
        raise DataError(key=f"saved_run_json_{hint}", file=source, line=exc.lineno,
                        column=exc.colno) from None
    except RecursionError:
        raise DataError(key="saved_run_in_file", file=source,
                        problem=DataError(key="saved_run_nested")) from None
    if not isinstance(data, dict):
        raise DataError(key="saved_run_not_object", file=source)
    data = migrate(data, source)
    try:
        return RunState.model_validate(data)
    except DataError as exc:  # a StateError, or too deeply nested
        raise DataError(key="saved_run_in_file", file=source, problem=exc) from None


# -- checking a state against its scenario -------------------------------------------------------
def check_state(state: RunState, source: str = "saved run") -> None:
    """Refuse a state (e.g. edited by hand) that its scenario cannot have produced, with one
    line naming ``source`` and the problem (see the module doc)."""
    scenario = state.scenario
    try:
        check_scenario(scenario, (state.model,))
    except PlanCycleError as exc:
        raise SavedStateError(key="saved_state_scenario", file=source, problem=exc) from None
    first, last = scenario.term
    span = {"first": first.isoformat(), "last": last.isoformat()}

    def refuse(key: str, **fields: object) -> SavedStateError:
        return SavedStateError(None, key=key, file=source, **fields)

    def inside(field: str, day: dt.date, *, after_clock: bool = False) -> None:
        if not first <= day <= last:
            raise refuse("saved_state_outside", field=field, date=day.isoformat(), **span)
        if after_clock and clock is not None and day > clock:
            raise refuse("saved_state_after_clock", field=field, date=day.isoformat(),
                         clock=clock.isoformat())

    clock = state.clock
    if clock is not None:
        inside("clock", clock)
    happened = [f"instances[{i}].history" for i, saved in enumerate(state.instances)
                if saved.history] + [f"adjustments.fired.{key}" for key in state.adjustments.fired]
    if clock is None and happened:
        raise refuse("saved_state_no_clock", field=happened[0])
    if not 0 <= state.run < scenario.variation.runs:
        raise refuse("saved_state_run", run=state.run, runs=scenario.variation.runs)
    if state.municipality is not None and scenario.municipalities \
            and [m.lower() for m in scenario.municipalities] != ["all"]:
        numbers = {m.number for m in scenario.municipality_list() if m is not None}
        if state.municipality not in numbers:
            raise refuse("saved_state_municipality", number=state.municipality,
                         allowed=", ".join(sorted(numbers)))
    _check_pending(state, refuse, inside)
    _check_adjustments(state, refuse, inside)
    _check_instances(state, refuse, inside)


def _check_pending(state: RunState, refuse: Callable[..., SavedStateError],
                   inside: Callable[..., None]) -> None:
    events = state.scenario.events
    seen: set[int] = set()
    for i, pending in enumerate(state.pending_events):
        field = f"pending_events[{i}]"
        if not 0 <= pending.index < len(events) or isinstance(events[pending.index], Constituted):
            raise refuse("saved_state_pending_index", field=field, index=pending.index,
                         count=len(events))
        if pending.index in seen:
            raise refuse("saved_state_pending_twice", field=field, index=pending.index)
        seen.add(pending.index)
        if pending.event != events[pending.index]:
            raise refuse("saved_state_pending_event", field=field, index=pending.index)
        inside(f"{field}.day", pending.day)
        if state.clock is not None and pending.day < state.clock:
            raise refuse("saved_state_pending_past", field=f"{field}.day",
                         date=pending.day.isoformat(), clock=state.clock.isoformat())


def _check_adjustments(state: RunState, refuse: Callable[..., SavedStateError],
                       inside: Callable[..., None]) -> None:
    slots = state.scenario.context(state.model).base.slots
    adjust = state.adjustments

    def edge(table: str, key: str, *, phase: bool = False) -> None:
        milestone, which = split_key(key)
        slot = slots.get(milestone)
        if slot is None or ((which == "end" or phase) and slot.step.kind != "phase") \
                or (phase and which == "end") or key.count(":") > 1 \
                or (":" in key and not key.endswith(":end")):
            raise refuse("saved_state_adjustment_key", table=table, edge=key[:80],
                         model=state.model)

    def bounded(table: str, key: str, value: int, low: int) -> None:
        if not low <= value <= MAX_ADJUSTMENT:
            raise refuse("saved_state_adjustment_value", table=table, edge=key[:80], value=value,
                         low=low, high=MAX_ADJUSTMENT)

    for key, days in adjust.shift.items():
        edge("shift", key)
        bounded("shift", key, days, -MAX_ADJUSTMENT)
    for key, days in adjust.length.items():
        edge("length", key, phase=True)
        bounded("length", key, days, 0)
    for table, dates in (("soft", adjust.soft), ("hard", adjust.hard), ("fired", adjust.fired)):
        for key, day in dates.items():
            edge(table, key)
            inside(f"adjustments.{table}.{key[:80]}", day, after_clock=table == "fired")
    for i, day in enumerate(adjust.cancelled):
        inside(f"adjustments.cancelled[{i}]", day)


def _check_instances(state: RunState, refuse: Callable[..., SavedStateError],
                     inside: Callable[..., None]) -> None:
    specs = state.scenario.context(state.model).instances
    for i, saved in enumerate(state.instances):
        where = f"instances[{i}]"
        if saved.mode != "record":
            raise refuse("saved_state_mode", field=where, process=saved.process, mode=saved.mode)
        previous: dt.date | None = None
        for j, entry in enumerate(saved.history):
            inside(f"{where}.history[{j}].date", entry.date, after_clock=True)
            if previous is not None and entry.date < previous:
                raise refuse("saved_state_history_order", field=f"{where}.history[{j}].date",
                             date=entry.date.isoformat(), before=previous.isoformat())
            previous = entry.date
        for key, day in saved.dates.items():
            inside(f"{where}.dates.{key[:80]}", day, after_clock=True)
        spec = specs[i] if i < len(specs) else None
        if spec is None or spec.definition.name != saved.process:
            continue  # Run.from_state names the instances that do not match the model
        ends = saved.history[-1].state if saved.history else spec.definition.initial
        if saved.state != ends:
            raise refuse("saved_state_instance_state", field=f"{where}.state",
                         state=saved.state[:80], ends=ends)


def _short(value: object) -> str:
    return reprlib.repr(value)


# -- migrations ----------------------------------------------------------------------------------
def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (prototype) → 1: see the module doc."""
    out = {key: value for key, value in data.items() if key not in ("today", "instances")}
    out["clock"] = data.get("today")
    instances = []
    fired: dict[str, str] = {}
    for name, saved in dict(data.get("instances") or {}).items():
        process, _, year = name.partition(".")
        history = [{"trigger": t, "state": s, "date": d} for t, s, d in saved.get("history", [])]
        instances.append({**{k: v for k, v in saved.items() if k != "history"},
                          "process": process, "history": history,
                          "year": int(year) if year else saved.get("year")})
        fired.update(saved.get("dates", {}))
    out["instances"] = instances
    adjustments = dict(out.get("adjustments") or {})
    adjustments.setdefault("fired", fired)
    out["adjustments"] = adjustments
    events = list((data.get("scenario") or {}).get("events") or [])
    pending, used = [], set()
    for event in data.get("pending_events") or []:
        index = next(i for i, known in enumerate(events) if i not in used
                     and all(known.get(k) == v for k, v in event.items()))
        used.add(index)
        pending.append({"index": index, "day": event.get("date") or data.get("today"),
                        "event": event})
    out["pending_events"] = pending
    out["schema_version"] = 1
    return out


#: ``MIGRATIONS[v]`` upgrades a file of schema version ``v`` to ``v + 1``.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}


def migrate(data: dict[str, Any], source: str = "saved run") -> dict[str, Any]:
    """Upgrade ``data`` step by step to :data:`SCHEMA_VERSION`."""
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise DataError(key="saved_run_no_version", file=source)
    if version > SCHEMA_VERSION:
        raise DataError(key="saved_run_newer", file=source, version=version, last=SCHEMA_VERSION)
    if version < 0:
        raise DataError(key="saved_run_bad_version", file=source, version=version,
                        last=SCHEMA_VERSION)
    while version < SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except (KeyError, TypeError, ValueError, AttributeError, StopIteration) as exc:
            raise DataError(key="saved_run_migrate", file=source, version=version,
                            next=version + 1, detail=repr(exc)) from None
        version += 1
    return data
