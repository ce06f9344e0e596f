"""The 357 municipalities (kommuner) and 15 counties of 2024+ (SSB classification, ``data/*.csv``)."""

from __future__ import annotations

import csv
import difflib
import io
import reprlib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from plancycle.errors import InputError, UnknownMunicipalityError, wrong_type


class Municipality(BaseModel):
    """A municipality: four-digit number (kommunenummer) and official name."""

    model_config = ConfigDict(frozen=True)

    number: str
    name: str
    county_number: str

    @property
    def names(self) -> tuple[str, ...]:
        """The full name and each of its parallel names ("Trondheim - Tråante")."""
        return _name_variants(self.name)


class County(BaseModel):
    """A county (fylke): two-digit number, name, and whether it has a county authority."""

    model_config = ConfigDict(frozen=True)

    number: str
    name: str
    has_county_authority: bool

    @property
    def names(self) -> tuple[str, ...]:
        return _name_variants(self.name)


def _name_variants(name: str) -> tuple[str, ...]:
    parts = [part.strip() for part in name.split(" - ")]
    base = name.split(" (")[0]
    return tuple(dict.fromkeys([name, *parts, base]))


def _read_csv(filename: str) -> list[dict[str, str]]:
    text = resources.files("plancycle.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def municipalities() -> tuple[Municipality, ...]:
    """All municipalities, in SSB number order."""
    return tuple(
        Municipality(number=row["kommunenummer"], name=row["navn"],
                     county_number=row["fylkesnummer"])
        for row in _read_csv("kommuner.csv")
    )


@cache
def counties() -> tuple[County, ...]:
    """All counties; ``has_county_authority`` is false for Oslo (a municipality doing both)."""
    return tuple(
        County(number=row["fylkesnummer"], name=row["navn"],
               has_county_authority=row["fylkeskommune"].strip().lower() == "ja")
        for row in _read_csv("fylker.csv")
    )


_Entity = TypeVar("_Entity", Municipality, County)


#: Longest query repeated in a message (the message stays one short line).
_SHOWN = 60


def _find(query: str, entities: Sequence[_Entity], width: int, what: str) -> _Entity:
    if not isinstance(query, str):
        raise InputError(key="owner_query_type", what_label=f"word_{what}",
                         given=reprlib.repr(query), kind=type(query).__name__)
    wanted = query.strip()
    if not wanted:
        raise UnknownMunicipalityError(key="empty_name", what_label=f"word_{what}")
    if len(wanted) > _SHOWN:
        wanted = wanted[:_SHOWN] + "…"  # no name or number is that long: it cannot match
    if wanted.isascii() and wanted.isdigit():  # ASCII digits only: "²".isdigit() is true
        number = wanted.zfill(width)
        for entity in entities:
            if entity.number == number:
                return entity
        raise UnknownMunicipalityError(
            key="unknown_number", number_label=f"word_{what}_number", query=wanted,
            count=len(entities),
            width=width, example=f"{entities[0].number} {entities[0].name}")
    folded = wanted.casefold()
    matches = [e for e in entities if any(n.casefold() == folded for n in e.names)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(f"{e.number} {e.name}" for e in matches)
        raise UnknownMunicipalityError(key="ambiguous_name", what_label=f"word_{what}",
                                       query=wanted, matches=listed)
    candidates = {n.casefold(): e for e in entities for n in e.names}
    close = difflib.get_close_matches(folded, list(candidates), n=3, cutoff=0.6)
    if close:
        suggestions = ", ".join(f"{candidates[c].name} ({candidates[c].number})"
                                for c in dict.fromkeys(close))
        raise UnknownMunicipalityError(key="unknown_name_suggest", what_label=f"word_{what}",
                                       query=wanted, suggestions=suggestions)
    raise UnknownMunicipalityError(key="unknown_name", what_label=f"word_{what}", query=wanted,
                                   count=len(entities))


def find_municipality(query: str) -> Municipality:
    """A municipality by four-digit number or by name (case-insensitive, either parallel name)."""
    return _find(query, municipalities(), 4, "municipality")


def find_county(query: str, *, with_authority: bool = True) -> County:
    """A county by two-digit number or name; by default only those with a county authority."""
    if not isinstance(with_authority, bool):
        raise wrong_type("find_county", "with_authority", "bool", with_authority)
    pool = [c for c in counties() if c.has_county_authority or not with_authority]
    return _find(query, pool, 2, "county")
