"""Schedule → text formats for people and scripts: table, JSON and CSV; and atomic file writing."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from pathlib import Path

from plancycle.models import MILESTONE_FIELDS, Schedule


def to_json(schedule: Schedule) -> str:
    """The JSON contract: see :meth:`Schedule.to_json_dict`."""
    return json.dumps(schedule.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(schedule: Schedule) -> str:
    """One row per milestone with the contract fields; ``basis`` as ``law section <url>; …``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MILESTONE_FIELDS)
    for m in schedule.milestones:
        basis = "; ".join(f"{b.law} {b.section} <{b.url}>" if b.url else f"{b.law} {b.section}"
                          for b in m.basis)
        writer.writerow([m.id, m.process, m.kind, m.title, m.start.isoformat(),
                         m.end.isoformat(), m.due.isoformat() if m.due else "", m.binding, basis,
                         m.confidence, "true" if m.provisional else "false"])
    return buffer.getvalue()


def to_table(schedule: Schedule) -> str:
    """A plain-text table, one milestone a line, in date order."""
    rows = [("start", "end", "due", "binding", "conf", "id", "title")]
    for m in schedule.milestones:
        end = m.end.isoformat() if m.end != m.start else ""
        conf = m.confidence + ("*" if m.provisional else "")
        rows.append((m.start.isoformat(), end, m.due.isoformat() if m.due else "", m.binding,
                     conf, m.id, m.title))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])) + "  " + row[-1]
             for row in rows]
    lines.append("")
    lines.append("conf: L law text, S secondary source, P practice/guidance, U unverified; "
                 "* provisional (assumed date)")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename, so a
    crash never leaves a half-written file in place of a good one.

    The file gets the permissions of the file it replaces, or ``mode`` (readable by a web server)
    when it is new: a temporary file alone would be private (0600).
    """
    path = Path(path)
    with contextlib.suppress(FileNotFoundError):
        mode = path.stat().st_mode & 0o777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent or Path("."))
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
