"""The feed register: what the councils decided and when it was recorded, as an append-only file.

A feed's history is data, not a database. The register is a TOML file the publisher keeps::

    [meeting_patterns]                       # optional: council pattern per meeting-plan file
    "simrishamn-budgetprocess-2026.ics" = "^KF "

    [[decision]]
    municipality = "1103"                    # or county = "46"
    election_year = 2027
    recorded = 2027-06-10T12:00:00Z          # when it became known; orders the history
    constituted = 2027-10-19                 # any of: constituted, election_day, meetings
    meetings = "stavanger-2027-2028.ics"     # a file in the meetings folder

Each decision changes the state left by the ones before it for the same owner and term; each
state is one :class:`plancycle.ical.Revision` of the feed, so an event's SEQUENCE counts the
decisions that moved it (see :mod:`plancycle.ical`). Add decisions, never rewrite old ones; give a
changed meeting plan a new file name, so the history can be replayed.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from plancycle.errors import DataError
from plancycle.feed.names import check_plan_name
from plancycle.municipalities import County, Municipality, find_county, find_municipality

_DECISION_KEYS = {"municipality", "county", "election_year", "recorded", "constituted",
                  "election_day", "meetings"}


@dataclass(frozen=True)
class State:
    """The decided inputs of one owner's term after a decision (None: not decided)."""

    recorded: dt.datetime
    constituted: dt.date | None = None
    election_day: dt.date | None = None
    meetings: str | None = None


@dataclass(frozen=True)
class Register:
    """Decisions per owner (``k<number>`` or ``f<number>``) and term, and meeting patterns."""

    states: dict[tuple[str, int], tuple[State, ...]]
    meeting_patterns: dict[str, str]

    def history(self, owner: Municipality | County, election_year: int) -> tuple[State, ...]:
        """The states of one owner's term, oldest first (empty: nothing decided)."""
        return self.states.get((owner_key(owner), election_year), ())

    def plan_names(self, owner: Municipality | County, election_year: int) -> tuple[str, ...]:
        """The meeting-plan files the history of one term refers to."""
        names = (state.meetings for state in self.history(owner, election_year))
        return tuple(dict.fromkeys(name for name in names if name))


EMPTY = Register({}, {})


def owner_key(owner: Municipality | County) -> str:
    return f"{'k' if isinstance(owner, Municipality) else 'f'}{owner.number}"


def load_register(path: Path) -> Register:
    """Read and check a register file; any problem is a one-line :class:`DataError`."""
    name = path.name
    try:
        doc = tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise DataError(key="register_missing", file=str(path)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(key="register_broken", file=name, reason=str(exc)) from None
    unknown = sorted(set(doc) - {"decision", "meeting_patterns"})
    if unknown:
        raise DataError(key="register_key", file=name, where="top level", key_name=unknown[0])
    patterns = doc.get("meeting_patterns", {})
    if not isinstance(patterns, dict) or not all(isinstance(v, str) for v in patterns.values()):
        raise DataError(key="register_key", file=name, where="meeting_patterns",
                        key_name="meeting_patterns")
    for plan in patterns:
        check_plan_name(plan)
    decisions = doc.get("decision", [])
    if not isinstance(decisions, list):
        raise DataError(key="register_key", file=name, where="top level", key_name="decision")
    states: dict[tuple[str, int], list[State]] = {}
    for index, entry in enumerate(decisions):
        where = f"decision {index + 1}"
        key, state = _decision(name, where, entry, states)
        states.setdefault(key, []).append(state)
    return Register({key: tuple(value) for key, value in states.items()}, dict(patterns))


def _decision(name: str, where: str, entry: object,
              states: dict[tuple[str, int], list[State]]) -> tuple[tuple[str, int], State]:
    if not isinstance(entry, dict):
        raise DataError(key="register_key", file=name, where=where, key_name="decision")
    unknown = sorted(set(entry) - _DECISION_KEYS)
    if unknown:
        raise DataError(key="register_key", file=name, where=where, key_name=unknown[0])
    if ("municipality" in entry) == ("county" in entry):
        raise DataError(key="register_owner", file=name, where=where)
    owner: Municipality | County = (find_municipality(str(entry["municipality"]))
                                    if "municipality" in entry
                                    else find_county(str(entry["county"])))
    year = entry.get("election_year")
    recorded = entry.get("recorded")
    if not isinstance(year, int) or not isinstance(recorded, dt.datetime):
        raise DataError(key="register_required", file=name, where=where)
    if recorded.tzinfo is None:
        raise DataError(key="register_naive", file=name, where=where)
    recorded = recorded.astimezone(dt.UTC)
    key = (owner_key(owner), year)
    previous = states.get(key, [])
    if previous and recorded <= previous[-1].recorded:
        raise DataError(key="register_order", file=name, where=where,
                        recorded=recorded.isoformat(), before=previous[-1].recorded.isoformat())
    state = replace(previous[-1], recorded=recorded) if previous else State(recorded)
    if "constituted" in entry:
        state = replace(state, constituted=_date(name, where, "constituted", entry["constituted"]))
    if "election_day" in entry:
        state = replace(state, election_day=_date(name, where, "election_day",
                                                  entry["election_day"]))
    if "meetings" in entry:
        state = replace(state, meetings=check_plan_name(str(entry["meetings"])))
    return key, state


def _date(name: str, where: str, field: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DataError(key="register_date", file=name, where=where, field=field)
    return value
