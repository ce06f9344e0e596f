"""Excel files plancycle writes depend on their content only: the same input gives the same
bytes (no clock in the document properties or the zip entries), and they open in openpyxl."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from plancycle.workbooks import STAMP, workbook_bytes


def _book(value: str) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "title"])
    sheet.append(["kdp-klima", value])
    book.create_sheet("Forklaring").append(["id", "the plan's short name"])
    return book


def test_the_same_workbook_gives_the_same_bytes_and_reads_back() -> None:
    first, second = workbook_bytes(_book("Klima og energi")), workbook_bytes(_book("Klima og energi"))
    assert first == second
    assert workbook_bytes(_book("Klima")) != first  # content still counts
    read = openpyxl.load_workbook(io.BytesIO(first))
    assert read.sheetnames == ["Sheet", "Forklaring"]
    assert read.properties.created == STAMP and read.properties.modified == STAMP
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {
        (2000, 1, 1, 0, 0, 0)}
