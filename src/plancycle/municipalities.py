"""The municipalities (kommuner) and county authorities of every term (SSB classification 131).

Today's lists (``data/kommuner.csv``, ``data/fylker.csv``: 357 municipalities, 15 counties of
2024 on) serve calls without an election year and the 2023 term and later. Earlier terms use the
municipalities and county authorities whose councils were elected in them
(``data/*_valgperioder.csv``, see ``data/README.md``): 429 municipalities in the 2011 term, 428 in
2015, 356 in 2019; 18, 18 and 10 county authorities. The dated changes between them
(``data/kommuneendringer.csv``, ``data/fylkesendringer.csv``) name the number of the asked term
when a number or name of another one is given (``4601`` in the 2015 term: ``1201 Bergen``), and
the changes in force during a term (:func:`changes_during`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import reprlib
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict

from plancycle.calendar_no import check_election_year
from plancycle.errors import InputError, UnknownMunicipalityError, wrong_type
from plancycle.folding import fold
from plancycle.i18n import Language, check_language, label


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


ChangeKind = Literal["merger", "split", "renumbering", "renaming"]


class OwnerChange(BaseModel):
    """A change of a municipality or county in force on ``effective``: ``before`` and ``after``
    as "number name" (``merger``: several before; ``split``: several after; otherwise one each,
    with a new number or only a new name)."""

    model_config = ConfigDict(frozen=True)

    effective: dt.date
    kind: ChangeKind
    before: tuple[str, ...]
    after: tuple[str, ...]


def _name_variants(name: str) -> tuple[str, ...]:
    parts = [part.strip() for part in name.split(" - ")]
    base = name.split(" (")[0]
    return tuple(dict.fromkeys([name, *parts, base]))


def _read_csv(filename: str) -> list[dict[str, str]]:
    """A shipped CSV file; lines starting with ``#`` (its source) are comments."""
    text = resources.files("plancycle.data").joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


# -- the list of each term -------------------------------------------------------------------------

#: Election years whose terms have their own list; the 2023 term and later use today's (None).
TERM_LISTS = (2011, 2015, 2019)

#: The day each list describes: the 2012 division (the 2011 term), that of 2013-2016 (2015), of
#: 2020-2023 (2019: the councils elected in 2019 were those of the merged municipalities) and
#: today's, of 2024 on.
_LIST_DAY: Mapping[int | None, dt.date] = {
    2011: dt.date(2012, 1, 1), 2015: dt.date(2013, 1, 1), 2019: dt.date(2020, 1, 1),
    None: dt.date(2024, 1, 1)}

Level = Literal["municipality", "county"]


def _list_key(election_year: int | None) -> int | None:
    """Which list serves ``election_year`` (checked): its year, or None for today's."""
    if election_year is None:
        return None
    year = check_election_year(election_year)
    return year if year in TERM_LISTS else None


def _in_list(row: Mapping[str, str], key: int | None) -> bool:
    return key is None or int(row["fra"]) <= key <= int(row["til"])


@cache
def _municipalities(key: int | None) -> tuple[Municipality, ...]:
    rows = _read_csv("kommuner.csv" if key is None else "kommuner_valgperioder.csv")
    return tuple(Municipality(number=row["kommunenummer"], name=row["navn"],
                              county_number=row["fylkesnummer"])
                 for row in rows if _in_list(row, key))


@cache
def _counties(key: int | None) -> tuple[County, ...]:
    rows = _read_csv("fylker.csv" if key is None else "fylker_valgperioder.csv")
    return tuple(County(number=row["fylkesnummer"], name=row["navn"],
                        has_county_authority=row["fylkeskommune"].strip().lower() == "ja")
                 for row in rows if _in_list(row, key))


def municipalities(election_year: int | None = None) -> tuple[Municipality, ...]:
    """The municipalities of the term elected in ``election_year`` (None: today's), in SSB
    number order."""
    return _municipalities(_list_key(election_year))


def counties(election_year: int | None = None) -> tuple[County, ...]:
    """The counties of the term elected in ``election_year`` (None: today's);
    ``has_county_authority`` is false for Oslo (a municipality doing both)."""
    return _counties(_list_key(election_year))


def _entries(level: Level, key: int | None) -> dict[str, str]:
    pool: Sequence[Municipality | County] = (
        _municipalities(key) if level == "municipality" else _counties(key))
    return {entity.number: entity.name for entity in pool}


# -- the changes between terms ---------------------------------------------------------------------

class _Change(NamedTuple):
    day: dt.date
    old_number: str
    old_name: str
    new_number: str
    new_name: str


class _Step(NamedTuple):
    """The changes of one day, and the division just before it."""

    day: dt.date
    before: Mapping[str, str]
    after: Mapping[str, str]
    successors: Mapping[str, frozenset[str]]
    predecessors: Mapping[str, frozenset[str]]
    old_names: Mapping[str, str]


@cache
def _steps(level: Level) -> tuple[_Step, ...]:
    """Every day of change in date order, the division before and after it, starting from the
    2011 term's list (an older day's ``before`` is its changes' old side only)."""
    rows = _read_csv("kommuneendringer.csv" if level == "municipality"
                     else "fylkesendringer.csv")
    changes = sorted(_Change(dt.date.fromisoformat(r["dato"]), r["fra_nummer"], r["fra_navn"],
                             r["til_nummer"], r["til_navn"]) for r in rows)
    state = _entries(level, TERM_LISTS[0])
    start = _LIST_DAY[TERM_LISTS[0]]
    steps: list[_Step] = []
    for day in sorted({change.day for change in changes}):
        today = [change for change in changes if change.day == day]
        successors: dict[str, set[str]] = {}
        predecessors: dict[str, set[str]] = {}
        for change in today:
            successors.setdefault(change.old_number, set()).add(change.new_number)
            predecessors.setdefault(change.new_number, set()).add(change.old_number)
        new_names = {change.new_number: change.new_name for change in today}
        if day <= start:  # before the first list: only what the changes say
            before, after = {}, dict(new_names)
        else:
            before = state
            after = {n: name for n, name in state.items() if n not in successors} | new_names
            state = after
        steps.append(_Step(day, before, after,
                           {n: frozenset(s) for n, s in successors.items()},
                           {n: frozenset(s) for n, s in predecessors.items()},
                           {change.old_number: change.old_name for change in today}))
    return tuple(steps)


def _back(step: _Step, number: str) -> frozenset[str]:
    """The numbers that ``number`` (in force on ``step.day``) was just before it."""
    persists = number in step.before and number not in step.successors
    return step.predecessors.get(number, frozenset()) | ({number} if persists else set())


def _trace(level: Level, numbers: frozenset[str], start: dt.date,
           end: dt.date) -> frozenset[str]:
    """What ``numbers`` (in force on ``start``) are on ``end``, through the changes between."""
    current = numbers
    if start < end:
        for step in _steps(level):
            if start < step.day <= end:
                current = frozenset[str]().union(*(step.successors.get(n, {n}) for n in current))
    else:
        for step in reversed(_steps(level)):
            if end < step.day <= start:
                current = frozenset[str]().union(*(_back(step, n) for n in current))
    return current


def _elsewhere(level: Level, matches: Callable[[str, str], bool],
               key: int | None) -> frozenset[str]:
    """The numbers of list ``key`` that the entries ``matches`` picks out of the other
    divisions (every day of change, and the lists) stand for."""
    seen: set[tuple[str, str]] = set()
    found: set[str] = set()
    target = _LIST_DAY[key]
    places: list[tuple[dt.date, Mapping[str, str]]] = [
        (_LIST_DAY[k], _entries(level, k)) for k in (*TERM_LISTS, None)]
    for step in _steps(level):
        places.append((step.day - dt.timedelta(days=1), step.old_names))
        places.append((step.day, step.after))
    for day, entries in places:
        for number, name in entries.items():
            if (number, name) not in seen and matches(number, name):
                seen.add((number, name))
                found |= _trace(level, frozenset({number}), day, target)
    return frozenset(found)


def _changes_of(step: _Step, seeds: frozenset[str]) -> OwnerChange:
    """The change on ``step.day`` that makes ``seeds`` (its new side)."""
    before = frozenset[str]().union(*(_back(step, n) for n in seeds))
    after = seeds | frozenset[str]().union(*(step.successors.get(n, frozenset()) for n in before))
    names = {**step.before, **step.old_names}
    old = tuple(f"{n} {names[n]}" for n in sorted(before))
    new = tuple(f"{n} {step.after[n]}" for n in sorted(after))
    kind: ChangeKind = ("merger" if len(old) > 1 else "split" if len(new) > 1
                        else "renumbering" if sorted(before) != sorted(after) else "renaming")
    return OwnerChange(effective=step.day, kind=kind, before=old, after=new)


def changes_during(owner: Municipality | County, election_year: int) -> tuple[OwnerChange, ...]:
    """The mergers, splits, renumberings and renamings of ``owner`` (a municipality or county of
    the term elected in ``election_year``) in force during the term (1 January of the election
    year to 31 October four years on, as :class:`~plancycle.models.ElectionPeriod`), by date: those
    after the day its term's list describes lead from it, those up to that day into it."""
    if not isinstance(owner, (Municipality, County)):
        raise wrong_type("changes_during", "owner", "Municipality or County", owner)
    level: Level = "county" if isinstance(owner, County) else "municipality"
    key = _list_key(election_year)
    pool: Sequence[Municipality | County] = (
        _counties(key) if level == "county" else _municipalities(key))
    if owner not in pool:
        raise UnknownMunicipalityError(key="owner_not_in_term", what_label=f"word_{level}",
                                       owner=f"{owner.number} {owner.name}",
                                       year=election_year, kind=level)
    start, end = dt.date(election_year, 1, 1), dt.date(election_year + 4, 10, 31)
    listed = _LIST_DAY[key]
    out: list[OwnerChange] = []
    for step in _steps(level):
        if not start <= step.day <= end:
            continue
        if step.day > listed:  # leading from the owner: what it is just before the day
            current = _trace(level, frozenset({owner.number}), listed,
                             step.day - dt.timedelta(days=1))
            seeds = [step.successors[n] for n in sorted(current) if n in step.successors]
        else:  # leading into the owner: what it is on the day
            current = _trace(level, frozenset({owner.number}), listed, step.day)
            seeds = [frozenset({n}) for n in sorted(current)
                     if n in step.predecessors or n in step.successors]
        for change in dict.fromkeys(_changes_of(step, seed) for seed in seeds):
            if change not in out:
                out.append(change)
    return tuple(out)


def change_warnings(owner: Municipality | County | None, election_year: int,
                    lang: Language = "nb") -> tuple[str, ...]:
    """The schedule warnings for ``owner``'s mergers, splits and renumberings during the term
    (renamings change no duty and are left out); none for an owner of another term's list."""
    lang = check_language(lang)
    if owner is None:
        return ()
    try:
        changes = changes_during(owner, election_year)
    except UnknownMunicipalityError:
        return ()
    return tuple(
        label("owner_change", lang, kind=label(f"owner_change_{change.kind}", lang),
              date=change.effective.isoformat(), before=", ".join(change.before),
              after=", ".join(change.after))
        for change in changes if change.kind != "renaming")


# -- folding and searching -------------------------------------------------------------------------

def search_key(owner: Municipality | County) -> str:
    """What :func:`search_municipalities` matches a query against: the number and each name
    variant, folded, separated by ``|`` (a folded query has none, so it never spans two)."""
    return "|".join(dict.fromkeys([owner.number, *(fold(name) for name in owner.names)]))


#: Longest search text looked at (no name is half as long).
SEARCH_LIMIT = 100


def search_municipalities(query: str | None = None, election_year: int | None = None
                          ) -> tuple[Municipality | County, ...]:
    """The municipalities, then the county authorities, of the term elected in ``election_year``
    (None: today's) that ``query`` finds: a number by its first digits (``46`` finds Vestland
    and its municipalities), a name or either parallel name by any part of it, folded
    (:func:`~plancycle.folding.fold`: ``tromso``, ``baerum``, ``Nord Fron``, ``Raade``). No
    query (or one with neither letters nor digits) finds them all; a query longer than
    :data:`SEARCH_LIMIT` is an :class:`InputError`."""
    if query is not None and not isinstance(query, str):
        raise wrong_type("search_municipalities", "query", "str", query)
    text = (query or "").strip()
    if len(text) > SEARCH_LIMIT:
        raise InputError(key="municipalities_search_too_long", limit=SEARCH_LIMIT)
    pool: list[Municipality | County] = [*municipalities(election_year),
                                         *(c for c in counties(election_year)
                                           if c.has_county_authority)]
    if text.isascii() and text.isdigit():
        return tuple(owner for owner in pool if owner.number.startswith(text))
    wanted = fold(text)
    return tuple(owner for owner in pool if wanted in search_key(owner))


# -- finding one -----------------------------------------------------------------------------------

_Entity = TypeVar("_Entity", Municipality, County)


#: Longest query repeated in a message (the message stays one short line).
_SHOWN = 60


class _Term(NamedTuple):
    """The term asked for (``find_*`` with a year): what to say of a number or name of another."""

    year: int
    level: Level
    key: int | None


def _other_term(query: str, term: _Term | None, entities: Sequence[_Entity],
                what: str, number: bool) -> None:
    """Raise the refusal naming the entities of the asked term that ``query`` (a number or
    name of another term) stands for; return when it stands for none."""
    if term is None:
        return
    folded = fold(query)

    def matches(code: str, name: str) -> bool:
        return code == query if number else any(
            fold(variant) == folded for variant in _name_variants(name))

    found = _elsewhere(term.level, matches, term.key)
    valid = [e for e in entities if e.number in found]
    if valid:
        raise UnknownMunicipalityError(
            key="owner_other_term", query=query, what_label=f"word_{what}", year=term.year,
            valid=", ".join(f"{e.number} {e.name}" for e in valid))


def _find(query: str, entities: Sequence[_Entity], width: int, what: str,
          term: _Term | None = None) -> _Entity:
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
        if len(number) == width:
            _other_term(number, term, entities, what, number=True)
        raise UnknownMunicipalityError(
            key="unknown_number", number_label=f"word_{what}_number", query=wanted,
            count=len(entities),
            width=width, example=f"{entities[0].number} {entities[0].name}")
    folded = fold(wanted)
    matches = [e for e in entities if any(fold(n) == folded for n in e.names)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(f"{e.number} {e.name}" for e in matches)
        raise UnknownMunicipalityError(key="ambiguous_name", what_label=f"word_{what}",
                                       query=wanted, matches=listed)
    _other_term(wanted, term, entities, what, number=False)
    candidates = {fold(n): e for e in entities for n in e.names}
    import difflib  # only for a suggestion, when a name is not found

    close = difflib.get_close_matches(folded, list(candidates), n=3, cutoff=0.6)
    if close:
        suggestions = ", ".join(f"{candidates[c].name} ({candidates[c].number})"
                                for c in dict.fromkeys(close))
        raise UnknownMunicipalityError(key="unknown_name_suggest", what_label=f"word_{what}",
                                       query=wanted, suggestions=suggestions)
    raise UnknownMunicipalityError(key="unknown_name", what_label=f"word_{what}", query=wanted,
                                   count=len(entities))


def _term(election_year: int | None, level: Level) -> _Term | None:
    if election_year is None:
        return None
    return _Term(check_election_year(election_year), level, _list_key(election_year))


def find_municipality(query: str, election_year: int | None = None) -> Municipality:
    """A municipality by four-digit number or by name (either parallel name, folded as
    :func:`~plancycle.folding.fold`: ``tromso`` is Tromsø, ``Nord Fron`` Nord-Fron), among
    today's (``election_year`` None) or those of the term elected in ``election_year``; a
    number or name of another term is refused naming the municipality of the asked one."""
    term = _term(election_year, "municipality")
    return _find(query, municipalities(election_year), 4, "municipality", term)


def find_county(query: str, election_year: int | None = None, *,
                with_authority: bool = True) -> County:
    """A county by two-digit number or name (today's, or of the term elected in
    ``election_year``, as :func:`find_municipality`); by default only those with a county
    authority."""
    if not isinstance(with_authority, bool):
        raise wrong_type("find_county", "with_authority", "bool", with_authority)
    term = _term(election_year, "county")
    pool = [c for c in counties(election_year) if c.has_county_authority or not with_authority]
    return _find(query, pool, 2, "county", term)
