"""Names a client may use for server-side meeting plans: a file name, never a path."""

from __future__ import annotations

import re
from pathlib import Path

from plancycle.errors import InputError

_PLAN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:ics|csv|toml)")


def check_plan_name(name: str) -> str:
    """``name`` if it is a plain meeting-plan file name (letters, digits, ``._-``; ``.ics``,
    ``.csv`` or ``.toml``), else :class:`InputError`. No separators, so no path can be named."""
    if not _PLAN_NAME.fullmatch(name):
        raise InputError(key="feed_plan_name", name=name[:60])
    return name


def plan_path(folder: Path | None, name: str) -> Path:
    """The file ``name`` directly inside ``folder``, which must exist there as a regular file."""
    check_plan_name(name)
    if folder is None:
        raise InputError(key="feed_no_meetings_dir", name=name)
    path = folder / name
    if path.parent != folder or not path.is_file():
        available = sorted(p.name for p in folder.iterdir()
                           if p.is_file() and _PLAN_NAME.fullmatch(p.name)) if folder.is_dir() else []
        listed = ", ".join(available[:5]) + (", …" if len(available) > 5 else "") or "-"
        raise InputError(key="feed_unknown_plan", name=name, available=listed)
    return path
