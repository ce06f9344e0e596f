"""The council's meeting plan, read from the files municipalities actually have.

Three formats, chosen by the file's suffix:

- ``.ics``: a calendar exported from a political meeting portal, or made by hand. Read leniently
  (LF line endings, blank lines, missing UID or DTSTAMP are reported as warnings, not errors);
  the council's meetings are the VEVENTs whose SUMMARY matches a pattern (by default
  :data:`DEFAULT_PATTERN`: kommunestyre, bystyre or fylkesting, case-insensitive). Cancelled
  events are left out; a simple RRULE is expanded (EXDATE honoured).
- ``.csv``: a header ``date`` or ``date,title``, then one ISO date a row.
- ``.toml``: ``meetings = [2027-12-14, ...]`` or ``[[meeting]]`` tables with ``date`` and ``title``.

The dates feed :class:`plancycle.schedule.ScheduleOptions` ``council_meetings``: decisions are
placed on them and notices are counted back from them (pbl § 10-1 second paragraph, koml § 14-3
third paragraph, rule meeting-papers). A broken file raises :class:`~plancycle.errors.DataError`
with one line naming the file and the problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

from plancycle.errors import DataError, InputError
from plancycle.i18n import Language, label

#: Summaries of council meetings in Norwegian meeting portals (municipal and county councils).
DEFAULT_PATTERN = r"kommunestyre|bystyre|fylkesting"
#: Meeting plans are small; anything bigger is not one.
MAX_BYTES = 4_000_000
#: Recurring events are expanded at most this far and this often.
MAX_RECURRENCE_YEARS = 10
MAX_OCCURRENCES = 500
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


def compile_pattern(pattern: str | None) -> re.Pattern[str]:
    """The council-meeting pattern, searched case-insensitively in each SUMMARY or title."""
    text = DEFAULT_PATTERN if pattern is None else pattern
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise InputError(key="meeting_pattern", pattern=text, reason=str(exc)) from None


def load_meeting_plan(path: str | Path, pattern: str | None = None, *,
                      lang: Language = "nb") -> MeetingPlan:
    """Read a council meeting plan (ICS, CSV or TOML; see the module docstring).

    ``pattern`` picks the council's meetings by their summary or title; by default ICS files
    are filtered with :data:`DEFAULT_PATTERN` and CSV/TOML lists are taken as they are.
    Warnings are in ``lang``.
    """
    path = Path(path)
    name = path.name
    regex = compile_pattern(pattern)
    suffix = path.suffix.lower()
    if suffix not in (".ics", ".csv", ".toml"):
        raise DataError(key="meetings_format", file=name, suffix=suffix or "(none)")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(key="meetings_too_big", file=name, size=size, limit=MAX_BYTES)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(key="meetings_missing", file=str(path)) from None
    except IsADirectoryError:
        raise DataError(key="meetings_unreadable", file=name, reason="it is a folder") from None
    except OSError as exc:
        raise DataError(key="meetings_unreadable", file=name, reason=exc.strerror) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(key="meetings_encoding", file=name, offset=exc.start) from None
    if suffix == ".ics":
        return _from_ics(name, text, regex, lang)
    plan = _from_csv(name, text) if suffix == ".csv" else _from_toml(name, text)
    if pattern is not None:
        chosen = tuple(m for m in plan.meetings if regex.search(m.title))
        if not chosen:
            _no_match(name, regex, plan.meetings)
        plan = MeetingPlan(name, chosen, plan.warnings)
    return plan


def _no_match(name: str, regex: re.Pattern[str], meetings: tuple[Meeting, ...]) -> None:
    examples = "; ".join(dict.fromkeys(m.title for m in meetings if m.title)) or "-"
    if len(examples) > 120:
        examples = examples[:117] + "..."
    raise DataError(key="meetings_no_match", file=name, count=len(meetings),
                    pattern=regex.pattern, examples=examples)


# -- CSV and TOML ------------------------------------------------------------------------------

def _parse_date(name: str, where: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DataError(key="meetings_bad_date", file=name, where=where,
                        value=str(value)[:40]) from None


def _from_csv(name: str, text: str) -> MeetingPlan:
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise DataError(key="meetings_empty", file=name)
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
    unknown = sorted(set(doc) - {"meetings", "meeting"})
    if unknown or ("meetings" in doc) == ("meeting" in doc):
        raise DataError(key="meetings_toml_shape", file=name, keys=", ".join(unknown) or "-")
    meetings: list[Meeting] = []
    if "meetings" in doc:
        if not isinstance(doc["meetings"], list):
            raise DataError(key="meetings_toml_shape", file=name, keys="meetings")
        for index, value in enumerate(doc["meetings"]):
            meetings.append(Meeting(_parse_date(name, f"meetings[{index}]", value)))
    else:
        tables = doc["meeting"]
        if not isinstance(tables, list):
            raise DataError(key="meetings_toml_shape", file=name, keys="meeting")
        for index, table in enumerate(tables):
            if not isinstance(table, dict) or "date" not in table or set(table) - {"date", "title"}:
                raise DataError(key="meetings_toml_shape", file=name, keys=f"meeting[{index}]")
            meetings.append(Meeting(_parse_date(name, f"meeting[{index}]", table["date"]),
                                    str(table.get("title", ""))))
    if not meetings:
        raise DataError(key="meetings_empty", file=name)
    return MeetingPlan(name, tuple(meetings))


# -- ICS ---------------------------------------------------------------------------------------

_PROPERTY = re.compile(r"^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$")


@dataclass
class _Event:
    props: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (params, value)
    exdates: list[str] = field(default_factory=list)


@dataclass
class _Report:
    """What the lenient reader overlooked, counted so each kind gives one warning."""

    lf_endings: bool = False
    blank_lines: int = 0
    bad_lines: int = 0
    missing: dict[str, int] = field(default_factory=lambda: {"UID": 0, "DTSTAMP": 0})
    undated: int = 0
    zones: set[str] = field(default_factory=set)


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


def _events(name: str, lines: list[str], report: _Report) -> list[_Event]:
    if not lines or lines[0].strip().upper() != "BEGIN:VCALENDAR":
        raise DataError(key="meetings_not_ics", file=name)
    events: list[_Event] = []
    stack: list[str] = []
    current: _Event | None = None
    for line in lines:
        match = _PROPERTY.match(line)
        if match is None:
            report.bad_lines += 1
            continue
        prop, params, value = match.group(1).upper(), match.group(2), match.group(3)
        if prop == "BEGIN":
            stack.append(value.strip().upper())
            if stack == ["VCALENDAR", "VEVENT"]:
                current = _Event()
        elif prop == "END":
            if stack and stack[-1] == "VEVENT" and len(stack) == 2 and current is not None:
                events.append(current)
                current = None
            if stack:
                stack.pop()
        elif current is not None and len(stack) == 2:
            if prop == "EXDATE":
                current.exdates.append(value)
            else:
                current.props.setdefault(prop, (params, value))
    if stack:
        raise DataError(key="meetings_ics_unclosed", file=name, component=stack[-1])
    return events


def _param(params: str, key: str) -> str | None:
    for part in params.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().upper() == key:
            return value.strip().strip('"')
    return None


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _local_start(params: str, value: str, report: _Report) -> dt.datetime | dt.date | None:
    """DTSTART as a date, or as a naive date-time in the meeting's own zone."""
    value = value.strip()
    try:
        if _param(params, "VALUE") == "DATE" or len(value) == 8:
            return dt.datetime.strptime(value, "%Y%m%d").date()
        moment = dt.datetime.strptime(value.rstrip("Zz"), "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    if value.upper().endswith("Z"):
        try:
            zone = ZoneInfo(LOCAL_ZONE)
        except ZoneInfoNotFoundError:
            report.zones.add(LOCAL_ZONE)
            return moment
        return moment.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)
    return moment  # a TZID or floating time: the date as written is the meeting's date


def _day(start: dt.datetime | dt.date) -> dt.date:
    return start.date() if isinstance(start, dt.datetime) else start


def _occurrences(event: _Event, start: dt.datetime | dt.date,
                 report: _Report) -> list[dt.date]:
    first = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    rule = event.props.get("RRULE")
    if rule is None:
        return [_day(start)]
    try:
        recurrence = rrulestr(rule[1].strip(), dtstart=first, ignoretz=True)
    except (ValueError, TypeError):
        report.bad_lines += 1
        return [first.date()]
    limit = first + dt.timedelta(days=366 * MAX_RECURRENCE_YEARS)
    excluded = set()
    for text in event.exdates:
        for part in text.split(","):
            day = _local_start("", part, report)
            if day is not None:
                excluded.add(day.date() if isinstance(day, dt.datetime) else day)
    days: list[dt.date] = []
    for moment in recurrence:
        if moment > limit or len(days) >= MAX_OCCURRENCES:
            break
        if moment.date() not in excluded:
            days.append(moment.date())
    return days


def _from_ics(name: str, text: str, regex: re.Pattern[str], lang: Language) -> MeetingPlan:
    report = _Report()
    events = _events(name, _unfold(text, report), report)
    meetings: list[Meeting] = []
    summaries: list[Meeting] = []
    for event in events:
        for prop in report.missing:
            if prop not in event.props:
                report.missing[prop] += 1
        status = event.props.get("STATUS", ("", ""))[1].strip().upper()
        summary = _unescape(event.props.get("SUMMARY", ("", ""))[1]).strip()
        start_prop = event.props.get("DTSTART")
        start = _local_start(*start_prop, report) if start_prop else None
        if start is None:
            report.undated += 1
            continue
        summaries.append(Meeting(_day(start), summary))
        if status == "CANCELLED" or not regex.search(summary):
            continue
        meetings.extend(Meeting(day, summary) for day in _occurrences(event, start, report))
    if not meetings:
        _no_match(name, regex, tuple(summaries))
    return MeetingPlan(name, tuple(meetings), _ics_warnings(name, report, lang))


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
    return tuple(out)


