"""The output of the listing commands (``next``, ``municipalities``, ``rules``): a plain text
table, CSV or JSON, and dates as their readers write them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence

from plancycle.i18n import Language

#: The formats every listing command writes.
FORMATS = ("table", "json", "csv")


def shown_date(day: dt.date | None, lang: Language) -> str:
    """``day`` in a table: ``21.10.2028`` in bokmål and nynorsk, ``2028-10-21`` in English."""
    if day is None:
        return ""
    return day.isoformat() if lang == "en" else day.strftime("%d.%m.%Y")


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table: the columns padded to their widest cell, the last one as it is (one
    function, so that it can be switched to a width-fitting table in one place)."""
    lines = [tuple(header), *(tuple(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    return "".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line[:-1]))
                   + "  " + line[-1] + "\n" for line in lines)


def render_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """RFC 4180 CSV (``\\n`` line ends, as the other commands write) with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def render_json(data: object) -> str:
    """``data`` as indented JSON, letters as they are (``ø``, not ``\\u00f8``)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
