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
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from plancycle.errors import DataError
from plancycle.output import write_atomic
from plancycle.simulation.files import field_path
from plancycle.simulation.runner import Run
from plancycle.simulation.state import SCHEMA_VERSION, PendingEvent, RunState

__all__ = ["SCHEMA_VERSION", "PendingEvent", "RunState", "load", "migrate", "parse", "restore",
           "save", "snapshot", "to_json"]


def snapshot(run: Run) -> RunState:
    """The state of ``run`` as data (:meth:`Run.state`)."""
    return run.state()


def restore(state: RunState) -> Run:
    """A :class:`Run` in ``state``; advancing it gives what the original run would have given."""
    return Run.from_state(state)


def to_json(state: RunState) -> bytes:
    return (json.dumps(state.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n").encode()


def save(run: Run, path: Path | str) -> None:
    """Write the state of ``run`` to ``path`` atomically."""
    write_atomic(Path(path), to_json(snapshot(run)))


def load(path: Path | str) -> Run:
    """Read a saved run (any schema version up to :data:`SCHEMA_VERSION`) and restore it."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DataError(f"{source}: cannot be read: {exc.strerror or exc}") from None
    state = parse(raw, source)
    try:
        return restore(state)
    except DataError as exc:
        raise DataError(f"{source}: {exc}") from None


def parse(raw: bytes, source: str = "saved run") -> RunState:
    """Validate saved bytes into a :class:`RunState`, migrating older versions."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(f"{source}: not UTF-8 text; is it a saved plancycle run?") from None
    except json.JSONDecodeError as exc:
        hint = "corrupted" if raw.rstrip().endswith(b"}") else "truncated"
        raise DataError(f"{source}: not valid JSON ({hint}? {exc.msg} at line {exc.lineno}, "
                        f"column {exc.colno})") from None
    if not isinstance(data, dict):
        raise DataError(f"{source}: not a saved plancycle run (expected a JSON object)")
    data = migrate(data, source)
    try:
        return RunState.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise DataError(f"{source}: {field_path(error['loc']) or 'file'}: "
                        f"{error['msg'].removeprefix('Value error, ')}") from None


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
        raise DataError(f"{source}: schema_version is missing or not a number; is it a saved "
                        "plancycle run?")
    if version > SCHEMA_VERSION:
        raise DataError(f"{source}: schema_version {version} was written by a newer plancycle; "
                        f"this one reads versions 0 to {SCHEMA_VERSION}: upgrade plancycle")
    if version < 0:
        raise DataError(f"{source}: schema_version {version} is not a valid version "
                        f"(0 to {SCHEMA_VERSION})")
    while version < SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except (KeyError, TypeError, ValueError, AttributeError, StopIteration) as exc:
            raise DataError(f"{source}: cannot migrate schema_version {version} to "
                            f"{version + 1}: {exc!r}") from None
        version += 1
    return data
