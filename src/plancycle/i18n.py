"""User-facing texts in bokmål (nb), nynorsk (nn) and English (en), loaded from ``data/texts.toml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

import tomli
from pydantic import BaseModel, ConfigDict

from plancycle.errors import DataError, InputError

Language = Literal["nb", "nn", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


class Text(BaseModel):
    """One text in the three languages users read."""

    model_config = ConfigDict(frozen=True)

    nb: str
    nn: str
    en: str

    def get(self, lang: Language) -> str:
        return str(getattr(self, lang))


def check_language(lang: str) -> Language:
    """Return ``lang`` as a :data:`Language` or raise :class:`InputError`."""
    if lang not in LANGUAGES:
        raise InputError(key="unknown_language", language=lang, allowed=", ".join(LANGUAGES))
    return lang


def load_data_toml(name: str) -> dict[str, Any]:
    """Read a TOML file shipped in ``plancycle/data``. Every command reads some (the texts, the
    rules), so they are parsed with tomli, which is tomllib compiled (mypyc): about three times
    as fast."""
    try:
        raw = resources.files("plancycle.data").joinpath(name).read_bytes()
        return tomli.loads(raw.decode("utf-8"))
    except (OSError, tomli.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"shipped data file {name} cannot be read: {exc}") from exc


class _Catalogue(BaseModel):
    schema_version: int
    milestone: dict[str, dict[str, Text]]
    label: dict[str, Text]


@cache
def catalogue() -> _Catalogue:
    """All texts: ``texts.toml`` plus any ``texts_<topic>.toml`` (one per feature), merged.

    A key defined in two files is an error, so features cannot silently override each other.
    """
    files = sorted(
        entry.name for entry in resources.files("plancycle.data").iterdir()
        if entry.name.startswith("texts") and entry.name.endswith(".toml")
    )
    merged: dict[str, Any] = {"schema_version": 1, "milestone": {}, "label": {}}
    for name in files:
        raw = load_data_toml(name)
        for table in ("milestone", "label"):
            for key, value in raw.get(table, {}).items():
                if key in merged[table]:
                    raise DataError(f"{name} defines {table} {key!r} again")
                merged[table][key] = value
    return _Catalogue.model_validate(merged)


def label(key: str, lang: Language, **fields: object) -> str:
    """A small UI string (``[label]`` in texts.toml), with ``{placeholders}`` filled in."""
    try:
        text = catalogue().label[key].get(lang)
    except KeyError as exc:
        raise DataError(f"texts.toml has no label {key!r}") from exc
    return text.format(**fields) if fields else text


def milestone_text(key: str, part: Literal["title", "todo"], lang: Language, **fields: object) -> str:
    """Title or to-do text of a milestone; ``key`` is the id without the year."""
    try:
        text = catalogue().milestone[key][part].get(lang)
    except KeyError as exc:
        raise DataError(f"texts.toml has no {part} for milestone {key!r}") from exc
    return text.format(**fields) if fields else text


def has_county_text(key: str) -> bool:
    """True when a milestone has county-specific texts (``<key>@county``: fylkesting, not
    kommunestyre)."""
    return f"{key}@county" in catalogue().milestone
