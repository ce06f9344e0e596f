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

Bad data must not take down good data. Each decision and each meeting pattern is checked on its
own (:func:`parse_register`): a bad one is left out and the others serve. The server reads the
file through a :class:`RegisterFile`, which keeps serving the last version that could be read
(or the defaults) when the file is broken, deleted or being rewritten, reads a changed file only
once it reads whole and parses, and reports each problem once (:meth:`RegisterFile.take_problems`,
one line naming the file and the decision). :func:`load_register` is the strict check a command
makes at start: any problem is a one-line :class:`DataError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from plancycle.calendar_no import check_election_year
from plancycle.errors import DataError, PlanCycleError
from plancycle.feed.names import check_plan_name
from plancycle.i18n import check_language, label
from plancycle.meetings import compile_pattern
from plancycle.models import ElectionPeriod
from plancycle.municipalities import County, Municipality, find_county, find_municipality
from plancycle.reading import read_regular

__all__ = ["EMPTY", "MAX_REGISTER_BYTES", "RECORDED_FIRST", "RECORDED_LAST", "Register",
           "RegisterEntryError", "RegisterFile", "RegisterProblem", "State", "load_register",
           "owner_key", "parse_register", "read_register_bytes"]

_DECISION_KEYS = {"municipality", "county", "election_year", "recorded", "constituted",
                  "election_day", "meetings"}
#: The largest register read, in bytes (some 100,000 decisions).
MAX_REGISTER_BYTES = 16 * 1024 * 1024
#: ``recorded`` must be after the defaults' stamp (1970-01-01, they come first) and before the
#: last year a calendar can hold.
RECORDED_FIRST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
RECORDED_LAST = dt.datetime(9998, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
#: A file modified this recently (nanoseconds) may still change within its modification time's
#: granularity without its size, time or inode changing: it is read again (and compared) on
#: every request until it has been quiet this long.
RACY_NS = 2_000_000_000


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

    @property
    def decisions(self) -> int:
        """How many decisions the register holds."""
        return sum(len(states) for states in self.states.values())


EMPTY = Register({}, {})


def owner_key(owner: Municipality | County) -> str:
    return f"{'k' if isinstance(owner, Municipality) else 'f'}{owner.number}"


class RegisterEntryError(DataError):
    """One part of a register (``where``: a decision, a meeting pattern) is refused for a
    ``reason`` that is itself a plancycle error (an unknown municipality, a bad plan name):
    the line names the file and the part, and reads in the language asked for."""

    def __init__(self, file: str, where: str, reason: PlanCycleError) -> None:
        self.reason = reason
        super().__init__(key="register_entry", file=file, where=where, reason=str(reason))

    def in_language(self, lang: str) -> str:
        language = check_language(lang)
        return label("error_register_entry", language, file=self.fields["file"],
                     where=self.fields["where"], reason=self.reason.in_language(language))


def read_register_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of the register ``path`` and the status of the file they were read from: a
    regular file only, at most :data:`MAX_REGISTER_BYTES` (:func:`plancycle.reading.read_regular`).
    :class:`OSError` otherwise."""
    return read_regular(path, MAX_REGISTER_BYTES)


def _document(name: str, raw: bytes) -> dict[str, Any]:
    """The parsed TOML of a register, or :class:`DataError` (``register_broken``)."""
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(key="register_broken", file=name, reason=str(exc)) from None
    except RecursionError:
        raise DataError(key="register_broken", file=name,
                        reason="nested too deeply (arrays or tables inside each other)") from None


def load_register(path: Path) -> Register:
    """Read and check a register file; any problem is a one-line :class:`DataError` (the check
    a command makes at start; the server reads through a :class:`RegisterFile`)."""
    try:
        raw, _ = read_register_bytes(path)
    except FileNotFoundError:
        raise DataError(key="register_missing", file=str(path)) from None
    except OSError as exc:
        raise DataError(key="register_broken", file=path.name,
                        reason=exc.strerror or str(exc)) from None
    register, problems = parse_register(_document(path.name, raw), path.name)
    if problems:
        raise problems[0]
    return register


def parse_register(doc: dict[str, Any], name: str) -> tuple[Register, tuple[DataError, ...]]:
    """The register in a parsed file ``doc`` (named ``name`` in messages), each decision and
    meeting pattern checked on its own: the good ones, and a one-line :class:`DataError` for
    each part left out (an unknown top-level key is only reported)."""
    problems: list[DataError] = []
    for unknown in sorted(set(doc) - {"decision", "meeting_patterns"}):
        problems.append(DataError(key="register_key", file=name, where="top level",
                                  key_name=str(unknown)[:60]))
    patterns: dict[str, str] = {}
    raw_patterns = doc.get("meeting_patterns", {})
    if not isinstance(raw_patterns, dict):
        problems.append(DataError(key="register_key", file=name, where="meeting_patterns",
                                  key_name="meeting_patterns"))
        raw_patterns = {}
    for plan, pattern in raw_patterns.items():
        where = f"meeting_patterns {str(plan)[:60]!r}"
        if not isinstance(pattern, str):
            problems.append(DataError(key="register_key", file=name, where="meeting_patterns",
                                      key_name=str(plan)[:60]))
            continue
        try:
            check_plan_name(plan)
            compile_pattern(pattern)
        except PlanCycleError as exc:
            problems.append(RegisterEntryError(name, where, exc))
            continue
        patterns[plan] = pattern
    decisions = doc.get("decision", [])
    if not isinstance(decisions, list):
        problems.append(DataError(key="register_key", file=name, where="top level",
                                  key_name="decision"))
        decisions = []
    states: dict[tuple[str, int], list[State]] = {}
    for index, entry in enumerate(decisions):
        where = f"decision {index + 1}"
        try:
            key, state = _decision(name, where, entry, states)
        except DataError as exc:  # the register's own complaints name the file and decision
            problems.append(exc)
            continue
        except PlanCycleError as exc:
            problems.append(RegisterEntryError(name, where, exc))
            continue
        states.setdefault(key, []).append(state)
    register = Register({key: tuple(value) for key, value in states.items()}, patterns)
    return register, tuple(problems)


def _decision(name: str, where: str, entry: object,
              states: dict[tuple[str, int], list[State]]) -> tuple[tuple[str, int], State]:
    if not isinstance(entry, dict):
        raise DataError(key="register_key", file=name, where=where, key_name="decision")
    unknown = sorted(set(entry) - _DECISION_KEYS)
    if unknown:
        raise DataError(key="register_key", file=name, where=where, key_name=unknown[0][:60])
    if ("municipality" in entry) == ("county" in entry):
        raise DataError(key="register_owner", file=name, where=where)
    number = entry["municipality"] if "municipality" in entry else entry["county"]
    if not isinstance(number, str | int) or isinstance(number, bool):
        raise DataError(key="register_owner", file=name, where=where)
    owner: Municipality | County = (find_municipality(str(number)) if "municipality" in entry
                                    else find_county(str(number)))
    year = entry.get("election_year")
    recorded = entry.get("recorded")
    if not isinstance(year, int) or isinstance(year, bool) \
            or not isinstance(recorded, dt.datetime):
        raise DataError(key="register_required", file=name, where=where)
    check_election_year(year)
    if recorded.tzinfo is None:
        raise DataError(key="register_naive", file=name, where=where)
    try:
        recorded = recorded.astimezone(dt.UTC)
    except OverflowError:  # 9999-12-31T23:00:00-05:00, 0001-01-01T00:00:00+01:00
        recorded = RECORDED_LAST + dt.timedelta(seconds=1) if recorded.year > 1 else RECORDED_FIRST
    if not RECORDED_FIRST < recorded <= RECORDED_LAST:
        raise DataError(key="register_recorded_range", file=name, where=where,
                        first=RECORDED_FIRST.date().isoformat(),
                        last=RECORDED_LAST.date().isoformat())
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
        plan = entry["meetings"]
        if not isinstance(plan, str):
            raise DataError(key="register_key", file=name, where=where, key_name="meetings")
        state = replace(state, meetings=check_plan_name(plan))
    # the decided dates must make a term, or every request for it would be refused
    ElectionPeriod.for_year(year, constituted=state.constituted,
                            election_day_override=state.election_day)
    return key, state


def _date(name: str, where: str, field: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DataError(key="register_date", file=name, where=where, field=field)
    return value


# -- the server's view of the file ----------------------------------------------------------------
@dataclass(frozen=True)
class RegisterProblem:
    """A problem found in the register: a part ``left_out`` (the rest serves), or the whole
    file (the last version that could be read, with ``decisions`` decisions, serves)."""

    error: PlanCycleError
    left_out: bool
    decisions: int = 0

    def message(self, lang: str = "en") -> str:
        """One line naming the file (and the decision), in ``lang``."""
        language = check_language(lang)
        reason = (self.error.in_language(language).splitlines() or [""])[0]
        if self.left_out:
            return label("register_left_out", language, problem=reason)
        return label("register_kept", language, problem=reason, count=self.decisions)


Fingerprint = tuple[int, int, int, int]


def _stamp(info: os.stat_result) -> Fingerprint:
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_dev)


class RegisterFile:
    """The register file as the server sees it; thread-safe.

    :meth:`current` gives the version to serve and its fingerprint (a hash of the bytes it was
    read from; None for the defaults). A changed file is read again; a version is taken only
    when it was read whole (its size and stamp the same before and after reading) and parses.
    Otherwise the last version taken keeps serving, or the defaults (no decisions) if there is
    none: a broken, deleted, unreadable or oversized file never fails a request. A file that
    changed within the last :data:`RACY_NS` is read again on every request (its stamp may not
    change when it is rewritten in place within the same tick), and a version of it with
    problems waits until it has been quiet that long: a half-written file is neither served
    nor reported (a modification time far in the future counts as quiet: a skewed clock).
    Each problem is kept once for :meth:`take_problems` (until it is fixed).
    """

    def __init__(self, path: Path, *, clock: Callable[[], int] = time.time_ns) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.Lock()
        self._served: tuple[str | None, Register] = (None, EMPTY)
        self._seen: Fingerprint | None = None  # the stamp of the file last read whole
        self._racy = True
        self._examined: tuple[str, bool] | None = None  # digest examined, and settled then
        self._reported: set[str] = set()
        self._problems: list[RegisterProblem] = []

    def current(self) -> tuple[str | None, Register]:
        """The fingerprint and register to serve now (reading the file if it changed)."""
        with self._lock:
            self._refresh()
            return self._served

    def take_problems(self) -> list[RegisterProblem]:
        """The problems found since the last call, each once (until it is fixed)."""
        with self._lock:
            problems, self._problems = self._problems, []
            return problems

    def _refresh(self) -> None:
        try:
            stamp = _stamp(os.stat(self.path))
        except OSError as exc:
            self._file_problem(exc)
            return
        if stamp == self._seen and not self._racy:
            return
        now = self._clock()
        try:
            raw, before = read_register_bytes(self.path)
            after = os.stat(self.path)
        except OSError as exc:
            self._file_problem(exc)
            return
        if _stamp(before) != _stamp(after) or len(raw) != after.st_size:
            self._seen = None  # being written right now: read again at the next request
            return
        # changed within RACY_NS of now (a modification time far in the future is a skewed
        # clock, not a write in progress: judged at once, or the file would wait forever)
        racy = abs(after.st_mtime_ns - now) < RACY_NS
        self._seen, self._racy = _stamp(after), racy
        digest = hashlib.sha256(raw).hexdigest()
        if self._examined is not None and self._examined[0] == digest \
                and (self._examined[1] or racy):
            return  # these bytes were judged already, and nothing more can be learnt
        self._examined = (digest, not racy)
        try:
            doc = _document(self.path.name, raw)
        except DataError as exc:
            if not racy:  # a file still being written is no news
                self._report([RegisterProblem(exc, False, self._served[1].decisions)])
            return
        register, problems = parse_register(doc, self.path.name)
        if problems and racy:
            return  # perhaps half written: taken (and reported) once it has been quiet
        self._served = (digest, register)
        self._report([RegisterProblem(problem, True) for problem in problems])

    def _file_problem(self, exc: OSError) -> None:
        """The file cannot be read: keep what serves, report it once, read it when it is back."""
        self._seen, self._examined = None, None
        if isinstance(exc, FileNotFoundError):
            error = DataError(key="register_missing", file=str(self.path))
        else:
            error = DataError(key="register_broken", file=self.path.name,
                              reason=exc.strerror or str(exc))
        self._report([RegisterProblem(error, False, self._served[1].decisions)])

    def _report(self, problems: list[RegisterProblem]) -> None:
        lines = {problem.message("en"): problem for problem in problems}
        self._problems.extend(p for line, p in lines.items() if line not in self._reported)
        self._reported = set(lines)  # a problem fixed and back again is reported again
