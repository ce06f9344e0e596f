"""The council's meeting plan, read from the files municipalities actually have.

Three formats, chosen by the file's suffix:

- ``.ics``: a calendar exported from a political meeting portal, or made by hand. Read leniently
  (LF line endings, blank lines, missing UID or DTSTAMP are reported as warnings, not errors)
  with icalendar's parser; recurrences are expanded by ``recurring-ical-events``, which honours
  EXDATE, RDATE and ``RECURRENCE-ID`` overrides (a moved meeting is on its new date only). The
  council's meetings are the VEVENTs whose SUMMARY matches a pattern (by default
  :data:`DEFAULT_PATTERN`: kommunestyre, bystyre or fylkesting, case-insensitive); cancelled
  ones (``STATUS:CANCELLED``, the whole series or one occurrence) are left out.
- ``.csv``: a header ``date`` or ``date,title``, then one ISO date a row.
- ``.toml``: ``meetings = [2027-12-14, ...]`` or ``[[meeting]]`` tables with ``date`` and ``title``.

The dates feed :class:`plancycle.schedule.ScheduleOptions` ``council_meetings``: decisions are
placed on them and notices are counted back from them (pbl § 10-1 second paragraph, koml § 14-3
third paragraph, rule meeting-papers). A broken file raises :class:`~plancycle.errors.DataError`
with one line naming the file and the problem.

Every input is bounded, so no file or pattern can hang a command or the feed server:

- only regular files are read (a pipe, device or socket is refused without blocking), and at
  most :data:`MAX_BYTES`, counted while reading (a file that grows, or ``/dev/zero`` behind a
  symlink, cannot pass a size check made before);
- meeting dates lie in the years :data:`FIRST_YEAR`–:data:`LAST_YEAR`, and a plan has at most
  :data:`MAX_MEETINGS` meetings;
- recurrences are expanded within a window only: the term's (``window``, e.g.
  :func:`term_window`), else :data:`MAX_RECURRENCE_YEARS` from each series' start. The work is
  bounded, not the occurrences found: an impossible rule (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``)
  finds none, and the rule iterator would search to the year 9999 for one. Each rule may step
  through at most the months from its start to the window's end (at most
  :data:`MAX_RULE_MONTHS`), and all rules of a file through :data:`MAX_FILE_MONTHS` months
  together; a rule cut short is reported in a warning. Rules more frequent than daily are not
  expanded (a council does not meet every hour): their first date is taken, with a warning;
- the meeting pattern is a regular expression without nested repetitions or repeated
  alternations (``(a+)+``, ``(a|ab)*``: exponential backtracking), without back-references and
  with at most :data:`MAX_PATTERN_REPEATS` repetitions (each multiplies the time), searched in
  the first :data:`MAX_TITLE` characters of each title.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from dateutil.rrule import rrule
from icalendar.prop import vBroken
from recurring_ical_events import EventAdapter, Series  # type: ignore[import-untyped]

from plancycle.errors import DataError, InputError
from plancycle.i18n import Language, label
from plancycle.reading import FileTooBig, NotRegularFile, read_regular

#: Summaries of council meetings in Norwegian meeting portals (municipal and county councils).
DEFAULT_PATTERN = r"kommunestyre|bystyre|fylkesting"
#: Meeting plans are small; anything bigger is not one (counted while reading).
MAX_BYTES = 4_000_000
#: Without a window, a recurring series is expanded this far from its start.
MAX_RECURRENCE_YEARS = 10
#: At most this many meetings in one plan.
MAX_MEETINGS = 5000
#: Meeting dates must lie in these years.
FIRST_YEAR = 1900
LAST_YEAR = 2199
#: Months one recurrence rule may step through (from its start to the window's end), and all
#: rules of one file together.
MAX_RULE_MONTHS = 600
MAX_FILE_MONTHS = 12_000
#: Occurrences a rule may produce per month it steps through (two a day): more is a rule that
#: repeats within the day, stopped like a rule out of months.
MAX_PER_MONTH = 62
#: The pattern: its length, its repetitions, and the part of each title it is searched in.
MAX_PATTERN = 200
MAX_PATTERN_REPEATS = 2
MAX_TITLE = 200
#: Components nest this deep at most (VCALENDAR > VEVENT > VALARM is 3).
MAX_DEPTH = 10
LOCAL_ZONE = "Europe/Oslo"


@dataclass(frozen=True)
class Meeting:
    """One council meeting: its date (in the meeting's own time zone) and title."""

    date: dt.date
    title: str = ""


@dataclass(frozen=True)
class MeetingPlan:
    """The council meetings found in one file, with what the reader had to overlook."""

    source: str
    meetings: tuple[Meeting, ...]
    warnings: tuple[str, ...] = ()

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The distinct meeting dates, in order."""
        return tuple(sorted({meeting.date for meeting in self.meetings}))


def term_window(election_year: int) -> tuple[dt.date, dt.date]:
    """The window to expand a term's recurring meetings in: 1 January of the year before the
    election to 31 December five years after it (every milestone of the term lies inside)."""
    return dt.date(election_year - 1, 1, 1), dt.date(election_year + 5, 12, 31)


# -- the pattern -------------------------------------------------------------------------------

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
_GROUPREFS = {"GROUPREF", "GROUPREF_IGNORE", "GROUPREF_EXISTS", "GROUPREF_LOC_IGNORE",
              "GROUPREF_UNI_IGNORE"}


def compile_pattern(pattern: str | None) -> re.Pattern[str]:
    """The council-meeting pattern, searched case-insensitively in each SUMMARY or title.

    Patterns that can take more than polynomial time are refused (see the module docstring)."""
    text = DEFAULT_PATTERN if pattern is None else pattern
    if len(text) > MAX_PATTERN:
        raise InputError(key="meeting_pattern_long", length=len(text), limit=MAX_PATTERN)
    try:
        compiled = re.compile(text, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError) as exc:
        raise InputError(key="meeting_pattern", pattern=text, reason=str(exc)) from None
    count = _pattern_repeats(text)
    if count > MAX_PATTERN_REPEATS:
        raise InputError(key="meeting_pattern_repeats", pattern=text, count=count,
                         limit=MAX_PATTERN_REPEATS)
    return compiled


def _pattern_repeats(text: str) -> int:
    """The repetitions (``*``, ``+``, ``{m,n}`` with n > 1) on the longest path through the
    pattern; :class:`InputError` for nested ones and back-references."""
    try:
        parser: Any = importlib.import_module("re._parser")
        tree = parser.parse(text, re.IGNORECASE)
    except (ImportError, AttributeError):  # a Python without the parser: judge the text
        return _rough_repeats(text)
    return _walk(tree, text, inside=False)


def _walk(items: Iterable[tuple[Any, Any]], text: str, *, inside: bool) -> int:
    count = 0
    for op, value in items:
        name = getattr(op, "name", str(op))
        if name in _REPEATS:
            _, high, sub = value
            many = high > 1
            if many and inside:
                raise InputError(key="meeting_pattern_nested", pattern=text)
            count += int(many) + _walk(sub, text, inside=inside or many)
        elif name == "BRANCH":
            if inside:
                raise InputError(key="meeting_pattern_nested", pattern=text)
            count += max((_walk(branch, text, inside=inside) for branch in value[1]), default=0)
        elif name == "SUBPATTERN":
            count += _walk(value[-1], text, inside=inside)
        elif name in ("ASSERT", "ASSERT_NOT"):
            count += _walk(value[1], text, inside=inside)
        elif name == "ATOMIC_GROUP":
            count += _walk(value, text, inside=inside)
        elif name in _GROUPREFS:
            raise InputError(key="meeting_pattern_backref", pattern=text)
    return count


def _rough_repeats(text: str) -> int:
    plain = re.sub(r"\\.", "x", text)
    if re.search(r"\)[*+{]", plain) or "(?P=" in plain or "(?(" in plain:
        raise InputError(key="meeting_pattern_nested", pattern=text)
    if re.search(r"\\[1-9]", text):
        raise InputError(key="meeting_pattern_backref", pattern=text)
    return len(re.findall(r"[*+]|\{\d*,?\d*\}", plain))


def _matches(regex: re.Pattern[str], title: str) -> bool:
    return regex.search(title[:MAX_TITLE]) is not None


# -- reading -----------------------------------------------------------------------------------

def load_meeting_plan(path: str | Path, pattern: str | None = None, *,
                      lang: Language = "nb",
                      window: tuple[dt.date, dt.date] | None = None) -> MeetingPlan:
    """Read a council meeting plan (ICS, CSV or TOML; see the module docstring).

    ``pattern`` picks the council's meetings by their summary or title; by default ICS files
    are filtered with :data:`DEFAULT_PATTERN` and CSV/TOML lists are taken as they are.
    ``window`` (first and last day, e.g. :func:`term_window`) bounds the expansion of recurring
    ICS events; single meetings and CSV/TOML rows are taken wherever they lie. Warnings are in
    ``lang``.
    """
    path = Path(path)
    name = path.name
    regex = compile_pattern(pattern)
    if window is not None:
        _check_window(window)
    suffix = path.suffix.lower()
    if suffix not in (".ics", ".csv", ".toml"):
        raise DataError(key="meetings_format", file=name, suffix=suffix or "(none)")
    raw = _read(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(key="meetings_encoding", file=name, offset=exc.start) from None
    if suffix == ".ics":
        return _from_ics(name, text, regex, lang, window)
    plan = _from_csv(name, text) if suffix == ".csv" else _from_toml(name, text)
    if pattern is not None:
        chosen = tuple(m for m in plan.meetings if _matches(regex, m.title))
        if not chosen:
            _no_match(name, regex, [m.title for m in plan.meetings])
        plan = MeetingPlan(name, chosen, plan.warnings)
    return plan


def _check_window(window: tuple[dt.date, dt.date]) -> None:
    start, end = window
    if (not isinstance(start, dt.date) or not isinstance(end, dt.date) or start > end
            or start.year < FIRST_YEAR or end.year > LAST_YEAR):
        raise InputError(key="meetings_window", start=start, end=end, first=FIRST_YEAR,
                         last=LAST_YEAR)


def _read(path: Path) -> bytes:
    """The file's bytes: a regular file only, never more than :data:`MAX_BYTES` read
    (:func:`plancycle.reading.read_regular`)."""
    name = path.name
    try:
        return read_regular(path, MAX_BYTES)[0]
    except FileNotFoundError:
        raise DataError(key="meetings_missing", file=str(path)) from None
    except (IsADirectoryError, NotRegularFile):
        raise DataError(key="meetings_not_regular", file=name) from None
    except FileTooBig as exc:
        if exc.counted:
            raise DataError(key="meetings_too_big_read", file=name, limit=MAX_BYTES) from None
        raise DataError(key="meetings_too_big", file=name, size=exc.size, limit=MAX_BYTES) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError(key="meetings_unreadable", file=name, reason=reason) from None


def _no_match(name: str, regex: re.Pattern[str], titles: list[str]) -> None:
    examples = "; ".join(dict.fromkeys(title[:MAX_TITLE] for title in titles if title)) or "-"
    if len(examples) > 120:
        examples = examples[:117] + "..."
    raise DataError(key="meetings_no_match", file=name, count=len(titles),
                    pattern=regex.pattern, examples=examples)


def _too_many(name: str, count: int) -> None:
    if count > MAX_MEETINGS:
        raise DataError(key="meetings_too_many", file=name, limit=MAX_MEETINGS)


# -- CSV and TOML ------------------------------------------------------------------------------

def _in_range(name: str, where: str, day: dt.date) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DataError(key="meetings_date_range", file=name, where=where, value=day.isoformat(),
                        first=FIRST_YEAR, last=LAST_YEAR)
    return day


def _parse_date(name: str, where: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return _in_range(name, where, value.date())
    if isinstance(value, dt.date):
        return _in_range(name, where, value)
    text = str(value).strip() if isinstance(value, str) else repr(value)[:40]
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise DataError(key="meetings_bad_date", file=name, where=where, value=text[:40]) from None
    return _in_range(name, where, day)


def _from_csv(name: str, text: str) -> MeetingPlan:
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise DataError(key="meetings_csv_broken", file=name, line=reader.line_num,
                        reason=str(exc)[:80]) from None
    if not rows:
        raise DataError(key="meetings_empty", file=name)
    _too_many(name, len(rows) - 1)
    header = [cell.strip().lower() for cell in rows[0]]
    if header not in (["date"], ["date", "title"]):
        raise DataError(key="meetings_csv_header", file=name, header=",".join(rows[0])[:60])
    meetings = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            raise DataError(key="meetings_csv_columns", file=name, line=number,
                            count=len(row), allowed=len(header))
        title = row[1].strip() if len(row) > 1 else ""
        meetings.append(Meeting(_parse_date(name, f"row {number}", row[0]), title))
    if not meetings:
        raise DataError(key="meetings_empty", file=name)
    return MeetingPlan(name, tuple(meetings))


def _from_toml(name: str, text: str) -> MeetingPlan:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(key="meetings_toml", file=name, reason=str(exc)) from None
    except RecursionError:
        raise DataError(key="meetings_toml_nested", file=name) from None
    unknown = sorted(set(doc) - {"meetings", "meeting"})
    if unknown or ("meetings" in doc) == ("meeting" in doc):
        raise DataError(key="meetings_toml_shape", file=name, keys=", ".join(unknown)[:60] or "-")
    meetings: list[Meeting] = []
    if "meetings" in doc:
        if not isinstance(doc["meetings"], list):
            raise DataError(key="meetings_toml_shape", file=name, keys="meetings")
        _too_many(name, len(doc["meetings"]))
        for index, value in enumerate(doc["meetings"]):
            meetings.append(Meeting(_parse_date(name, f"meetings[{index}]", value)))
    else:
        tables = doc["meeting"]
        if not isinstance(tables, list):
            raise DataError(key="meetings_toml_shape", file=name, keys="meeting")
        _too_many(name, len(tables))
        for index, table in enumerate(tables):
            if not isinstance(table, dict) or "date" not in table or set(table) - {"date", "title"}:
                raise DataError(key="meetings_toml_shape", file=name, keys=f"meeting[{index}]")
            title = table.get("title", "")
            meetings.append(Meeting(_parse_date(name, f"meeting[{index}]", table["date"]),
                                    title if isinstance(title, str) else str(title)[:MAX_TITLE]))
    if not meetings:
        raise DataError(key="meetings_empty", file=name)
    return MeetingPlan(name, tuple(meetings))


# -- ICS: the lenient scan ---------------------------------------------------------------------

_PROPERTY = re.compile(r"^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$")


@dataclass
class _Report:
    """What the lenient reader overlooked, counted so each kind gives one warning."""

    lf_endings: bool = False
    blank_lines: int = 0
    bad_lines: int = 0
    missing: dict[str, int] = field(default_factory=lambda: {"UID": 0, "DTSTAMP": 0})
    undated: int = 0
    zones: set[str] = field(default_factory=set)
    frequent: int = 0
    bad_rules: int = 0
    cut_rules: int = 0


def _unfold(text: str, report: _Report) -> list[str]:
    report.lf_endings = "\n" in text.replace("\r\n", "")
    lines: list[str] = []
    for line in re.split(r"\r\n|\n|\r", text):
        if line.startswith((" ", "\t")) and lines:
            lines[-1] += line[1:]
        elif not line.strip():
            report.blank_lines += 1
        else:
            lines.append(line)
    if text.endswith(("\n", "\r")):
        report.blank_lines -= 1  # the final line break is not a blank line
    return lines


@dataclass(eq=False)
class _Block:
    """One component directly inside a VCALENDAR: its content lines and, for a VEVENT, what
    the scan needs to choose it (its UID and SUMMARY, and whether it has a DTSTART)."""

    name: str
    lines: list[str] = field(default_factory=list)
    props: set[str] = field(default_factory=set)
    uid: str | None = None
    summary: str = ""


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _scan(name: str, lines: list[str], report: _Report) -> list[_Block]:
    """The components directly inside the file's VCALENDARs, with their well-formed lines.

    Lines that are not content lines, and END lines that close nothing open, are left out and
    counted; the calendar's own properties are not needed."""
    if not lines or lines[0].strip().upper() != "BEGIN:VCALENDAR":
        raise DataError(key="meetings_not_ics", file=name)
    blocks: list[_Block] = []
    stack: list[str] = []
    block: _Block | None = None
    for line in lines:
        match = _PROPERTY.match(line)
        if match is None:
            report.bad_lines += 1
            continue
        prop, value = match.group(1).upper(), match.group(3)
        if prop == "BEGIN":
            component = value.strip().upper()
            if not stack and component != "VCALENDAR":
                report.bad_lines += 1
                continue
            stack.append(component)
            if len(stack) > MAX_DEPTH:
                raise DataError(key="meetings_ics_nested", file=name, limit=MAX_DEPTH,
                                component=component[:40])
            if len(stack) == 2:
                block = _Block(component)
        elif prop == "END":
            if not stack or stack[-1] != value.strip().upper():
                report.bad_lines += 1
                continue
            stack.pop()
            if len(stack) == 1 and block is not None:
                block.lines.append(line)
                if block.name == "VEVENT":
                    for wanted in report.missing:
                        report.missing[wanted] += wanted not in block.props
                blocks.append(block)
                block = None
                continue
        elif not stack:
            report.bad_lines += 1
            continue
        elif block is not None and len(stack) == 2:
            block.props.add(prop)
            if prop == "UID" and block.uid is None:
                block.uid = value.strip()
            elif prop == "SUMMARY" and not block.summary:
                block.summary = _unescape(value).strip()
        if block is not None:
            block.lines.append(line)
    if stack:
        raise DataError(key="meetings_ics_unclosed", file=name, component=stack[-1][:40])
    return blocks


def _parse_chosen(name: str, blocks: list[_Block], regex: re.Pattern[str],
                  report: _Report) -> list[Any]:
    """The VEVENTs of the series (UIDs) with a matching SUMMARY, parsed by icalendar with the
    file's time zones; the other events are never parsed, so a big portal export stays cheap."""
    events = [b for b in blocks if b.name == "VEVENT"]
    chosen_uids = {b.uid for b in events if b.uid and _matches(regex, b.summary)}
    chosen = [b for b in events
              if (b.uid in chosen_uids if b.uid else _matches(regex, b.summary))]
    taken = {id(b) for b in chosen}
    report.undated += sum("DTSTART" not in b.props for b in events if id(b) not in taken)
    if not chosen:
        _no_match(name, regex, [b.summary for b in events if "DTSTART" in b.props])
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//plancycle//meeting plan//EN"]
    for block in blocks:
        if block.name == "VTIMEZONE":
            lines += block.lines
    for block in chosen:
        lines += block.lines
    lines.append("END:VCALENDAR")
    try:
        calendar = icalendar.Calendar.from_ical("\r\n".join(lines) + "\r\n")
    except (ValueError, KeyError, IndexError, TypeError, RecursionError) as exc:
        raise DataError(key="meetings_ics_broken", file=name, reason=str(exc)[:80]) from None
    return [c for c in calendar.subcomponents if c.name == "VEVENT"]


# -- ICS: bounded recurrence -------------------------------------------------------------------

class _OutOfWork(Exception):
    """A recurrence rule used up the months it was given."""


@dataclass
class _Budget:
    """The months the rules of one file may still step through, and whether any was cut."""

    months: int = MAX_FILE_MONTHS
    cut: int = 0


_UNLIMITED = 1 << 62


class _BoundedRule(rrule):
    """A dateutil rule whose :meth:`between` does bounded work.

    dateutil searches a rule period by period and stops only at a match past the end of the
    span, the rule's COUNT or UNTIL being reached, or the year 9999; a rule that matches nothing
    (or nothing more) searches on to the year 9999. Its iterator rebuilds its masks at least
    once a month it steps through, and each rebuild reads ``_byeaster``: that read is counted,
    and past the months from the rule's start to the span's end the search is stopped. So the
    work is bounded by the length of the window whatever the rule, and nothing in the window is
    lost unless the budget (per rule and per file) is smaller than that.
    """

    _steps_left = _UNLIMITED

    @property
    def _byeaster(self) -> Any:
        self._steps_left -= 1
        if self._steps_left < 0:
            raise _OutOfWork
        return self.__dict__.get("_byeaster_value")

    @_byeaster.setter
    def _byeaster(self, value: Any) -> None:
        self.__dict__["_byeaster_value"] = value

    @classmethod
    def like(cls, rule: Any, budget: _Budget) -> _BoundedRule:
        """A bounded copy of the rule ``recurring-ical-events`` made (see ``rrule.replace``)."""
        kwargs = {"interval": rule._interval, "count": rule._count, "dtstart": rule._dtstart,
                  "freq": rule._freq, "until": rule._until, "wkst": rule._wkst, "cache": False}
        kwargs.update(rule._original_rule)
        bounded = cls(**kwargs)
        bounded.budget = budget
        for attribute in ("string", "until"):  # set on the rule by recurring-ical-events
            if hasattr(rule, attribute):
                setattr(bounded, attribute, getattr(rule, attribute))
        return bounded

    budget: _Budget

    def replace(self, **kwargs: Any) -> _BoundedRule:
        """Bounded too (dateutil's ``replace`` makes a plain rule)."""
        return _BoundedRule.like(super().replace(**kwargs), self.budget)

    def between(self, after: dt.datetime, before: dt.datetime, inc: bool = False,
                count: int = 1) -> list[dt.datetime]:
        this: Any = self  # dateutil's own fields, not in its type stubs
        start: dt.datetime = this._dtstart
        needed = max((before.year - start.year) * 12 + before.month - start.month, 0) + 3
        allowed = min(needed, MAX_RULE_MONTHS, max(self.budget.months, 0))
        self._steps_left = allowed
        found: list[dt.datetime] = []
        try:
            for seen, moment in enumerate(this._iter(), start=1):
                if seen > MAX_PER_MONTH * allowed:
                    self.budget.cut += 1
                    break
                if moment > before or (moment == before and not inc):
                    break
                if moment > after or (moment == after and inc):
                    found.append(moment)
                    if len(found) > MAX_MEETINGS:
                        break
        except _OutOfWork:
            if allowed < needed:
                self.budget.cut += 1
        finally:
            self.budget.months -= allowed - max(self._steps_left, 0)
            self._steps_left = _UNLIMITED
        return found


def _series_class(budget: _Budget) -> Any:
    """A ``recurring-ical-events`` series whose rules are :class:`_BoundedRule`."""

    class _Rules(Series.RecurrenceRules):  # type: ignore[misc]
        def rrulestr(self, rule_string: str) -> Any:
            return _BoundedRule.like(super().rrulestr(rule_string), budget)

    class _Series(Series):  # type: ignore[misc]
        RecurrenceRules = _Rules

    return _Series


# -- ICS: the events ---------------------------------------------------------------------------

_SUB_DAILY = {"HOURLY", "MINUTELY", "SECONDLY"}
#: The span of a series without recurrence: every date a meeting may have.
_ALL = (dt.datetime(FIRST_YEAR - 1, 12, 31), dt.datetime(LAST_YEAR + 1, 1, 2))


def _values(component: Any, prop: str) -> list[Any]:
    value = component.get(prop)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _drop_broken(component: Any, report: _Report) -> None:
    """Leave out the properties icalendar could not read (they are not meetings' data)."""
    for prop in ("RRULE", "RDATE", "EXDATE", "DTEND", "DURATION", "SEQUENCE"):
        values = _values(component, prop)
        good = [value for value in values if not isinstance(value, vBroken)]
        if len(good) != len(values):
            report.bad_lines += len(values) - len(good)
            del component[prop]
            if good:
                component[prop] = good if len(good) > 1 else good[0]


def _start(component: Any) -> dt.date | None:
    value = component.get("DTSTART")
    if value is None or isinstance(value, (vBroken, list)):
        return None
    try:
        start = value.dt
    except (AttributeError, ValueError):
        return None
    return start if isinstance(start, dt.date) else None


def _day(start: dt.date, report: _Report) -> dt.date:
    """The meeting's date: a UTC time in Norway's zone, any other as written."""
    if not isinstance(start, dt.datetime):
        return start
    zone = start.tzinfo
    if zone is not None and (zone is dt.UTC or getattr(zone, "key", None) in ("UTC", "Etc/UTC")):
        try:
            return start.astimezone(ZoneInfo(LOCAL_ZONE)).date()
        except ZoneInfoNotFoundError:
            report.zones.add(LOCAL_ZONE)
    return start.date()


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, list) else str(value).strip()


def _cancelled(component: Any) -> bool:
    return _text(component.get("STATUS")).upper() == "CANCELLED"


def _from_ics(name: str, text: str, regex: re.Pattern[str], lang: Language,
              window: tuple[dt.date, dt.date] | None) -> MeetingPlan:
    report = _Report()
    blocks = _scan(name, _unfold(text, report), report)
    groups: dict[str, list[Any]] = {}
    for component in _parse_chosen(name, blocks, regex, report):
        if _start(component) is None:
            report.undated += 1
            continue
        if isinstance(component.get("RECURRENCE-ID"), vBroken):
            report.bad_lines += 1  # an override of no known occurrence
            continue
        _drop_broken(component, report)
        _check_start(name, component, report)
        _drop_frequent(component, report)
        uid = component.get("UID")
        key = f"uid:{uid}" if uid is not None and not isinstance(uid, list) else f"#{id(component)}"
        groups.setdefault(key, []).append(component)
    meetings: list[Meeting] = []
    budget = _Budget()
    series_class = _series_class(budget)
    for group in groups.values():
        cut = budget.cut
        meetings.extend(_expand(name, group, series_class, regex, window, report))
        _too_many(name, len(meetings))
        report.cut_rules += budget.cut > cut
    # council meetings that all recur outside the window (or are all cancelled) give an empty
    # plan, not an error: the file is right, the term just has none of them
    return MeetingPlan(name, tuple(meetings), _ics_warnings(name, report, lang))


def _check_start(name: str, component: Any, report: _Report) -> None:
    start = _start(component)
    if start is not None:
        uid = _text(component.get("UID"))[:40]
        _in_range(name, f"UID {uid}" if uid else "VEVENT", _day(start, report))


def _drop_frequent(component: Any, report: _Report) -> None:
    """Rules more frequent than daily are not expanded: the event's first date is taken."""
    rules = _values(component, "RRULE")
    if any(str(value).upper() in _SUB_DAILY for rule in rules for value in rule.get("FREQ", [])):
        del component["RRULE"]
        report.frequent += 1


def _expand(name: str, group: list[Any], series_class: Any,
            regex: re.Pattern[str], window: tuple[dt.date, dt.date] | None,
            report: _Report) -> list[Meeting]:
    """The meetings of one series (the components sharing a UID), within the window if it
    recurs; a series the expander cannot handle counts at the dates written in it."""
    recurring = any("RRULE" in c or "RDATE" in c for c in group)
    if not recurring:
        low, high = _ALL
    elif window is not None:
        low = dt.datetime.combine(window[0], dt.time())
        high = dt.datetime.combine(window[1] + dt.timedelta(days=1), dt.time())
    else:
        first = min(_day(d, report) for d in (_start(c) for c in group) if d is not None)
        low = dt.datetime.combine(first, dt.time())
        high = low + dt.timedelta(days=366 * MAX_RECURRENCE_YEARS)
    uid = _text(group[0].get("UID"))[:40]
    where = f"UID {uid}" if uid else "VEVENT"
    found: list[Meeting] = []
    try:
        series = series_class([EventAdapter(component) for component in group])
        for occurrence in series.between(low, high):
            component = occurrence.as_component(False)
            summary = _text(component.get("SUMMARY"))
            if _cancelled(component) or not _matches(regex, summary):
                continue
            start = occurrence.start
            if isinstance(start, dt.date):
                found.append(Meeting(_in_range(name, where, _day(start, report)), summary))
                _too_many(name, len(found))
    except DataError:
        raise
    except Exception:  # a broken rule or date the expander rejects: the dates as written
        report.bad_rules += 1
        found = []
        for component in group:
            start = _start(component)
            summary = _text(component.get("SUMMARY"))
            if start is not None and not _cancelled(component) and _matches(regex, summary):
                found.append(Meeting(_day(start, report), summary))
    return found


def _ics_warnings(name: str, report: _Report, lang: Language) -> tuple[str, ...]:
    out: list[str] = []
    if report.lf_endings:
        out.append(label("meetings_warn_lf", lang, file=name))
    if report.blank_lines > 0:
        out.append(label("meetings_warn_blank", lang, file=name, count=report.blank_lines))
    for prop, count in report.missing.items():
        if count:
            out.append(label("meetings_warn_missing", lang, file=name, count=count, prop=prop))
    if report.undated:
        out.append(label("meetings_warn_undated", lang, file=name, count=report.undated))
    if report.bad_lines:
        out.append(label("meetings_warn_bad_lines", lang, file=name, count=report.bad_lines))
    for zone in sorted(report.zones):
        out.append(label("meetings_warn_zone", lang, file=name, zone=zone))
    if report.frequent:
        out.append(label("meetings_warn_rule_frequent", lang, file=name, count=report.frequent))
    if report.bad_rules:
        out.append(label("meetings_warn_rule_bad", lang, file=name, count=report.bad_rules))
    if report.cut_rules:
        out.append(label("meetings_warn_rule_cut", lang, file=name, count=report.cut_rules))
    return tuple(out)
