"""Names a client may use for server-side meeting plans (a file name, never a path), and the
public base address the index links to."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from urllib.parse import urlsplit

from plancycle.errors import InputError

_PLAN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:ics|csv|toml)", re.ASCII)


def check_plan_name(name: str) -> str:
    """``name`` if it is a plain meeting-plan file name (letters, digits, ``._-``; ``.ics``,
    ``.csv`` or ``.toml``), else :class:`InputError`. No separators, so no path can be named."""
    if not _PLAN_NAME.fullmatch(name):
        raise InputError(key="feed_plan_name", name=name[:60])
    return name


def plan_path(folder: Path | None, name: str) -> Path:
    """The regular file ``name`` in ``folder``, as its real path.

    A symlink is followed only to a regular file inside ``folder`` itself (a link to
    ``/etc/passwd`` or to a plan in another folder is not there). Anything else is "no such
    plan", whose message names only ``name``: never the files the server has, nor why.
    """
    check_plan_name(name)
    if folder is None:
        raise InputError(key="feed_no_meetings_dir", name=name)
    unknown = InputError(key="feed_plan_unknown", name=name)
    try:
        root = Path(os.path.realpath(folder))
        real = Path(os.path.realpath(folder / name))
        info = os.stat(real)
    except (OSError, ValueError):
        raise unknown from None
    if real.parent != root or not stat.S_ISREG(info.st_mode):
        raise unknown
    return real


def check_base_url(url: str) -> str:
    """``url`` without a trailing ``/`` if it is an ``https://`` or ``http://`` address with a
    host (``https://plan.example.no`` or ``https://example.no/plan``), else :class:`InputError`.
    No query or fragment: the index appends feed paths to it."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise InputError(key="feed_base_url_invalid", url=url[:80]) from None
    if (parts.scheme not in ("https", "http") or not parts.hostname or parts.query
            or parts.fragment or not url.isprintable() or " " in url):
        raise InputError(key="feed_base_url_invalid", url=url[:80])
    return url.rstrip("/")
