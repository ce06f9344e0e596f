"""The feed server's configuration: where its data lives and which term it shows by default."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from plancycle.calendar_no import FIRST_ELECTION_YEAR, LAST_ELECTION_YEAR, check_election_year
from plancycle.errors import InputError, wrong_type
from plancycle.meetings import compile_pattern
from plancycle.rules import rule_table


@dataclass(frozen=True)
class FeedConfig:
    """How a feed server (or a static publication) is set up.

    ``base_url``: the public address the index links to (``https://plan.example.no``); without it
    links are built from the request (server) or left relative (static files).
    ``meetings_dir``: folder of council meeting plans a feed may name (``?meetings=NAME``); a
    client never gives a path. ``meeting_pattern``: the default council-meeting pattern for
    those plans. ``register``: the feed register (see :mod:`plancycle.feed.register`), the dated
    history of decisions that makes updates reach subscribers. ``election_year``: the term shown
    when a request names none (default: :func:`default_election_year`). ``cache_size``: how many
    generated documents the server keeps in memory (0 switches the cache off).
    ``terms_dir``: folder of term files (``*.toml``, see :mod:`plancycle.feed.terms`); a followed
    term replaces the plan feed of its owner and election year. ``today``: the day overdue
    milestones of followed terms are flagged as of (None: not flagged); ``clock``: a function
    that gives that day at each request instead (the caller's clock: the feed never reads one).
    """

    base_url: str | None = None
    meetings_dir: Path | None = None
    meeting_pattern: str | None = None
    register: Path | None = None
    election_year: int | None = None
    cache_size: int = 512
    terms_dir: Path | None = None
    today: dt.date | None = None
    clock: Callable[[], dt.date] | None = None

    def __post_init__(self) -> None:
        """Check every field (wrong types and values are :class:`InputError`); a folder or file
        given as ``str`` becomes a :class:`Path`."""
        for name in ("meetings_dir", "register", "terms_dir"):
            value = getattr(self, name)
            if isinstance(value, str | os.PathLike) and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))
            elif value is not None and not isinstance(value, Path):
                _wrong(name, value, "Path or None")
        for name, types, expected in (("base_url", (str, type(None)), "str or None"),
                                      ("meeting_pattern", (str, type(None)), "str or None")):
            if not isinstance(getattr(self, name), types):
                _wrong(name, getattr(self, name), expected)
        if self.clock is not None and not callable(self.clock):
            _wrong("clock", self.clock, "a function giving a datetime.date, or None")
        size = self.cache_size
        if not isinstance(size, int) or isinstance(size, bool):
            _wrong("cache_size", size, "int")
        if size < 0:
            raise InputError(key="feed_cache_size", size=size)
        if size > MAX_CACHE_SIZE:
            raise InputError(key="feed_cache_size_large", size=size, most=MAX_CACHE_SIZE)
        if self.base_url is not None:
            if not self.base_url.startswith(("https://", "http://")):
                raise InputError(key="feed_base_url", url=self.base_url[:100])
            try:
                parts = urlsplit(self.base_url)
                host, _ = parts.hostname, parts.port  # .port: ValueError for a port not a number
            except ValueError:  # a bracket left open, a bad port
                host = None
            if not host or any(c.isspace() or not c.isprintable() for c in self.base_url):
                raise InputError(key="feed_base_url_host", url=self.base_url[:100])
        if self.meeting_pattern is not None:
            compile_pattern(self.meeting_pattern)
        if self.election_year is not None:
            check_election_year(self.election_year)
        if self.today is not None and (not isinstance(self.today, dt.date)
                                       or isinstance(self.today, dt.datetime)):
            _wrong("today", self.today, "datetime.date or None")

    @property
    def default_year(self) -> int:
        return self.election_year if self.election_year is not None else default_election_year()


#: The most documents a feed server keeps in memory.
MAX_CACHE_SIZE = 1_000_000


def _wrong(name: str, value: object, expected: str) -> NoReturn:
    raise wrong_type("FeedConfig", name, expected, value)


def default_election_year() -> int:
    """The first election year on or after the year the rule data was revised: the coming term
    when the rules were last checked. An input, not the clock, so every server agrees."""
    year = rule_table().revised.year
    step = (year - FIRST_ELECTION_YEAR + 3) // 4
    return min(FIRST_ELECTION_YEAR + 4 * max(step, 0), LAST_ELECTION_YEAR)
