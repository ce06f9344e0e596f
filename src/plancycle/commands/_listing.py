"""The CSV and JSON output of the listing commands (``next``, ``municipalities``, ``rules``);
their tables are laid out by :mod:`plancycle.textable` like every other table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

#: The formats every listing command writes.
FORMATS = ("table", "json", "csv")


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
