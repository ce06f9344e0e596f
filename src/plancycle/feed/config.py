"""The feed server's configuration: where its data lives and which term it shows by default."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from plancycle.calendar_no import FIRST_ELECTION_YEAR, LAST_ELECTION_YEAR
from plancycle.errors import InputError
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
    milestones of followed terms are flagged as of (None: not flagged); ``today_from_clock``:
    take it from the clock (UTC) at each request instead, the one place a feed reads the clock.
    """

    base_url: str | None = None
    meetings_dir: Path | None = None
    meeting_pattern: str | None = None
    register: Path | None = None
    election_year: int | None = None
    cache_size: int = 512
    terms_dir: Path | None = None
    today: dt.date | None = None
    today_from_clock: bool = False

    def __post_init__(self) -> None:
        if self.cache_size < 0:
            raise InputError(key="feed_cache_size", size=self.cache_size)
        if self.base_url is not None and not self.base_url.startswith(("https://", "http://")):
            raise InputError(key="feed_base_url", url=self.base_url)

    @property
    def default_year(self) -> int:
        return self.election_year if self.election_year is not None else default_election_year()


def default_election_year() -> int:
    """The first election year on or after the year the rule data was revised: the coming term
    when the rules were last checked. An input, not the clock, so every server agrees."""
    year = rule_table().revised.year
    step = (year - FIRST_ELECTION_YEAR + 3) // 4
    return min(FIRST_ELECTION_YEAR + 4 * max(step, 0), LAST_ELECTION_YEAR)
