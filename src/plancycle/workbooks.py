"""Excel workbooks as bytes that depend on their content only (openpyxl).

``Workbook.save`` stamps the document with the clock (``docProps/core.xml``'s created and
modified) and every zip entry with the time of writing, so the same register or report would
give other bytes each run. :func:`workbook_bytes` writes the same parts through openpyxl's own
writer with a fixed stamp: the same content always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

#: The stamp of every workbook plancycle writes (document properties and zip entries).
STAMP = dt.datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


class _StampedZip(zipfile.ZipFile):
    """A zip archive whose entries all carry :data:`STAMP` instead of the time of writing."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(str(zinfo_or_arcname), date_time=_ZIP_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        """openpyxl writes worksheets from temporary files: their bytes, stamped."""
        with open(filename, "rb") as source:
            data = source.read()
        self.writestr(str(arcname if arcname is not None else filename), data, compress_type,
                      compresslevel)


def workbook_bytes(book: Workbook) -> bytes:
    """``book`` as ``.xlsx`` bytes, stamped with :data:`STAMP` (see the module doc)."""
    book.properties.created = STAMP
    book.properties.modified = STAMP
    buffer = io.BytesIO()
    archive = _StampedZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(book, archive).save()
    return buffer.getvalue()
