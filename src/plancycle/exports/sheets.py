"""Typed tables → an Excel workbook whose bytes depend on the content only.

A :class:`Sheet` is a header row and rows of Python values; :func:`workbook` writes them with
openpyxl as typed cells (a :class:`datetime.date` a date with a date number format, numbers as
numbers, booleans as booleans, text as text, never as a formula), a bold frozen header (and the
first column, where it names the row), an autofilter over the table and column widths that fit
the content. The bytes come from :func:`plancycle.workbooks.workbook_bytes` (no clock stamps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plancycle.i18n import Language
from plancycle.workbooks import workbook_bytes

#: What a cell may hold.
Cell = str | int | float | bool | dt.date | None

#: The date format of a language's workbooks: Norwegian ``02.03.2028``, English ISO.
DATE_FORMATS: dict[Language, str] = {"nb": "dd.mm.yyyy", "nn": "dd.mm.yyyy", "en": "yyyy-mm-dd"}

#: Column widths (characters) are the longest value's, within these bounds.
MIN_WIDTH, MAX_WIDTH = 6, 60
#: Excel's limit on a sheet name's length, and the characters it does not allow in one.
SHEET_NAME_LIMIT = 31
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})
#: Excel's limit on the characters of one cell.
CELL_LIMIT = 32767


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name, header and rows; ``frozen_columns``: the first columns kept in
    view when scrolling sideways (those that name the row); ``formats``: number formats by column
    (counted from 0), e.g. ``"0.0%"`` for a share."""

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    frozen_columns: int = 0
    formats: Mapping[int, str] = field(default_factory=dict)


def workbook(sheets: Sequence[Sheet], lang: Language) -> bytes:
    """The ``.xlsx`` bytes of ``sheets``, in order (see the module doc). The workbook is
    written in openpyxl's write-only (streaming) mode: a table of 35,000 rows takes seconds."""
    book = Workbook(write_only=True)
    book.properties.creator = "plancycle"
    for sheet in sheets:
        _write(book, sheet, DATE_FORMATS[lang])
    return workbook_bytes(book)


def sheet_name(name: str) -> str:
    """``name`` as Excel allows it: no ``[]:*?/\\``, at most 31 characters."""
    return name.translate(_SHEET_NAME_FORBIDDEN)[:SHEET_NAME_LIMIT] or "-"


def _write(book: Workbook, table: Sheet, date_format: str) -> None:
    sheet = book.create_sheet(sheet_name(table.name))
    widths = [len(title) + 3 for title in table.header]  # room for the filter button
    for row in table.rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, MIN_WIDTH),
                                                                      MAX_WIDTH)
    sheet.freeze_panes = f"{get_column_letter(table.frozen_columns + 1)}2"
    last = get_column_letter(max(len(table.header), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, _text(title), font=bold) for title in table.header])
    for row in table.rows:
        sheet.append([_cell(sheet, value, date_format=date_format, number_format=table.formats.get(index))
                      for index, value in enumerate(row)])


def _cell(sheet: Any, value: Cell, *, font: Font | None = None, date_format: str = "",
          number_format: str | None = None) -> object:
    """``value`` as what a write-only sheet appends: plain where no style is needed."""
    if isinstance(value, str):
        value = _text(value)
        if not value.startswith("=") and font is None:
            return value
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # text starting with "=" is text, not a formula
    elif isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]  # openpyxl takes a date
        cell.number_format = date_format
    elif number_format is not None and isinstance(value, int | float) \
            and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = number_format
    else:
        return value
    if font is not None:
        cell.font = font
    return cell


def _text(value: str) -> str:
    """Text as a cell can hold it: without the control characters XML forbids, cut to Excel's
    limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_LIMIT]


def _width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 11
    if isinstance(value, bool):
        return 6
    if isinstance(value, float):
        return len(f"{value:.4g}") + 1
    return len(str(value)) + 1
