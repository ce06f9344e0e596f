"""The plan service's configuration: the feed server's settings plus the clocks and limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plancycle.errors import InputError, wrong_type
from plancycle.feed.config import FeedConfig

#: The largest request body the API reads (a fact is a few hundred bytes).
MAX_BODY_BYTES = 16_384
#: The bounds a configuration may set the body limit within.
BODY_LIMITS = (256, 1_048_576)


def _no_clock() -> dt.datetime:
    raise InputError(key="service_no_clock")


@dataclass(frozen=True)
class ServiceConfig:
    """How a plan service is set up: what :class:`~plancycle.feed.config.FeedConfig` has (base
    URL, meeting plans, default election year, cache size, ``today``) without the files the
    database replaces (register, term files), plus ``clock`` ("now" for recorded facts and the
    audit trail: the caller's clock, injected, so tests fix it), ``today_clock`` (the day overdue
    milestones are flagged as of at each request; None: ``today``) and ``max_body_bytes``."""

    base_url: str | None = None
    meetings_dir: Path | None = None
    meeting_pattern: str | None = None
    election_year: int | None = None
    cache_size: int = 512
    today: dt.date | None = None
    clock: Callable[[], dt.datetime] = field(default=_no_clock)
    today_clock: Callable[[], dt.date] | None = None
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        """Checked as :class:`FeedConfig` checks its fields; the clocks must be callables."""
        self.feed_config()
        for name in ("clock", "today_clock"):
            value = getattr(self, name)
            if not callable(value) and not (name == "today_clock" and value is None):
                raise wrong_type("ServiceConfig", name, "a function", value)
        size = self.max_body_bytes
        if not isinstance(size, int) or isinstance(size, bool):
            raise wrong_type("ServiceConfig", "max_body_bytes", "int", size)
        if not BODY_LIMITS[0] <= size <= BODY_LIMITS[1]:
            raise InputError(key="service_body_limit", size=size, least=BODY_LIMITS[0],
                             most=BODY_LIMITS[1])

    def feed_config(self) -> FeedConfig:
        """The feed routes' configuration (the day clock is the feed's ``clock``)."""
        return FeedConfig(base_url=self.base_url, meetings_dir=self.meetings_dir,
                          meeting_pattern=self.meeting_pattern, election_year=self.election_year,
                          cache_size=self.cache_size, today=self.today, clock=self.today_clock)
