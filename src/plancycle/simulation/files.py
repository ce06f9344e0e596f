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

import os
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from plancycle.errors import DataError, InputError, wrong_type
from plancycle.messages import os_reason
from plancycle.processes import ProcessModel
from plancycle.reading import read_regular
from plancycle.simulation.events import field_path
from plancycle.simulation.scenario import Scenario, ScenarioError, check_scenario
from plancycle.simulation.variation import Variation

__all__ = ["MAX_FILE_BYTES", "PROFILES", "check_path", "field_path", "load_scenario", "parse_scenario",
           "read_regular_file", "typical_variation", "variation_profile"]


#: The largest scenario (or saved run) file read, in bytes: far more than any real one.
MAX_FILE_BYTES = 16 * 1024 * 1024


def check_path(what: str, path: object) -> Path:
    """``path`` as a :class:`Path` if it is a ``str`` or ``os.PathLike``, else
    :class:`InputError`."""
    if not isinstance(path, str | os.PathLike):
        raise wrong_type(what, "path", "str or Path", path)
    return Path(path)


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them
    (:func:`plancycle.reading.read_regular`; :class:`OSError` otherwise)."""
    return read_regular(path, limit)[0]


def toml_problem(exc: tomllib.TOMLDecodeError) -> InputError:
    """A TOML syntax error as a keyed error, naming the line and column where ``tomllib``
    says them (its own words are English only)."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    if found is None:
        return InputError(key="scenario_not_toml")
    return InputError(key="scenario_not_toml_at", line=int(found[1]), column=int(found[2]))


def load_scenario(path: Path | str, *, models: tuple[ProcessModel, ...] | None = None) -> Scenario:
    """Read and check a scenario file (for ``models``, default the file's own model)."""
    file = check_path("load_scenario", path)
    source = str(path)
    try:
        raw = read_regular_file(file)
    except OSError as exc:
        raise ScenarioError("", InputError(key="scenario_unreadable", reason=os_reason(exc)),
                            source) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError("", InputError(key="scenario_not_utf8"), source) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError("", toml_problem(exc), source) from None
    except RecursionError:
        raise ScenarioError("", InputError(key="scenario_toml_nested"), source) from None
    return parse_scenario(data, source=source, models=models)


def parse_scenario(data: dict[str, Any], *, source: str | None = None,
                   models: tuple[ProcessModel, ...] | None = None) -> Scenario:
    """A checked :class:`Scenario` from parsed TOML (or any dict)."""
    try:
        scenario = Scenario.model_validate(data)
        check_scenario(scenario, models)
    except ScenarioError as exc:
        raise exc.in_file(source) if source else exc from None
    return scenario


#: The shipped variation profiles (``profiles/NAME.toml``): ``typical`` (illustrative
#: assumptions, the default) and ``observed`` (calibrated on the real terms in
#: ``examples/terms/real/``; its derivation and sample size are in the file).
PROFILES = ("typical", "observed")


def variation_profile(name: str = "typical") -> Variation:
    """The shipped variation profile ``name`` (one of :data:`PROFILES`)."""
    if name not in PROFILES:
        raise InputError(key="unknown_profile", field="profile", name=str(name)[:40],
                         allowed=", ".join(PROFILES))
    path = f"profiles/{name}.toml"
    try:
        text = resources.files("plancycle.simulation").joinpath(path).read_text(encoding="utf-8")
        return Variation.model_validate(tomllib.loads(text))
    except (OSError, tomllib.TOMLDecodeError, ValidationError, ScenarioError) as exc:
        raise DataError(key="profile_invalid", name=path, reason=str(exc)) from exc


def typical_variation() -> Variation:
    """The shipped illustrative variation profile (``profiles/typical.toml``)."""
    return variation_profile("typical")
