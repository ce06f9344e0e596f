"""Content documents as Excel workbooks, so a municipality can fill them in without code.

A workbook holds one document. Its sheet ``document`` has a key in column A and its value in
column B (``kind``, ``schema_version``, ``municipality``, ``election_year``, ``title``,
``adopted`` and the document's own: ``vision``, ``land_use_strategy``, ``year``). Each list is a
sheet with the column names in row 1 and one item per row (:data:`SHEETS`); empty rows are
skipped. A cell holding a list separates its items by semicolons or line breaks (lists of ids
and SDG targets also by commas). A sheet named ``help`` is ignored. The template
(:func:`template`) is such a workbook with the headers and no rows.

Bounds: the file size (:data:`MAX_XLSX_BYTES`), the unpacked size of its parts (a zip bomb is
refused before it is opened) and the rows of a sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancycle.content.files import ContentError, Loc, document_data, read_bytes
from plancycle.content.models import MAX_ITEMS, Document, DocumentKind
from plancycle.errors import InputError
from plancycle.workbooks import workbook_bytes

MAX_XLSX_BYTES = 5_000_000
MAX_UNPACKED = 60_000_000
MAX_ROWS = MAX_ITEMS + 200  # blank rows included
MAX_COLUMNS = 40


@dataclass(frozen=True)
class Sheet:
    """A list sheet: the document list it fills, its columns (``required`` ones first) and
    which columns hold lists. ``parent``: the column naming the item of another list this row
    belongs to (evidence rows name their theme)."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    id_lists: tuple[str, ...] = ()
    parent: tuple[str, str, str] | None = None  # (column, parent list, nested field)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SCALARS: dict[DocumentKind, tuple[str, ...]] = {
    "challenge_picture": (),
    "guidelines": (),
    "samfunnsdel": ("vision", "land_use_strategy"),
    "budget": ("year",),
}
COMMON = ("kind", "schema_version", "municipality", "election_year", "title", "adopted")

SHEETS: dict[DocumentKind, tuple[Sheet, ...]] = {
    "challenge_picture": (
        Sheet("themes", ("id", "title", "statement"), ("regional", "sdg_targets"),
              id_lists=("sdg_targets",)),
        Sheet("evidence", ("theme", "source", "reference"),
              parent=("theme", "themes", "evidence")),
    ),
    "guidelines": (
        Sheet("guidelines", ("id", "statement"), ("themes", "parties"), lists=("parties",),
              id_lists=("themes",)),
    ),
    "samfunnsdel": (
        Sheet("goals", ("id", "statement"), ("sdg_targets",), id_lists=("sdg_targets",)),
        Sheet("focus_areas", ("id", "title", "kind"),
              ("description", "goals", "guidelines", "sdg_targets"),
              id_lists=("goals", "guidelines", "sdg_targets")),
    ),
    "budget": (
        Sheet("measures", ("id", "title"),
              ("focus_areas", "goals", "amount", "indicators", "status"),
              lists=("indicators",), id_lists=("focus_areas", "goals")),
    ),
}


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _split(value: object, ids: bool) -> list[str]:
    text = str(value)
    parts = re.split(r"[;,\n]" if ids else r"[;\n]", text)
    return [part.strip() for part in parts if part.strip()]


def _cell(value: object) -> object:
    """A cell as the document's TOML would hold it: text stripped, whole floats as ints, a
    datetime at midnight as a date."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def _check_size(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ContentError(name, None, InputError(key="content_not_xlsx")) from None
    if unpacked > MAX_UNPACKED:
        raise ContentError(name, None, InputError(key="content_unpacked", size=unpacked,
                                                  limit=MAX_UNPACKED))


def read_workbook(path: Path, name: str) -> tuple[dict[str, Any], dict[Loc, str]]:
    """The document table a workbook holds, and where each part of it came from
    (``sheet!A1`` places for :func:`plancycle.content.files.place_of`)."""
    from openpyxl import load_workbook

    data = read_bytes(path, MAX_XLSX_BYTES)
    _check_size(data, name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ContentError(name, None, InputError(key="content_not_xlsx")) from None
    try:
        return _read(book, name)
    finally:
        book.close()


def _rows(book: Any, sheet: str, name: str) -> Iterator[tuple[int, tuple[object, ...]]]:
    for number, row in enumerate(book[sheet].iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise ContentError(name, f"{sheet}!A{number}",
                               InputError(key="content_too_many_rows", limit=MAX_ROWS))
        yield number, tuple(_cell(v) for v in row[:MAX_COLUMNS])


def _read(book: Any, name: str) -> tuple[dict[str, Any], dict[Loc, str]]:
    if "document" not in book.sheetnames:
        raise ContentError(name, None, InputError(key="content_no_sheet", sheet="document"))
    raw: dict[str, Any] = {}
    places: dict[Loc, str] = {}
    for number, row in _rows(book, "document", name):
        if not row or row[0] is None:
            continue
        key = str(row[0]).strip()
        if number == 1 and key == "key":
            continue
        value = row[1] if len(row) > 1 else None
        places[(key,)] = f"document!B{number}"
        if value is not None:
            raw[key] = value
    kind = raw.get("kind")
    if kind not in SHEETS:
        return raw, places  # the kind is refused by document_from, at its place
    allowed = {*COMMON, *SCALARS[kind]}
    for key in raw:
        if key not in allowed:
            raise ContentError(name, places[(key,)], InputError(
                key="content_unknown_key", value=key[:40], allowed=", ".join(sorted(allowed))))
    for sheet in SHEETS[kind]:
        if sheet.name not in book.sheetnames:
            raise ContentError(name, None, InputError(key="content_no_sheet", sheet=sheet.name))
        _read_sheet(book, sheet, raw, places, name)
    return raw, places


def _read_sheet(book: Any, sheet: Sheet, raw: dict[str, Any], places: dict[Loc, str],
                name: str) -> None:
    rows = _rows(book, sheet.name, name)
    header_row = next(rows, (1, ()))[1]
    header = [str(h).strip() if h is not None else "" for h in header_row]
    for index, column in enumerate(header):
        if column and column not in sheet.columns:
            raise ContentError(name, f"{sheet.name}!{_column_letter(index)}1", InputError(
                key="content_unknown_column", value=column[:40],
                allowed=", ".join(sheet.columns)))
    for column in sheet.required:
        if column not in header:
            raise ContentError(name, f"{sheet.name}!1", InputError(
                key="content_missing_column", column=column,
                required=", ".join(sheet.required)))
    at = {column: header.index(column) for column in sheet.columns if column in header}
    items: list[dict[str, Any]] = []
    parents: dict[str, int] = {}
    if sheet.parent is not None:
        parents = {item["id"]: i for i, item in enumerate(raw.get(sheet.parent[1], []))
                   if isinstance(item.get("id"), str)}
    for number, row in rows:
        values = {c: row[i] for c, i in at.items() if i < len(row) and row[i] is not None}
        if not values:
            continue
        item: dict[str, Any] = {}
        for column, value in values.items():
            if column in sheet.lists or column in sheet.id_lists:
                item[column] = _split(value, column in sheet.id_lists)
            elif column in ("id", "theme"):
                item[column] = str(value)
            else:
                item[column] = value
        if sheet.parent is None:
            loc: Loc = (sheet.name, len(items))
            items.append(item)
        else:
            column, parent, field = sheet.parent
            owner = str(item.pop(column, ""))
            if owner not in parents:
                raise ContentError(name, f"{sheet.name}!{_column_letter(at[column])}{number}",
                                   InputError(key="content_unknown_parent", id=owner,
                                              sheet=parent))
            nested = raw[parent][parents[owner]].setdefault(field, [])
            loc = (parent, parents[owner], field, len(nested))
            nested.append(item)
        places[loc] = f"{sheet.name}!{number}"
        for column, index in at.items():
            places[(*loc, column)] = f"{sheet.name}!{_column_letter(index)}{number}"
    if sheet.parent is None:
        raw[sheet.name] = items


# --- writing ------------------------------------------------------------------------------------

def _put(value: object, column: str, sheet: Sheet) -> object:
    if isinstance(value, list):
        return (", " if column in sheet.id_lists else "; ").join(str(v) for v in value)
    return value


def to_workbook(document: Document) -> bytes:
    """The document as a workbook that :func:`read_workbook` reads back to an equal document."""
    return _book(document.kind, document_data(document))


def template(kind: DocumentKind) -> bytes:
    """An empty workbook of ``kind`` to fill in: the keys and the column headers, no rows."""
    return _book(kind, {"kind": kind, "schema_version": 1})


def _book(kind: DocumentKind, data: Mapping[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.properties.creator = "plancycle"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    front = book.active
    assert front is not None
    front.title = "document"
    front.append(["key", "value"])
    for key in (*COMMON, *SCALARS[kind]):
        front.append([key, data.get(key)])
    for sheet in SHEETS[kind]:
        page = book.create_sheet(sheet.name)
        page.append(list(sheet.columns))
        if sheet.parent is None:
            for item in data.get(sheet.name, []):
                page.append([_put(item.get(c), c, sheet) for c in sheet.columns])
        else:
            column, parent, field = sheet.parent
            for owner in data.get(parent, []):
                for item in owner.get(field, []):
                    row = {column: owner["id"], **item}
                    page.append([_put(row.get(c), c, sheet) for c in sheet.columns])
    return workbook_bytes(book)
