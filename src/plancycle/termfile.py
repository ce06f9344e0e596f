"""Term files: a followed term (:class:`~plancycle.term.Term`) as a TOML file people edit.

The smallest term file is two lines::

    election_year = 2027
    municipality = "1103"        # or county = "46"

Optional keys: ``schema_version`` (written by plancycle; a file without it is version 1),
``model`` (classic, samskaping, reform), ``mode`` (``record`` or ``strict``), ``constituted`` and
``election_day`` (dates), ``handlingsdel_notice`` (true/false), ``practice`` (a table of practice
rule overrides, e.g. ``[practice.council-budget-meeting]`` with ``planned = "12-10"``),
``meetings = "FILE"`` (the council's meeting plan, relative to the term file, read with
:func:`~plancycle.meetings.load_meeting_plan`) with ``meeting_pattern``, ``plans = "FILE"`` (the
planstrategi's plan register and decisions, relative to the term file, read with
:func:`~plancycle.plans.load_plan_register`; each decided plan runs as process ``plan``), and
one ``[[fact]]`` table per recorded fact::

    [[fact]]
    milestone = "planstrategi.adopted"
    date = 2028-10-19
    recorded = 2028-10-20T08:15:00Z     # when it was recorded (UTC)
    source = "https://example.no/sak/2028-123"

:func:`load_term` reads a file into a :class:`Term`; :func:`record_fact` adds (or, with
``replace``, corrects) one fact through :meth:`Term.record`, where every check lives, and writes
the file back atomically with its comments, layout and key order kept (tomlkit). Anything wrong
in a file is a :class:`~plancycle.errors.DataError` of one line naming the file and the key
(``fact[0]`` is the first ``[[fact]]``), in the user's language; a failed recording leaves the
file byte for byte as it was.

Schema versions and migration
-----------------------------
``schema_version`` is the format's version (:data:`~plancycle.term.TERM_SCHEMA_VERSION`). A
newer one is refused; an older one is upgraded by :func:`migrate`, one step at a time
(``MIGRATIONS[v]`` turns version ``v`` into ``v + 1``), both when reading and before a recording
writes the file back. To change the format: bump the version, add the step from the previous
one to :data:`MIGRATIONS` and a file of the previous version to the tests.

- **1**: the format above.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, cast

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, InlineTable, Table

from plancycle.errors import (
    DataError,
    InputError,
    PlanCycleError,
    RuleViolation,
    UnknownMunicipalityError,
)
from plancycle.i18n import LANGUAGES, Language
from plancycle.meetings import load_meeting_plan, term_window
from plancycle.output import write_atomic
from plancycle.plans.register import load_plan_register
from plancycle.processes.declaration import PROCESS_MODELS
from plancycle.reading import FileTooBig, NotRegularFile, read_regular
from plancycle.rules import rule_table
from plancycle.term import TERM_SCHEMA_VERSION, Fact, Term

__all__ = ["MAX_BYTES", "MAX_FACTS", "MIGRATIONS", "Recorded", "TermFile", "TermFileError",
           "load_term", "migrate", "read_term_file", "record", "record_fact"]

#: Term files are small; anything bigger is refused unread.
MAX_BYTES = 5_000_000
#: At most this many facts in one file (a term has about a hundred milestones).
MAX_FACTS = 10_000
#: At most this many characters in a text value (a milestone id, a source, a path).
MAX_TEXT = 2_000

TOP_KEYS = ("schema_version", "election_year", "municipality", "county", "model", "mode",
            "constituted", "election_day", "handlingsdel_notice", "practice", "meetings",
            "meeting_pattern", "plans", "fact")
FACT_KEYS = ("milestone", "date", "end", "recorded", "source")
MODES = ("record", "strict")


class TermFileError(DataError):
    """An error of the term layer (an invalid fact, an unknown municipality, a broken meeting
    plan) found in a term file: the inner error's message after the file (and key)."""

    def __init__(self, file: str, inner: PlanCycleError, where: str | None = None) -> None:
        self.file, self.inner, self.where = file, inner, where
        super().__init__(self.in_language("en"))

    def in_language(self, lang: str) -> str:
        prefix = f"{self.file}: " + (f"{self.where}: " if self.where else "")
        return prefix + self.inner.in_language(lang)


class _LocalizedViolation(RuleViolation):
    """A strict-mode refusal whose message is known in every language."""

    def __init__(self, messages: Mapping[str, str], violation: RuleViolation) -> None:
        self.messages = dict(messages)
        super().__init__(violation.violation)

    def in_language(self, lang: str) -> str:
        return self.messages.get(lang, str(self))


@dataclass(frozen=True)
class TermFile:
    """A read term file: its term, the version it was written in, and the warnings of its
    meeting plan (in the language it was read in)."""

    path: Path
    term: Term
    version: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recorded:
    """What :func:`record` did: the fact as it now stands, whether the file changed, the term."""

    fact: Fact
    changed: bool
    term: Term


# -- reading -------------------------------------------------------------------------------------
def load_term(path: str | Path, *, lang: Language = "nb") -> Term:
    """The :class:`Term` of the term file at ``path`` (see the module doc)."""
    return read_term_file(path, lang=lang).term


def read_term_file(path: str | Path, *, lang: Language = "nb") -> TermFile:
    """Read and check the term file at ``path``; the meeting plan's warnings are in ``lang``."""
    path = Path(path)
    return _parse(_read_text(path), path, lang)


def _read_text(path: Path) -> str:
    name = str(path)
    try:
        raw = read_regular(path, MAX_BYTES)[0]
    except FileNotFoundError:
        raise DataError(key="termfile_missing", file=name) from None
    except (IsADirectoryError, NotRegularFile):
        raise DataError(key="termfile_not_regular", file=name) from None
    except FileTooBig as exc:
        raise DataError(key="termfile_too_big", file=name, size=exc.size, limit=MAX_BYTES) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError(key="termfile_unreadable", file=name, reason=reason) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(key="termfile_encoding", file=name, offset=exc.start) from None


def _parse(text: str, path: Path, lang: Language) -> TermFile:
    name = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(key="termfile_toml", file=name, reason=str(exc)) from None
    except RecursionError:
        raise DataError(key="termfile_nested", file=name) from None
    version = _version(data, name)
    migrated = migrate(data, version, name)
    fields, meetings, pattern = _fields(migrated, name)
    if "plans" in migrated:
        register = _text(migrated["plans"], "plans", name)
        try:
            fields["plans"] = load_plan_register(path.parent / register, lang=lang)
        except PlanCycleError as exc:
            raise TermFileError(name, exc, "plans") from None
    warnings: tuple[str, ...] = ()
    if meetings is not None:
        try:
            year = fields.get("election_year")
            window = term_window(year) if isinstance(year, int) else None
            plan = load_meeting_plan(path.parent / meetings, pattern, lang=lang, window=window)
        except PlanCycleError as exc:
            raise TermFileError(name, exc, "meetings") from None
        fields["council_meetings"] = plan.dates
        warnings = plan.warnings
    elif pattern is not None:
        raise DataError(key="termfile_pattern_alone", file=name)
    try:
        term = Term.model_validate(fields)
    except UnknownMunicipalityError as exc:  # a Term refuses an unknown owner when it is made
        raise TermFileError(name, exc, "municipality" if "municipality" in fields
                            else "county") from None
    except PlanCycleError as exc:  # a year without elections; the shape is checked above
        raise TermFileError(name, exc) from None
    _check_term(term, name)
    return TermFile(path=path, term=term, version=version, warnings=warnings)


def _version(data: Mapping[str, Any], name: str) -> int:
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DataError(key="termfile_bad_version", file=name, value=_show(version),
                        supported=TERM_SCHEMA_VERSION)
    if version > TERM_SCHEMA_VERSION:
        raise DataError(key="termfile_newer", file=name, version=version,
                        supported=TERM_SCHEMA_VERSION)
    return version


def _fields(data: Mapping[str, Any], name: str) -> tuple[dict[str, Any], str | None, str | None]:
    """The :class:`Term` fields of a (migrated) file, checked key by key; and the meeting plan's
    path and pattern."""
    _known_keys(data, TOP_KEYS, "", name)
    if "election_year" not in data:
        raise DataError(key="termfile_missing_key", file=name, key_="election_year",
                        example="election_year = 2027")
    out: dict[str, Any] = {"schema_version": TERM_SCHEMA_VERSION,
                           "election_year": _int(data["election_year"], "election_year", name)}
    if "municipality" in data and "county" in data:
        raise DataError(key="termfile_two_owners", file=name)
    for key in ("municipality", "county"):
        if key in data:
            out[key] = _text(data[key], key, name)
    for key, allowed in (("model", PROCESS_MODELS), ("mode", MODES)):
        if key in data:
            value = _text(data[key], key, name)
            if value not in allowed:
                raise DataError(key="termfile_choice", file=name, key_=key, value=_show(value),
                                allowed=", ".join(allowed))
            out[key] = value
    for key in ("constituted", "election_day"):
        if key in data:
            out[key] = _date(data[key], key, name)
    if "handlingsdel_notice" in data:
        value = data["handlingsdel_notice"]
        if not isinstance(value, bool):
            _wrong(value, "handlingsdel_notice", "termfile_expect_bool", name)
        out["handlingsdel_notice"] = value
    if "practice" in data:
        out["practice"] = _practice(data["practice"], name)
    meetings = _text(data["meetings"], "meetings", name) if "meetings" in data else None
    pattern = _text(data["meeting_pattern"], "meeting_pattern", name) \
        if "meeting_pattern" in data else None
    out["facts"] = _facts(data.get("fact", []), name)
    return out, meetings, pattern


def _practice(value: object, name: str) -> dict[str, dict[str, int | str]]:
    if not isinstance(value, dict):
        _wrong(value, "practice", "termfile_expect_table", name)
    ids = rule_table().ids
    out: dict[str, dict[str, int | str]] = {}
    for rule, params in value.items():
        key = f"practice.{rule}"
        if rule not in ids:
            raise DataError(key="termfile_unknown_practice", file=name, key_=key, rule=rule)
        if not isinstance(params, dict):
            _wrong(params, key, "termfile_expect_table", name)
        out[rule] = {}
        for param, item in params.items():
            if isinstance(item, bool) or not isinstance(item, int | str):
                _wrong(item, f"{key}.{param}", "termfile_expect_practice_value", name)
            out[rule][param] = item
    return out


def _facts(value: object, name: str) -> tuple[Fact, ...]:
    if not isinstance(value, list):
        _wrong(value, "fact", "termfile_expect_facts", name)
    if len(value) > MAX_FACTS:
        raise DataError(key="termfile_too_many_facts", file=name, count=len(value),
                        limit=MAX_FACTS)
    facts: list[Fact] = []
    first: dict[str, str] = {}
    for index, table in enumerate(value):
        where = f"fact[{index}]"
        if not isinstance(table, dict):
            _wrong(table, where, "termfile_expect_table", name)
        _known_keys(table, FACT_KEYS, where, name)
        if "milestone" not in table or "date" not in table:
            missing = "milestone" if "milestone" not in table else "date"
            example = 'milestone = "planstrategi.adopted"' if missing == "milestone" \
                else "date = 2028-10-19"
            raise DataError(key="termfile_missing_key", file=name, key_=f"{where}.{missing}",
                            example=example)
        milestone = _text(table["milestone"], f"{where}.milestone", name)
        if milestone in first:
            raise DataError(key="termfile_fact_twice", file=name, key_=where, id=milestone,
                            first=first[milestone])
        first[milestone] = where
        facts.append(Fact(
            milestone=milestone,
            date=_date(table["date"], f"{where}.date", name),
            end=_date(table["end"], f"{where}.end", name) if "end" in table else None,
            recorded=_moment(table["recorded"], f"{where}.recorded", name)
            if "recorded" in table else None,
            source=_text(table["source"], f"{where}.source", name) if "source" in table else None))
    return tuple(facts)


def _check_term(term: Term, name: str) -> None:
    """What only the term layer can check: the owner, the period, the facts against the plan."""
    try:
        term.owner()
    except PlanCycleError as exc:
        raise TermFileError(name, exc, "municipality" if term.municipality else "county") from None
    try:
        term.period()
    except PlanCycleError as exc:
        raise TermFileError(name, exc) from None
    try:
        term.check_facts()
    except PlanCycleError as exc:
        milestone = exc.fields.get("id")
        where = next((f"fact[{i}]" for i, fact in enumerate(term.facts)
                      if fact.milestone == milestone), None)
        raise TermFileError(name, exc, where) from None


# -- values --------------------------------------------------------------------------------------
def _show(value: object) -> str:
    text = value.isoformat() if isinstance(value, dt.date | dt.time) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _wrong(value: object, key: str, expected: str, name: str) -> NoReturn:
    raise DataError(key="termfile_type", file=name, key_=key, value=_show(value),
                    expected_label=expected)


def _known_keys(table: Mapping[str, Any], allowed: tuple[str, ...], where: str, name: str) -> None:
    for key in table:
        if key not in allowed:
            raise DataError(key="termfile_unknown_key", file=name,
                            key_=f"{where}.{key}" if where else key, allowed=", ".join(allowed))


def _int(value: object, key: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _wrong(value, key, "termfile_expect_int", name)
    return value


def _text(value: object, key: str, name: str) -> str:
    if not isinstance(value, str):
        _wrong(value, key, "termfile_expect_text", name)
    text = value
    if len(text) > MAX_TEXT:
        raise DataError(key="termfile_text_too_long", file=name, key_=key, length=len(text),
                        limit=MAX_TEXT)
    return text


def _date(value: object, key: str, name: str) -> dt.date:
    """A TOML date, or an ISO date in quotes."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    _wrong(value, key, "termfile_expect_date", name)


def _moment(value: object, key: str, name: str) -> dt.datetime:
    """A TOML offset date-time (or one in quotes), in UTC."""
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and len(value) <= 40:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        _wrong(value, key, "termfile_expect_moment", name)
    return moment.astimezone(dt.UTC)


# -- migration -----------------------------------------------------------------------------------
#: ``MIGRATIONS[v]`` upgrades a term file of schema version ``v`` to ``v + 1``. A step works on
#: any mutable mapping, so that it upgrades the parsed data and the tomlkit document alike.
MIGRATIONS: dict[int, Callable[[MutableMapping[str, Any]], MutableMapping[str, Any]]] = {}


def migrate(data: MutableMapping[str, Any], from_version: int,
            source: str = "term file") -> MutableMapping[str, Any]:
    """Upgrade ``data`` (a term file of ``from_version``) step by step to the current version."""
    version = from_version
    while version < TERM_SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataError(key="saved_run_migrate", file=source, version=version,
                            next=version + 1, detail=repr(exc)) from None
        version += 1
    return data


# -- recording -----------------------------------------------------------------------------------
def record_fact(path: str | Path, milestone: str, date: dt.date, *, end: dt.date | None = None,
                replace: bool = False, recorded: dt.datetime,
                source: str | None = None) -> Fact:
    """Record one fact in the term file at ``path`` (see :func:`record`); the fact as it now
    stands in the file."""
    return record(path, milestone, date, end=end, replace=replace, recorded=recorded,
                  source=source).fact


def record(path: str | Path, milestone: str, date: dt.date, *, end: dt.date | None = None,
           replace: bool = False, recorded: dt.datetime, source: str | None = None,
           lang: Language = "nb") -> Recorded:
    """Load the term file, record the fact with :meth:`Term.record` (which checks it) and write
    the file back atomically, comments and key order kept: a new ``[[fact]]`` table, or the
    milestone's table updated (``replace``, or the end of an opened phase). Recording a fact
    that is already there changes nothing. ``recorded`` must be aware (it is stored in UTC).
    On any error the file is left as it was."""
    path = Path(path)
    name = str(path)
    text = _read_text(path)
    loaded = _parse(text, path, lang)
    if recorded.tzinfo is None or recorded.utcoffset() is None:
        raise InputError(key="termfile_bad_recorded", value=recorded.isoformat())
    for key, value in (("milestone", milestone), ("source", source)):
        if value is not None and len(value) > MAX_TEXT:
            raise DataError(key="termfile_text_too_long", file=name, key_=key,
                            length=len(value), limit=MAX_TEXT)
    recorded = recorded.astimezone(dt.UTC)
    term = loaded.term
    try:
        new = term.record(milestone, date, end=end, replace=replace, recorded=recorded,
                          source=source)
    except RuleViolation as exc:
        raise _localized(term, milestone, date, end, replace, exc) from None
    fact = new.fact(milestone)
    assert fact is not None
    if new is term:
        return Recorded(fact=fact, changed=False, term=term)
    if len(new.facts) > MAX_FACTS:
        raise DataError(key="termfile_too_many_facts", file=name, count=len(new.facts),
                        limit=MAX_FACTS)
    updated = _write_fact(text, fact, loaded.version, name)
    check = _parse(updated, path, lang).term
    if sorted(check.facts, key=_by_milestone) != sorted(new.facts, key=_by_milestone):
        raise DataError(key="termfile_rewrite", file=name)
    write_atomic(path, updated.encode("utf-8"))
    return Recorded(fact=fact, changed=True, term=check)


def _by_milestone(fact: Fact) -> str:
    return fact.milestone


def _localized(term: Term, milestone: str, date: dt.date, end: dt.date | None, replace: bool,
               exc: RuleViolation) -> RuleViolation:
    """The strict-mode refusal in every language (the term layer words it in English)."""
    relaxed = term.model_copy(update={"mode": "record"}).record(
        milestone, date, end=end, replace=replace)
    messages: dict[str, str] = {}
    for lang in LANGUAGES:
        found = [v for v in relaxed.status(date, lang=lang).violations
                 if v.rule == exc.violation.rule and v.milestone == milestone]
        if not found:
            return exc
        messages[lang] = found[0].message + " " + found[0].fix
    return _LocalizedViolation(messages, exc)


def _write_fact(text: str, fact: Fact, version: int, name: str) -> str:
    """``text`` with ``fact`` written into its ``[[fact]]`` tables (tomlkit keeps the rest)."""
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise DataError(key="termfile_toml", file=name, reason=str(exc)) from None
    migrate(doc, version, name)
    if "schema_version" in doc and doc["schema_version"] != TERM_SCHEMA_VERSION:
        doc["schema_version"] = TERM_SCHEMA_VERSION
    values: dict[str, object] = {"milestone": fact.milestone, "date": fact.date, "end": fact.end,
                                 "recorded": fact.recorded, "source": fact.source}
    before = doc.as_string()
    if "fact" not in doc:
        doc.append("fact", tomlkit.aot())
    tables = cast("AoT | Array", doc["fact"])
    for table in tables:
        if isinstance(table, Table | InlineTable) and table.get("milestone") == fact.milestone:
            for key, value in values.items():
                if value is None:
                    table.pop(key, None)
                else:
                    table[key] = value
            break
    else:
        new: Table | InlineTable = tomlkit.table() if isinstance(tables, AoT) \
            else tomlkit.inline_table()
        for key, value in values.items():
            if value is not None:
                new.add(key, value)
        if isinstance(new, Table):
            # one blank line between tables, as people write them
            last = tables[-1].as_string() if len(tables) else before
            if last.endswith("\n\n") and len(tables):
                new.add(tomlkit.nl())
            elif not last.endswith("\n\n"):
                new.trivia.indent = "\n"
        tables.append(new)
    out = tomlkit.dumps(doc)
    if "\r\n" in text and not re.search(r"(?<!\r)\n", text):  # the file's CRLF line ends
        out = re.sub(r"(?<!\r)\n", "\r\n", out)
    if not out.endswith("\n"):
        out += "\r\n" if "\r\n" in text else "\n"
    return out if "schema_version" in doc else _with_version(out)


def _with_version(text: str) -> str:
    """``text`` with ``schema_version`` as its first key (after the leading comments)."""
    lines = text.split("\n")  # TOML's newlines; a CR stays at the end of its line
    at = next((i for i, line in enumerate(lines)
               if line.strip() and not line.lstrip().startswith("#")), len(lines) - 1)
    lines.insert(at, f"schema_version = {TERM_SCHEMA_VERSION}" + ("\r" if "\r\n" in text else ""))
    return "\n".join(lines)
