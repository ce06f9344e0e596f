"""The UN sustainable development goals (SDGs) as data: 17 goals, 169 targets (issue 11).

The numbers and English texts are the UN's (the 2030 Agenda, A/RES/70/1, and the global
indicator framework); the Norwegian target texts are FN-sambandet's, where one was found, and
``None`` otherwise (the data file says so in a ``missing_nb`` note: plancycle never translates a
target itself). ``data/sdgs.toml`` names every source; it is read once and validated at load.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from plancycle.errors import DataError, InputError
from plancycle.i18n import LANGUAGES, Language, load_data_toml

DATA_FILE = "sdgs.toml"

#: A target number as the UN writes it: the goal, a dot, a number (``11.3``) or a letter
#: (``11.a``, the means of implementation).
TARGET_NUMBER = re.compile(r"(?P<goal>[1-9][0-9]?)\.(?P<target>[1-9][0-9]?|[a-z])")

#: A search text longer than this is refused (input-driven work is bounded).
MAX_SEARCH = 200

#: The shape of a target number, as the error messages show it.
TARGET_FORM = "11.3, 11.a"

#: The URLs the goal names and target texts come from (the data file's ``sources``), read when
#: first asked for (:func:`__getattr__`), so a broken file fails where it is used, not at import.
SOURCES: tuple[str, ...]


class Target(BaseModel):
    """One of the 169 targets (delmål)."""

    model_config = ConfigDict(frozen=True)

    number: str
    goal: int
    text_en: str
    text_nb: str | None

    @property
    def missing_nb(self) -> bool:
        """True when no Norwegian text was found (the English one stands in)."""
        return self.text_nb is None

    def text(self, lang: Language) -> str:
        """The text in ``lang``: the Norwegian one for nb and nn (there is no nynorsk target
        text), English where the Norwegian is missing."""
        if lang == "en" or self.text_nb is None:
            return self.text_en
        return self.text_nb


class Goal(BaseModel):
    """One of the 17 goals, with its targets in the UN's order (numbers first, then letters)."""

    model_config = ConfigDict(frozen=True)

    number: int
    names: dict[str, str]
    targets: tuple[Target, ...]

    def name(self, lang: Language) -> str:
        return self.names[lang]


class _TargetRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: str
    text_en: str
    text_nb: str | None = None
    source_nb: int | None = None
    missing_nb: str | None = None

    @field_validator("text_en", "text_nb", "missing_nb")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("empty text")
        return value


class _GoalRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int
    name_nb: str
    name_nn: str
    name_en: str
    target: tuple[_TargetRow, ...]


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int
    sources: tuple[str, ...]
    goal: tuple[_GoalRow, ...]


def _broken(problem: str) -> DataError:
    return DataError(key="sdg_data", file=DATA_FILE, problem=problem)


def _order(number: str) -> tuple[int, int, str]:
    found = TARGET_NUMBER.fullmatch(number)
    assert found is not None
    part = found["target"]
    return (int(found["goal"]), 0 if part.isdigit() else 1,
            part.rjust(2, "0") if part.isdigit() else part)


def _check(data: _File) -> None:
    """What the file must hold: schema 1, goals 1–17 in order, well-formed unique target
    numbers of their own goal in the UN's order, and for each target either a Norwegian text
    with its source or a ``missing_nb`` note."""
    if data.schema_version != 1:
        raise _broken(f"schema_version {data.schema_version}")
    if [row.number for row in data.goal] != list(range(1, 18)):
        raise _broken("goals are not 1..17 in order")
    for row in data.goal:
        numbers = [target.number for target in row.target]
        for number in numbers:
            found = TARGET_NUMBER.fullmatch(number)
            if found is None or int(found["goal"]) != row.number:
                raise _broken(f"target {number!r} of goal {row.number}")
        if numbers != sorted(set(numbers), key=_order):
            raise _broken(f"targets of goal {row.number} repeated or out of order")
        for target in row.target:
            has_text = target.text_nb is not None
            sourced = target.source_nb is not None and 0 <= target.source_nb < len(data.sources)
            if has_text == (target.missing_nb is not None) or has_text != sourced:
                raise _broken(f"target {target.number}: give text_nb with source_nb, "
                              f"or missing_nb")


@cache
def goals() -> tuple[Goal, ...]:
    """The 17 goals in order, read from the package's data file once."""
    raw: dict[str, Any] = load_data_toml(DATA_FILE)
    try:
        data = _File.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        place = ".".join(str(part) for part in error["loc"])
        raise _broken(f"{place}: {error['msg']}") from None
    _check(data)
    return tuple(
        Goal(number=row.number,
             names={"nb": row.name_nb, "nn": row.name_nn, "en": row.name_en},
             targets=tuple(Target(number=t.number, goal=row.number, text_en=t.text_en,
                                  text_nb=t.text_nb) for t in row.target))
        for row in data.goal)


@cache
def _sources() -> tuple[str, ...]:
    sources = load_data_toml(DATA_FILE).get("sources", ())
    return tuple(str(source) for source in sources)


def goal(number: int) -> Goal:
    """Goal ``number`` (1–17); anything else is an :class:`InputError`."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 17:
        raise InputError(key="sdg_unknown_goal", given=_shown(number))
    return goals()[number - 1]


def target(number: str) -> Target:
    """Target ``number`` (``11.3``, ``11.a``); a malformed or unknown one is an InputError."""
    text = number.strip().lower() if isinstance(number, str) else ""
    found = TARGET_NUMBER.fullmatch(text)
    if found is None:
        raise InputError(key="sdg_bad_target", given=_shown(number), form=TARGET_FORM)
    goal_number = int(found["goal"])
    if goal_number > 17:
        raise InputError(key="sdg_unknown_goal", given=found["goal"])
    of_goal = goals()[goal_number - 1].targets
    for candidate in of_goal:
        if candidate.number == text:
            return candidate
    raise InputError(key="sdg_unknown_target", given=text, goal=goal_number,
                     first=of_goal[0].number, last=of_goal[-1].number)


def folded(text: str) -> str:
    """``text`` for matching: case- and diacritics-insensitive (``å`` as ``a``, ``é`` as
    ``e``), with the Norwegian letters ``æ`` and ``ø`` as ``ae`` and ``o``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.replace("æ", "ae").replace("ø", "o")


def search(text: str, lang: Language = "nb") -> tuple[Goal, ...]:
    """The goals and targets matching ``text``: empty, all; a goal number (``11``), that goal;
    a target number (``11.3``), that goal with that target only; otherwise words, each of which
    must occur in the target's texts or its goal's names (any language: a goal whose name
    matches comes with all its targets). ``lang`` must be a language; matching does not depend
    on it, so a planner finds the same targets whatever language is shown."""
    if lang not in LANGUAGES:
        raise InputError(key="unknown_language", language=lang, allowed=", ".join(LANGUAGES))
    if not isinstance(text, str):
        raise InputError(key="sdg_bad_search", given=_shown(text), limit=MAX_SEARCH)
    if len(text) > MAX_SEARCH:
        raise InputError(key="sdg_search_too_long", size=len(text), limit=MAX_SEARCH)
    query = text.strip()
    if not query:
        return goals()
    if query.isascii() and query.isdigit():
        return (goal(int(query)),)
    if TARGET_NUMBER.fullmatch(query.lower()) or re.fullmatch(r"[0-9]+\.\S*", query):
        found = target(query)
        whole = goals()[found.goal - 1]
        return (whole.model_copy(update={"targets": (found,)}),)
    words = folded(query).split()
    matched: list[Goal] = []
    for candidate in goals():
        names = " ".join(folded(name) for name in candidate.names.values())
        targets = tuple(
            item for item in candidate.targets
            if all(word in f"{names} {_haystack(item)}" for word in words))
        if targets:
            matched.append(candidate.model_copy(update={"targets": targets}))
    return tuple(matched)


@cache
def _haystack_of(number: str, text_en: str, text_nb: str | None) -> str:
    return folded(f"{number} {text_en} {text_nb or ''}")


def _haystack(item: Target) -> str:
    return _haystack_of(item.number, item.text_en, item.text_nb)


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def __getattr__(name: str) -> tuple[str, ...]:
    """``SOURCES``: the URLs the data come from, read from the data file when first asked."""
    if name == "SOURCES":
        return _sources()
    raise AttributeError(name)
