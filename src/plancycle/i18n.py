"""User-facing texts in bokmål (nb), nynorsk (nn) and English (en), loaded from ``data/texts*.toml``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


#: One text in the three languages, as the catalogue holds it: ``{"nb": …, "nn": …, "en": …}``.
Texts = Mapping[str, str]


@dataclass(frozen=True)
class Catalogue:
    """All texts: ``milestone[key]["title"|"todo"][lang]`` and ``label[key][lang]``, plain
    strings (the files' completeness and placeholders are checked by the tests, not at each
    start)."""

    milestone: Mapping[str, Mapping[str, Texts]]
    label: Mapping[str, Texts]


@cache
def catalogue() -> Catalogue:
    """All texts: ``texts.toml`` plus any ``texts_<topic>.toml`` (one per feature), merged
    (:mod:`plancycle.textfiles`)."""
    from plancycle.textfiles import load_texts

    tables = load_texts()
    return Catalogue(milestone=tables["milestone"], label=tables["label"])


def label(key: str, lang: Language, **fields: object) -> str:
    """A small UI string (``[label]`` in texts.toml), with ``{placeholders}`` filled in."""
    try:
        text = catalogue().label[key][lang]
    except KeyError as exc:
        raise DataError(f"texts.toml has no label {key!r}") from exc
    return text.format(**fields) if fields else text


def milestone_text(key: str, part: Literal["title", "todo"], lang: Language, **fields: object) -> str:
    """Title or to-do text of a milestone; ``key`` is the id without the year."""
    try:
        text = catalogue().milestone[key][part][lang]
    except KeyError as exc:
        raise DataError(f"texts.toml has no {part} for milestone {key!r}") from exc
    return text.format(**fields) if fields else text


def has_county_text(key: str) -> bool:
    """True when a milestone has county-specific texts (``<key>@county``: fylkesting, not
    kommunestyre)."""
    return f"{key}@county" in catalogue().milestone
