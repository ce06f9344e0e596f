"""Schedule → text formats for people and scripts: table, JSON and CSV; and atomic file writing."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import stat
import tempfile
from pathlib import Path

from plancycle.errors import InputError
from plancycle.i18n import label
from plancycle.models import MILESTONE_FIELDS, Schedule
from plancycle.textable import date_cell, fit, paragraph


def to_json(schedule: Schedule) -> str:
    """The JSON contract: see :meth:`Schedule.to_json_dict`."""
    return json.dumps(schedule.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(schedule: Schedule) -> str:
    """One row per milestone with the contract fields; ``basis`` as ``law section <url>; …``.

    A schedule of the ``reform`` model starts with one comment row, ``# <warning>``, saying it
    assumes a law change that is not in force (issue 12), so a saved file carries it too; skip
    rows starting with ``#`` when reading it.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if schedule.model == "reform":
        writer.writerow([f"# {label('reform_warning', schedule.lang)}"])
    writer.writerow(MILESTONE_FIELDS)
    for m in schedule.milestones:
        basis = "; ".join(f"{b.law} {b.section} <{b.url}>" if b.url else f"{b.law} {b.section}"
                          for b in m.basis)
        writer.writerow([m.id, m.process, m.kind, m.title, m.start.isoformat(),
                         m.end.isoformat(), m.due.isoformat() if m.due else "", m.binding, basis,
                         m.confidence, "true" if m.provisional else "false"])
    return buffer.getvalue()


def to_table(schedule: Schedule, *, width: int | None = None, ids: bool = False) -> str:
    """A plain-text table in the schedule's language, one milestone a line, in date order, at
    most ``width`` characters wide (``None``: no limit; :func:`plancycle.textable.fit`), the
    title wrapping; dates as ``02.03.2028`` in bokmål and nynorsk; the internal milestone ids
    only with ``ids``; a legend of the confidence letters under it."""
    lang = schedule.lang
    names = ("start", "end", "due", "binding", "confidence", *(("id",) if ids else ()), "title")
    rows = [[label(f"tables_col_{name}", lang) for name in names]]
    for m in schedule.milestones:
        end = date_cell(m.end, lang) if m.end != m.start else ""
        conf = m.confidence + ("*" if m.provisional else "")
        rows.append([date_cell(m.start, lang), end, date_cell(m.due, lang),
                     label(f"tables_binding_{m.binding}", lang), conf,
                     *((m.id,) if ids else ()), m.title])
    lines = fit(rows, width, wrapping=len(names) - 1)
    lines.append("")
    lines += paragraph(label("tables_legend", lang), width)
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename, so a
    crash never leaves a half-written file in place of a good one.

    The file gets the permissions of the file it replaces, or ``mode`` (readable by a web server)
    when it is new: a temporary file alone would be private (0600).

    Only a regular file is ever replaced. A target that exists and is anything else (a folder, a
    device such as ``/dev/null``, a FIFO, a socket) is refused with :class:`InputError`, and so
    is a **symbolic link**, whatever it points to: a rename would replace the link itself, and
    writing through it would let a link planted in an output folder redirect the write
    elsewhere. Point the command at the link's target instead.

    On every failure that can be caught (a full disk, no permission, a name too long, an
    interrupt) the temporary file is removed and the target is left as it was; the error is the
    :class:`OSError` raised (or the :class:`InputError` above). The data is flushed to disk
    (``fsync``) before the rename, and the folder after it, so that the new name survives a power
    cut too; a folder that cannot be synced (some file systems refuse) is not an error, as the
    file is in place by then.
    """
    path = Path(path)
    with contextlib.suppress(FileNotFoundError):
        mode = _replaceable(path) & 0o777
    folder = path.parent
    # The temporary name is the target's, shortened so that it fits wherever the target fits.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name[:_TEMPORARY_STEM]}.",
                                         suffix=".tmp", dir=folder)
    try:
        try:
            os.fchmod(handle, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            os.fsync(handle)
        finally:
            os.close(handle)
        _replaceable(path, missing_ok=True)  # checked again: it may have changed meanwhile
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


#: Characters of the target's name kept in the temporary file's name (a name may have 255).
_TEMPORARY_STEM = 100


def _replaceable(path: Path, *, missing_ok: bool = False) -> int:
    """The mode of the regular file at ``path``; :class:`InputError` when something else is
    there; :class:`FileNotFoundError` (or 0 with ``missing_ok``) when nothing is."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        if missing_ok:
            return 0
        raise
    if not stat.S_ISREG(found.st_mode):
        kind = ("symlink" if stat.S_ISLNK(found.st_mode) else
                "folder" if stat.S_ISDIR(found.st_mode) else
                "fifo" if stat.S_ISFIFO(found.st_mode) else
                "device" if stat.S_ISCHR(found.st_mode) or stat.S_ISBLK(found.st_mode) else
                "other")
        raise InputError(key="write_not_a_file", file=shown(path), kind_label=f"file_kind_{kind}")
    return found.st_mode


def _sync_folder(folder: Path) -> None:
    """``fsync`` a folder, so that a rename in it is on disk; best effort."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        handle = os.open(folder, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(handle)
    finally:
        os.close(handle)


def shown(path: Path | str, limit: int = 120) -> str:
    """``path`` as text for a one-line message: a name longer than ``limit`` is cut in the
    middle (``…``), so that a name over the file system's limit does not fill the screen."""
    text = str(path)
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}…{text[-half:]}"
