"""Reading content files (TOML or Excel) into checked documents, and writing them back.

A file is one document (:mod:`plancycle.content.models`); its ``kind`` says which. Every broken
file is refused with one line naming the file and the place in it: ``measures[2].focus_areas``
in a TOML file (lists counted from 1), ``measures!C4`` (sheet and cell) in a workbook. Files are
read through :func:`plancycle.reading.read_regular` with a size limit, workbooks also with a
limit on their unpacked size and rows (:mod:`plancycle.content.workbook`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import tomlkit
from pydantic import ValidationError

from plancycle.content.models import (
    CONTENT_SCHEMA_VERSION,
    DOCUMENT_KINDS,
    DOCUMENT_MODELS,
    BudgetYear,
    ChallengePicture,
    ContentSet,
    Document,
    Guidelines,
    Samfunnsdel,
)
from plancycle.errors import DataError, InputError, PlanCycleError
from plancycle.reading import FileTooBig, NotRegularFile, read_regular

MAX_BYTES = 2_000_000
MAX_FILES = 20
Loc = tuple[str | int, ...]
T = TypeVar("T")
#: Where each part of a parsed file is: a location (as pydantic reports it) → a place to show.
Places = Mapping[Loc, str]


class ContentError(DataError):
    """A content file is broken: ``file: place: reason`` (the reason a keyed error too)."""

    def __init__(self, file: str, place: str | None, reason: PlanCycleError) -> None:
        self.file, self.place, self.reason = file, place, reason
        super().__init__(self.in_language("en"))

    def in_language(self, lang: str) -> str:
        where = f"{self.file}: " + (f"{self.place}: " if self.place else "")
        return where + self.reason.in_language(lang)


def toml_place(loc: Loc) -> str:
    """``("measures", 1, "focus_areas")`` → ``measures[2].focus_areas`` (lists from 1)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out


def place_of(loc: Loc, places: Places) -> str:
    """The most precise known place of ``loc`` (the longest prefix in ``places``), else its TOML
    spelling."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in places:
            return places[loc[:end]]
    return toml_place(loc)


# --- reading ------------------------------------------------------------------------------------

def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    name = str(path)
    try:
        return read_regular(path, limit)[0]
    except FileNotFoundError:
        raise DataError(key="content_missing", file=name) from None
    except (IsADirectoryError, NotRegularFile):
        raise DataError(key="content_not_regular", file=name) from None
    except FileTooBig as exc:
        raise DataError(key="content_too_big", file=name, size=exc.size, limit=limit) from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError(key="content_unreadable", file=name, reason=reason) from None


def parse_toml(data: bytes, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ContentError(name, None, InputError(key="content_encoding", offset=exc.start)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(name, None, InputError(key="content_toml", reason=str(exc))) from None
    except RecursionError:
        raise ContentError(name, None, InputError(key="content_nested")) from None


def load_document(path: str | Path) -> Document:
    """One document from a ``.toml`` or ``.xlsx`` file, checked for shape and size."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    places: Places = {}
    if suffix == ".toml":
        raw = parse_toml(read_bytes(path), name)
    elif suffix == ".xlsx":
        from plancycle.content.workbook import read_workbook

        raw, places = read_workbook(path, name)
    else:
        raise DataError(key="content_suffix", file=name, suffix=suffix or "-")
    return document_from(raw, name, places)


def document_from(raw: Mapping[str, Any], name: str, places: Places | None = None) -> Document:
    """The document ``raw`` describes (a TOML table or a workbook read as one)."""
    places = places or {}
    version = raw.get("schema_version", CONTENT_SCHEMA_VERSION)
    if version != CONTENT_SCHEMA_VERSION or isinstance(version, bool):
        raise ContentError(name, place_of(("schema_version",), places),
                           InputError(key="content_version", value=str(version)[:40],
                                      supported=CONTENT_SCHEMA_VERSION))
    kind = raw.get("kind")
    if kind is None:
        raise ContentError(name, place_of(("kind",), places), InputError(
            key="content_kind_missing", allowed=", ".join(DOCUMENT_KINDS)))
    if kind not in DOCUMENT_MODELS:
        raise ContentError(name, place_of(("kind",), places),
                           InputError(key="content_kind", value=str(kind)[:40],
                                      allowed=", ".join(DOCUMENT_KINDS)))
    model = DOCUMENT_MODELS[kind]
    try:
        document = model.model_validate(dict(raw))
    except ValidationError as exc:
        raise _shape_error(exc, name, places) from None
    assert isinstance(document, ChallengePicture | Guidelines | Samfunnsdel | BudgetYear)
    _check_unique(document, name, places)
    _check_targets(document, name, places)
    return document


def _shape_error(exc: ValidationError, name: str, places: Places) -> ContentError:
    first = exc.errors(include_url=False)[0]
    loc: Loc = tuple(first["loc"])
    kind = first["type"]
    ctx = first.get("ctx") or {}
    if kind == "missing":
        reason = InputError(key="content_field_missing")
    elif kind == "extra_forbidden":
        reason = InputError(key="content_field_unknown")
    elif kind == "literal_error":
        reason = InputError(key="content_choice", value=_shown(first.get("input")),
                            allowed=str(ctx.get("expected", "")))
    elif kind == "string_pattern_mismatch":
        target = "sdg_targets" in loc
        reason = InputError(key="content_bad_target" if target else "content_bad_id",
                            value=_shown(first.get("input")))
    elif kind in ("too_long", "string_too_long"):
        reason = InputError(key="content_too_long", limit=ctx.get("max_length", "?"))
    elif kind in ("too_short", "string_too_short"):
        reason = InputError(key="content_empty")
    else:
        reason = InputError(key="content_invalid", value=_shown(first.get("input")),
                            reason=str(first.get("msg", kind)))
    return ContentError(name, place_of(loc, places), reason)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."


def _lists(document: Document) -> dict[str, Sequence[Any]]:
    if isinstance(document, ChallengePicture):
        return {"themes": document.themes}
    if isinstance(document, Guidelines):
        return {"guidelines": document.guidelines}
    if isinstance(document, Samfunnsdel):
        return {"goals": document.goals, "focus_areas": document.focus_areas}
    return {"measures": document.measures}


def _check_unique(document: Document, name: str, places: Places) -> None:
    seen: dict[str, Loc] = {}
    for list_name, items in _lists(document).items():
        for index, item in enumerate(items):
            loc: Loc = (list_name, index, "id")
            if item.id in seen:
                raise ContentError(name, place_of(loc, places), InputError(
                    key="content_duplicate_id", id=item.id,
                    first=place_of(seen[item.id], places)))
            seen[item.id] = loc


def _target_lists(document: Document) -> list[tuple[Loc, tuple[str, ...]]]:
    out: list[tuple[Loc, tuple[str, ...]]] = []
    if isinstance(document, ChallengePicture):
        out += [(("themes", i, "sdg_targets"), t.sdg_targets) for i, t in enumerate(document.themes)]
    if isinstance(document, Samfunnsdel):
        out += [(("goals", i, "sdg_targets"), g.sdg_targets) for i, g in enumerate(document.goals)]
        out += [(("focus_areas", i, "sdg_targets"), f.sdg_targets)
                for i, f in enumerate(document.focus_areas)]
    return out


def _check_targets(document: Document, name: str, places: Places) -> None:
    """Every SDG target cited exists (:func:`plancycle.sdgs.target`)."""
    from plancycle import sdgs

    for loc, targets in _target_lists(document):
        for index, number in enumerate(targets):
            try:
                sdgs.target(number)
            except PlanCycleError:
                raise ContentError(name, place_of((*loc, index), places),
                                   InputError(key="content_unknown_target", value=number)) from None


# --- a set of documents -------------------------------------------------------------------------

def load_content(paths: Sequence[str | Path]) -> ContentSet:
    """The documents in ``paths`` (at most :data:`MAX_FILES`), checked against each other."""
    if not paths:
        raise InputError(key="content_no_files")
    if len(paths) > MAX_FILES:
        raise InputError(key="content_too_many_files", count=len(paths), limit=MAX_FILES)
    return content_set([(str(p), load_document(p)) for p in paths])


def content_set(documents: Sequence[tuple[str, Document]]) -> ContentSet:
    """Documents (each with the name of its file) as one term's content: one of each kind, one
    budget per year, the same election year and municipality, and every reference known."""
    found: dict[str, tuple[str, Document]] = {}
    budgets: dict[int, tuple[str, BudgetYear]] = {}
    first_name, first = documents[0]
    for name, document in documents:
        if document.election_year != first.election_year:
            raise ContentError(name, "election_year", InputError(
                key="content_other_term", year=document.election_year,
                other=first.election_year, file=first_name))
        if (document.municipality and first.municipality
                and document.municipality != first.municipality):
            raise ContentError(name, "municipality", InputError(
                key="content_other_municipality", value=document.municipality,
                other=first.municipality, file=first_name))
        if isinstance(document, BudgetYear):
            year = document.election_year
            if not year <= document.year <= year + 5:
                raise ContentError(name, "year", InputError(
                    key="content_budget_year", year=document.year, first=year, last=year + 5))
            if document.year in budgets:
                raise ContentError(name, "year", InputError(
                    key="content_budget_twice", year=document.year, file=budgets[document.year][0]))
            budgets[document.year] = (name, document)
        else:
            if document.kind in found:
                raise ContentError(name, "kind", InputError(
                    key="content_kind_twice", kind=document.kind, file=found[document.kind][0]))
            found[document.kind] = (name, document)
    content = ContentSet(
        election_year=first.election_year,
        municipality=next((d.municipality for _, d in documents if d.municipality), None),
        challenge_picture=_get(found, ChallengePicture), guidelines=_get(found, Guidelines),
        samfunnsdel=_get(found, Samfunnsdel),
        budgets=tuple(b for _, (_, b) in sorted(budgets.items())))
    names = {kind: name for kind, (name, _) in found.items()}
    check_references(content, names, {year: name for year, (name, _) in budgets.items()})
    return content


def _get(found: Mapping[str, tuple[str, Document]], kind: type[T]) -> T | None:
    for _, document in found.values():
        if isinstance(document, kind):
            return document
    return None


def check_references(content: ContentSet, names: Mapping[str, str],
                     budget_names: Mapping[int, str]) -> None:
    """Every id a document cites is declared in the document it points to, when that document
    is given: guidelines → themes, focus areas → goals and guidelines, measures → focus areas and
    goals."""
    picture, guidelines, part = content.challenge_picture, content.guidelines, content.samfunnsdel
    themes = {t.id for t in picture.themes} if picture else None
    lines = {g.id for g in guidelines.guidelines} if guidelines else None
    goals = {g.id for g in part.goals} if part else None
    areas = {f.id for f in part.focus_areas} if part else None

    def check(name: str, loc: Loc, cited: Sequence[str], known: set[str] | None,
              what: str) -> None:
        if known is None:
            return
        for index, ident in enumerate(cited):
            if ident not in known:
                raise ContentError(name, toml_place((*loc, index)), InputError(
                    key="content_unknown_ref", what_label=f"content_what_{what}", id=ident,
                    known=", ".join(sorted(known))[:300]))

    if guidelines:
        for i, line in enumerate(guidelines.guidelines):
            check(names["guidelines"], ("guidelines", i, "themes"), line.themes, themes, "theme")
    if part:
        for i, area in enumerate(part.focus_areas):
            check(names["samfunnsdel"], ("focus_areas", i, "goals"), area.goals, goals, "goal")
            check(names["samfunnsdel"], ("focus_areas", i, "guidelines"), area.guidelines, lines,
                  "guideline")
    for budget in content.budgets:
        for i, measure in enumerate(budget.measures):
            name = budget_names[budget.year]
            check(name, ("measures", i, "focus_areas"), measure.focus_areas, areas, "focus_area")
            check(name, ("measures", i, "goals"), measure.goals, goals, "goal")


# --- writing ------------------------------------------------------------------------------------

def document_data(document: Document) -> dict[str, Any]:
    """The document as a plain table (what a TOML file holds), without empty values."""
    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v not in (None, (), [])}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    data: dict[str, Any] = clean(document.model_dump(mode="python"))
    return {"schema_version": data.pop("schema_version"), "kind": data.pop("kind"), **data}


def to_toml(document: Document) -> str:
    """The document as TOML text that :func:`load_document` reads back to an equal document."""
    return tomlkit.dumps(document_data(document))

