"""Scenario files (TOML, read with the standard library) and their one-line errors.

A scenario file holds the fields of :class:`~.scenario.Scenario` at the top level::

    name = "Stavanger: the samfunnsdel hearing starts three weeks late"
    election_year = 2027
    municipality = "Stavanger"
    model = "samskaping"

    [[events]]
    type = "constituted"
    date = 2027-10-21

    [[events]]
    type = "delay"
    milestone = "samfunnsdel.public_consultation"
    weeks = 3

Every problem is reported as ``FILE: field: what is wrong and what is allowed``.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from plancycle.errors import DataError
from plancycle.processes import ProcessModel
from plancycle.simulation.events import EVENT_TYPES
from plancycle.simulation.scenario import Scenario, ScenarioError, check_scenario
from plancycle.simulation.variation import Variation


def load_scenario(path: Path | str, *, models: tuple[ProcessModel, ...] | None = None) -> Scenario:
    """Read and check a scenario file (for ``models``, default the file's own model)."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError("", f"cannot be read: {exc.strerror or exc}", source) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError("", "is not UTF-8 text", source) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError("", f"is not valid TOML: {exc}", source) from None
    return parse_scenario(data, source=source, models=models)


def parse_scenario(data: dict[str, Any], *, source: str | None = None,
                   models: tuple[ProcessModel, ...] | None = None) -> Scenario:
    """A checked :class:`Scenario` from parsed TOML (or any dict)."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _one_line(exc, source) from None
    try:
        check_scenario(scenario, models)
    except ScenarioError as exc:
        raise exc.in_file(source) if source else exc from None
    return scenario


def typical_variation() -> Variation:
    """The shipped illustrative variation profile (``profiles/typical.toml``)."""
    name = "profiles/typical.toml"
    try:
        text = resources.files("plancycle.simulation").joinpath(name).read_text(encoding="utf-8")
        return Variation.model_validate(tomllib.loads(text))
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise DataError(f"shipped variation profile {name} is invalid: {exc}") from exc


# -- pydantic errors as one line ------------------------------------------------------------------
def field_path(loc: tuple[int | str, ...]) -> str:
    """``("events", 2, "delay", "days")`` → ``events[2].days`` (the union tag is left out)."""
    out = ""
    for i, item in enumerate(loc):
        if isinstance(item, int):
            out += f"[{item}]"
        elif i >= 2 and isinstance(loc[i - 1], int) and loc[i - 2] == "events" \
                and item in EVENT_TYPES:
            continue
        else:
            out += f".{item}" if out else item
    return out


def _problem(error: ErrorDetails) -> str:
    kind, given, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field here (check the spelling)"
    if kind == "union_tag_invalid":
        return (f"unknown event type {ctx.get('tag')!r}: use one of {', '.join(EVENT_TYPES)}")
    if kind == "union_tag_not_found":
        return f"has no type: use one of {', '.join(EVENT_TYPES)}"
    if kind == "literal_error":
        return f"{given!r} is not allowed: use {ctx.get('expected')}"
    if kind.startswith("int_"):
        return f"must be a whole number, not {given!r}"
    if kind.startswith("date_"):
        return f"must be a date (YYYY-MM-DD), not {given!r}"
    if kind.startswith("bool_"):
        return f"must be true or false, not {given!r}"
    if kind in ("string_type", "tuple_type", "list_type", "dict_type", "model_type"):
        expected = {"string_type": "text", "tuple_type": "a list", "list_type": "a list",
                    "dict_type": "a table", "model_type": "a table"}[kind]
        return f"must be {expected}, not {given!r}"
    message = error["msg"].removeprefix("Value error, ")
    return message if kind == "value_error" else f"{message} (given {given!r})"


def _one_line(exc: ValidationError, source: str | None) -> ScenarioError:
    errors = exc.errors()
    first = errors[0]
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" \
        if len(errors) > 1 else ""
    field = field_path(first["loc"])
    if first["type"].startswith("union_tag"):
        field += ".type"
    return ScenarioError(field, _problem(first) + more, source)
