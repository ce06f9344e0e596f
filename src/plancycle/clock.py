"""The clock, read here and nowhere else, and only by the edges: the commands (``record
--recorded``, ``plans --today``, ``publish --today clock``) and the plan service's workers (when a
fact is recorded, ``serve --today clock``). Everything else takes the moment or the day as an
argument, so the library's output never depends on when it runs."""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    """Now in UTC, whole seconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def utc_today() -> dt.date:
    """Today's date in UTC."""
    return utc_now().date()
