"""The options a feed URL may carry, parsed strictly: anything else is a one-line 400."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from plancycle.calendar_no import check_election_year
from plancycle.errors import InputError
from plancycle.feed.names import check_plan_name
from plancycle.i18n import LANGUAGES, Language, check_language
from plancycle.ical import check_alarms
from plancycle.processes import PROCESS_MODELS, ProcessModel

#: Options of ``/feeds/<number>.ics`` and ``/feeds/fylke/<number>.ics``.
FEED_OPTIONS = ("election", "model", "lang", "constituted", "alarms", "meetings", "plans")
#: Options of the index page (``q`` searches by name or number).
INDEX_OPTIONS = ("q", "election", "model", "lang", "alarms")
DEFAULT_MODEL: ProcessModel = "samskaping"
DEFAULT_LANG: Language = "nb"
MAX_QUERY = 1000
MAX_ALARMS = 3
#: Numbers in a URL are ASCII digits only: ``str.isdigit`` also takes ``²`` or ``٣``, which
#: ``int`` then rejects (or reads as another number).
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
#: A plan id in ``plans=`` (the register's slug, :data:`plancycle.plans.PLAN_ID`).
_PLAN_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}", re.ASCII)
MAX_PLAN_IDS = 50


def is_ascii_number(text: str) -> bool:
    """True when ``text`` is one or more ASCII digits ``0``–``9`` and nothing else."""
    return _DIGITS.fullmatch(text) is not None


@dataclass(frozen=True)
class FeedOptions:
    """A validated, hashable set of feed options (the cache key of a feed, with its owner)."""

    election_year: int
    model: ProcessModel = DEFAULT_MODEL
    lang: Language = DEFAULT_LANG
    constituted: dt.date | None = None
    alarms: tuple[int, ...] = ()
    meetings: str | None = None
    #: the plans whose processes a followed term's feed shows (issue 10): None all (``all``),
    #: else the chosen plan ids, sorted (``none``: empty)
    plans: tuple[str, ...] | None = None

    @property
    def plan_choice(self) -> frozenset[str] | None:
        """:attr:`plans` as the choice :mod:`plancycle.term_calendar` takes."""
        return None if self.plans is None else frozenset(self.plans)

    def query_string(self, default_year: int) -> str:
        """The shortest query that gives these options (defaults left out), ``?`` included."""
        pairs: list[tuple[str, str]] = []
        if self.election_year != default_year:
            pairs.append(("election", str(self.election_year)))
        if self.model != DEFAULT_MODEL:
            pairs.append(("model", self.model))
        if self.lang != DEFAULT_LANG:
            pairs.append(("lang", self.lang))
        if self.constituted is not None:
            pairs.append(("constituted", self.constituted.isoformat()))
        if self.alarms:
            pairs.append(("alarms", ",".join(map(str, self.alarms))))
        if self.meetings is not None:
            pairs.append(("meetings", self.meetings))
        if self.plans is not None:
            pairs.append(("plans", ",".join(self.plans) if self.plans else "none"))
        return "?" + urlencode(pairs, safe=",") if pairs else ""


def message_language(query: str) -> Language:
    """The language to answer in: a valid ``lang`` option, else bokmål."""
    try:
        for key, value in parse_qsl(query, keep_blank_values=True, max_num_fields=20):
            if key == "lang" and value in LANGUAGES:
                return check_language(value)
    except (ValueError, UnicodeDecodeError):
        pass
    return DEFAULT_LANG


def parse_options(query: str, allowed: tuple[str, ...],
                  default_year: int) -> tuple[FeedOptions, str]:
    """The options in a query string and the search text ``q`` (empty if none)."""
    if len(query) > MAX_QUERY:
        raise InputError(key="feed_query_long", length=len(query), limit=MAX_QUERY)
    try:
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict",
                          max_num_fields=len(allowed) + 1)
    except UnicodeDecodeError:
        raise InputError(key="feed_query_encoding") from None
    except ValueError:
        raise InputError(key="feed_query_many", allowed=", ".join(allowed)) from None
    values: dict[str, str] = {}
    for key, value in pairs:
        if key not in allowed:
            raise InputError(key="feed_unknown_option", option=key[:40], allowed=", ".join(allowed))
        if key in values:
            raise InputError(key="feed_repeated_option", option=key)
        values[key] = value.strip()
    year = default_year
    if values.get("election"):
        text = values["election"]
        if len(text) != 4 or not is_ascii_number(text):
            raise InputError(key="feed_bad_year", value=text[:20])
        year = check_election_year(int(text))
    model = values.get("model") or DEFAULT_MODEL
    if model not in PROCESS_MODELS:
        raise InputError(key="unknown_model", model=model[:40], allowed=", ".join(PROCESS_MODELS))
    options = FeedOptions(
        election_year=year,
        model=model,
        lang=check_language(values.get("lang") or DEFAULT_LANG),
        constituted=_date(values["constituted"]) if values.get("constituted") else None,
        alarms=parse_alarms(values.get("alarms", "")),
        meetings=check_plan_name(values["meetings"]) if values.get("meetings") else None,
        plans=parse_plans(values.get("plans", "")),
    )
    return options, values.get("q", "")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(key="feed_bad_date", value=text[:20]) from None


def parse_plans(text: str) -> tuple[str, ...] | None:
    """The ``plans`` option: ``all`` or empty (None: every plan), ``none`` (no plan), or plan
    ids separated by commas (at most :data:`MAX_PLAN_IDS`, each a plan-id slug)."""
    if text in ("", "all"):
        return None
    if text == "none":
        return ()
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > MAX_PLAN_IDS or not all(_PLAN_ID.fullmatch(part) for part in parts):
        raise InputError(key="feed_bad_plans", value=text[:40])
    return tuple(sorted(set(parts)))


def parse_alarms(text: str) -> tuple[int, ...]:
    """Reminder days from ``14,1``-style text (at most :data:`MAX_ALARMS`, each 0–366)."""
    if not text:
        return ()
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > MAX_ALARMS or not all(len(part) <= 3 and is_ascii_number(part) for part in parts):
        raise InputError(key="feed_bad_alarms", value=text[:20], count=MAX_ALARMS)
    return check_alarms([int(part) for part in parts])
