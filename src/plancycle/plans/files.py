"""The plan register's files: CSV (RFC 4180, UTF-8, a BOM allowed), Excel (``.xlsx``) and TOML.

CSV and XLSX have one row per plan under a header row of :data:`COLUMNS` (all required, in any
order), plus the optional columns ``legal_basis``, ``tags`` (separated by ``;``) and
``consultation`` (``yes``/``no``, empty = yes: a practice plan's consultation is held); the
planstrategi's decision is in the plan's own row. TOML has ``schema_version`` and one
``[[plan]]`` table per plan with the same keys (``tags`` a list), and may give decisions as
``[[decision]]`` tables (``plan``, ``decision``, ``start``, ``target``, ``merge_into``,
``consultation``) instead.
Rows are numbered as a spreadsheet shows them (the header is row 1); a TOML table is "row" ``N``
of ``plan``/``decision`` (counted from 1). Every error is one :class:`DataError` line naming the
file, the row and the column. Bounded: :data:`MAX_BYTES` per file (and uncompressed for XLSX),
:data:`~plancycle.plans.register.MAX_PLANS` rows, the text lengths of the model.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import tomlkit

from plancycle.errors import DataError, InputError, PlanCycleError
from plancycle.i18n import Language, label
from plancycle.output import shown, write_atomic
from plancycle.plans.register import (
    COLUMNS,
    DECISION_KINDS,
    MAX_PLANS,
    PLAN_ID,
    PLAN_STATUSES,
    PLAN_TYPES,
    REGISTER_SCHEMA_VERSION,
    Decision,
    Plan,
    PlanRegister,
    parse_start,
)
from plancycle.reading import FileTooBig, read_regular
from plancycle.workbooks import workbook_bytes

__all__ = ["EXTRA_COLUMNS", "FORMATS", "MAX_BYTES", "read_register", "register_bytes",
           "template_register", "write_register"]

#: The largest register file read (and, for XLSX, the most its contents may unpack to).
MAX_BYTES = 10_000_000
#: The optional columns after :data:`COLUMNS`.
EXTRA_COLUMNS = ("legal_basis", "tags", "consultation")
#: The values of the ``consultation`` column (empty: yes).
YES_NO = ("yes", "no")
#: The file types, by suffix.
FORMATS = (".csv", ".xlsx", ".toml")
#: The sheet of an XLSX register (read: this one when present, else the first).
SHEET = "Planer"

_DECISION_KEYS = ("plan", "decision", "start", "target", "merge_into", "consultation")
_DECISION_COLUMNS = ("decision", "start", "target", "merge_into")
_ID = re.compile(PLAN_ID)


def column_letter(index: int) -> str:
    """The spreadsheet letter of column ``index`` (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------

def _text(value: object) -> str | None:
    """A cell as text, None when empty; a number or date cell as its text."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(key="plan_not_text", kind="true/false")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text.strip() or None


def _choice(value: object, allowed: tuple[str, ...]) -> str | None:
    text = _text(value)
    if text is not None and text not in allowed:
        raise InputError(key="plan_bad_choice", value=text[:40], allowed=", ".join(allowed))
    return text


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> dt.date:
    raise InputError(key="plan_bad_date", value=text[:40])


def _start(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    return None if text is None else parse_start(text)


def _plan_id(value: object) -> str | None:
    text = _text(value)
    if text is not None and not _ID.fullmatch(text):
        raise InputError(key="plan_bad_id", value=text[:60])
    return text


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(t for t in (_text(item) for item in value) if t)
    text = _text(value)
    return tuple(t.strip() for t in text.split(";") if t.strip()) if text else ()


def _yes_no(value: object) -> bool | None:
    """``yes``/``no`` (or a TOML boolean) as True/False; empty as None (the default)."""
    if isinstance(value, bool):
        return value
    text = _choice(value, YES_NO)
    return None if text is None else text == "yes"


_CELLS: dict[str, Callable[[object], object]] = {
    "id": _plan_id, "title": _text, "type": lambda v: _choice(v, PLAN_TYPES), "owner": _text,
    "adopted": _date, "period_end": _date, "status": lambda v: _choice(v, PLAN_STATUSES),
    "url": _text, "decision": lambda v: _choice(v, DECISION_KINDS), "start": _start,
    "target": _date, "merge_into": _plan_id, "legal_basis": _text, "tags": _tags, "plan": _plan_id,
    "consultation": _yes_no,
}
_REQUIRED = ("id", "title", "type")
#: The column a model error belongs to, by its key (the rest by its ``field``, else ``id``).
_ERROR_COLUMN = {
    "plan_start_not_allowed": "start", "plan_target_before_start": "target",
    "plan_merge_into_without_merge": "merge_into", "plan_merge_without_into": "merge_into",
    "plan_merge_into_itself": "merge_into", "plan_bad_url": "url", "plan_empty_title": "title",
    "plan_too_many_tags": "tags", "plan_bad_id": "id",
}


class _Cell(Exception):
    """A problem in one cell: the column's name and the reason."""

    def __init__(self, column: str, reason: PlanCycleError) -> None:
        super().__init__(column)
        self.column, self.reason = column, reason


def _row_objects(values: Mapping[str, object], *, decisions: bool = True
                 ) -> tuple[Plan, Decision | None]:
    """The plan and decision of one row (``values`` by column name); :class:`_Cell` on error."""
    cells: dict[str, Any] = {}
    for name, value in values.items():
        try:
            cells[name] = _CELLS[name](value)
        except PlanCycleError as exc:
            raise _Cell(name, exc) from None
    for name in _REQUIRED:
        if cells.get(name) is None:
            raise _Cell(name, InputError(key="plan_required"))
    fields = {name: cells[name] for name in ("id", "title", "type", "owner", "adopted",
                                             "period_end", "url", "legal_basis")
              if cells.get(name) is not None}
    plan = _build(Plan, "id", id=cells["id"], **{k: v for k, v in fields.items() if k != "id"},
                  status=cells.get("status") or "in_force", tags=cells.get("tags", ()))
    decision = None
    if decisions and cells.get("decision") is not None:
        decision = _build(Decision, "decision", plan=plan.id, decision=cells["decision"],
                          start=cells.get("start"), target=cells.get("target"),
                          merge_into=cells.get("merge_into"),
                          consultation=cells.get("consultation") is not False)
    elif decisions:
        for name in ("start", "target", "merge_into", "consultation"):
            if cells.get(name) is not None:
                raise _Cell(name, InputError(key="plan_without_decision", column=name,
                                             allowed=", ".join(DECISION_KINDS)))
    return plan, decision


_Model = TypeVar("_Model", Plan, Decision)


def _build(model: type[_Model], default: str, **fields: Any) -> _Model:
    try:
        return model(**fields)
    except PlanCycleError as exc:
        column = _ERROR_COLUMN.get(exc.key or "") or str(exc.fields.get("field", default))
        if column == "tag":
            column = "tags"
        raise _Cell(column, exc) from None


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

def read_register(path: Path, *, lang: Language = "nb") -> PlanRegister:
    """The register in ``path`` (by suffix); one :class:`DataError` line on any problem."""
    del lang  # messages are translated where they are shown (PlanCycleError.in_language)
    name = shown(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DataError(key="plans_format", file=name, suffix=path.suffix[:20])
    try:
        data, _ = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise DataError(key="plans_missing", file=name) from None
    except FileTooBig:
        raise DataError(key="plans_too_big", file=name, limit=MAX_BYTES) from None
    except OSError as exc:
        raise DataError(key="plans_unreadable", file=name, reason=exc.strerror or str(exc)
                        ) from None
    if suffix == ".toml":
        return _read_toml(data, name)
    rows = _csv_rows(data, name) if suffix == ".csv" else _xlsx_rows(data, name)
    return _from_rows(rows, name)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(key="plans_encoding", file=name, offset=exc.start) from None


def _csv_rows(data: bytes, name: str) -> Iterator[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(_decode(data, name), newline=""), strict=True)
    try:
        for row in reader:
            yield reader.line_num, list(row)
    except csv.Error as exc:
        raise DataError(key="plans_csv", file=name, row=reader.line_num, reason=str(exc)[:100]
                        ) from None


def _xlsx_rows(data: bytes, name: str) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > 5 * MAX_BYTES:
            raise DataError(key="plans_too_big", file=name, limit=5 * MAX_BYTES)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise DataError(key="plans_xlsx", file=name, reason=str(exc)[:100] or type(exc).__name__
                        ) from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_PLANS + 1 and any(cell is not None for cell in row):
                raise DataError(key="plans_too_many_rows", file=name, limit=MAX_PLANS)
            cells: list[object] = list(row)
            if len(cells) > 200:
                cells = cells[:200]
            yield number, cells
    finally:
        book.close()


def _from_rows(rows: Iterable[tuple[int, list[object]]], name: str) -> PlanRegister:
    iterator = iter(rows)
    allowed = ", ".join(COLUMNS)
    header: list[str] = []
    for _number, cells in iterator:
        if any(_blank(cell) is not None for cell in cells):
            header = [(_blank(cell) or "").lower() for cell in cells]
            break
    if not header:
        raise DataError(key="plans_empty", file=name, allowed=allowed)
    while header and not header[-1]:
        header.pop()
    known = COLUMNS + EXTRA_COLUMNS
    for index, column in enumerate(header):
        if column not in known:
            raise DataError(key="plans_unknown_column", file=name, column=column_letter(index),
                            name=column[:40], allowed=", ".join(known))
        if column in header[:index]:
            raise DataError(key="plans_duplicate_column", file=name, column=column_letter(index),
                            name=column)
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise DataError(key="plans_missing_columns", file=name, columns=", ".join(missing),
                        allowed=allowed)
    plans: list[Plan] = []
    decisions: list[Decision] = []
    where: dict[str, int] = {}
    merges: list[tuple[int, Decision]] = []
    for number, cells in iterator:
        if all(_blank(cell) is None for cell in cells):
            continue
        if len(plans) >= MAX_PLANS:
            raise DataError(key="plans_too_many_rows", file=name, limit=MAX_PLANS)
        if any(_blank(cell) is not None for cell in cells[len(header):]):
            raise DataError(key="plans_row_length", file=name, row=number, count=len(cells),
                            allowed=len(header))
        values = {column: cells[index] if index < len(cells) else None
                  for index, column in enumerate(header)}
        try:
            plan, decision = _row_objects(values)
        except _Cell as cell:
            raise _cell_error(name, number, header, cell.column, cell.reason) from None
        if plan.id in where:
            raise _cell_error(name, number, header, "id",
                              InputError(key="plan_duplicate_id", plan=plan.id))
        where[plan.id] = number
        plans.append(plan)
        if decision is not None:
            decisions.append(decision)
            if decision.merge_into is not None:
                merges.append((number, decision))
    for number, decision in merges:
        if decision.merge_into not in where:
            raise _cell_error(name, number, header, "merge_into",
                              InputError(key="plan_merge_into_unknown", plan=decision.plan,
                                         target=decision.merge_into))
    return _register(name, plans, decisions)


def _blank(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, str):
        return cell.strip() or None
    return str(cell)


def _cell_error(name: str, row: int | str, header: list[str], column: str,
                reason: PlanCycleError) -> DataError:
    shown_column = (f"{column_letter(header.index(column))} ({column})" if column in header
                    else column)
    return DataError(key="plans_cell", file=name, row=row, column=shown_column, reason=reason)


def _register(name: str, plans: list[Plan], decisions: list[Decision]) -> PlanRegister:
    try:
        return PlanRegister(plans=tuple(plans), decisions=tuple(decisions))
    except PlanCycleError as exc:  # already checked row by row; kept as a safety net
        raise DataError(key="plans_unreadable", file=name, reason=exc) from None


def _read_toml(data: bytes, name: str) -> PlanRegister:
    try:
        document = tomllib.loads(_decode(data, name))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(key="plans_toml", file=name, reason=str(exc)[:200]) from None
    top = ("schema_version", "plan", "decision")
    for key in document:
        if key not in top:
            raise DataError(key="plans_toml_key", file=name, name=key[:40], allowed=", ".join(top))
    version = document.get("schema_version", REGISTER_SCHEMA_VERSION)
    if version != REGISTER_SCHEMA_VERSION:
        raise DataError(key="plans_schema_version", file=name, version=str(version)[:20],
                        allowed=REGISTER_SCHEMA_VERSION)
    tables = {key: document.get(key, []) for key in ("plan", "decision")}
    for key, value in tables.items():
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            raise DataError(key="plans_toml_shape", file=name, name=key)
    if len(tables["plan"]) > MAX_PLANS:
        raise DataError(key="plans_too_many_rows", file=name, limit=MAX_PLANS)
    plan_keys = COLUMNS + EXTRA_COLUMNS
    plans: list[Plan] = []
    decisions: list[Decision] = []
    rows: dict[str, str] = {}
    for index, table in enumerate(tables["plan"], start=1):
        row = f"plan[{index}]"
        _toml_keys(name, row, table, plan_keys)
        try:
            plan, decision = _row_objects(table)
        except _Cell as cell:
            raise _cell_error(name, row, [], cell.column, cell.reason) from None
        if plan.id in rows:
            raise _cell_error(name, row, [], "id", InputError(key="plan_duplicate_id", plan=plan.id))
        rows[plan.id] = row
        plans.append(plan)
        if decision is not None:
            decisions.append(decision)
    for index, table in enumerate(tables["decision"], start=1):
        row = f"decision[{index}]"
        _toml_keys(name, row, table, _DECISION_KEYS)
        decision = _toml_decision(name, row, table)
        if decision.plan not in rows:
            raise _cell_error(name, row, [], "plan",
                              InputError(key="plan_decision_unknown_plan", plan=decision.plan))
        if any(d.plan == decision.plan for d in decisions):
            raise _cell_error(name, row, [], "plan",
                              InputError(key="plan_decision_twice", plan=decision.plan))
        decisions.append(decision)
    for decision in decisions:
        if decision.merge_into is not None and decision.merge_into not in rows:
            raise _cell_error(name, rows[decision.plan], [], "merge_into",
                              InputError(key="plan_merge_into_unknown", plan=decision.plan,
                                         target=decision.merge_into))
    return _register(name, plans, decisions)


def _toml_keys(name: str, row: str, table: Mapping[str, object], allowed: tuple[str, ...]
               ) -> None:
    for key in table:
        if key not in allowed:
            raise DataError(key="plans_toml_key", file=name, name=f"{row}.{key}"[:60],
                            allowed=", ".join(allowed))


def _toml_decision(name: str, row: str, table: Mapping[str, object]) -> Decision:
    cells: dict[str, Any] = {}
    for key, value in table.items():
        try:
            cells[key] = _CELLS[key](value)
        except PlanCycleError as exc:
            raise _cell_error(name, row, [], key, exc) from None
    for key in ("plan", "decision"):
        if cells.get(key) is None:
            raise _cell_error(name, row, [], key, InputError(key="plan_required"))
    if cells.get("consultation") is None:
        cells.pop("consultation", None)  # empty: yes
    try:
        return _build(Decision, "decision", **cells)
    except _Cell as cell:
        raise _cell_error(name, row, [], cell.column, cell.reason) from None


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def _columns(register: PlanRegister) -> tuple[str, ...]:
    extra = tuple(column for column in EXTRA_COLUMNS
                  if any(_row(register, plan)[column] for plan in register.plans))
    return COLUMNS + extra


def _row(register: PlanRegister, plan: Plan) -> dict[str, object]:
    decision = register.decision(plan.id)
    values: dict[str, object] = {
        "id": plan.id, "title": plan.title, "type": plan.type, "owner": plan.owner,
        "adopted": plan.adopted, "period_end": plan.period_end, "status": plan.status,
        "url": plan.url, "legal_basis": plan.legal_basis,
        "tags": ";".join(plan.tags) if plan.tags else None,
        "consultation": "no" if decision is not None and not decision.consultation else None,
    }
    for key in _DECISION_COLUMNS:
        values[key] = getattr(decision, key) if decision is not None else None
    return values


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _csv_bytes(register: PlanRegister) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = _columns(register)
    writer.writerow(columns)
    for plan in register.plans:
        row = _row(register, plan)
        writer.writerow([_csv_cell(row[c]) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _xlsx_bytes(register: PlanRegister, lang: Language) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    columns = _columns(register)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for plan in register.plans:
        row = _row(register, plan)
        sheet.append([row[c] for c in columns])
        for index, column in enumerate(columns, start=1):
            if isinstance(row[column], dt.date):
                sheet.cell(row=sheet.max_row, column=index).number_format = "yyyy-mm-dd"
    for index, column in enumerate(columns):
        sheet.column_dimensions[column_letter(index)].width = 40 if column == "title" else 16
    sheet.freeze_panes = "A2"
    explain = book.create_sheet(label("plans_template_sheet", "nb"))
    explain.append([label("plans_template_column", lang), label("plans_template_meaning", lang)])
    for cell in explain[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS + EXTRA_COLUMNS:
        explain.append([column, label(f"plans_explain_{column}", lang)])
    explain.column_dimensions["A"].width = 14
    explain.column_dimensions["B"].width = 100
    return workbook_bytes(book)


def _toml_bytes(register: PlanRegister, lang: Language, *, explained: bool) -> bytes:
    document = tomlkit.document()
    if explained:
        for column in COLUMNS + EXTRA_COLUMNS:
            document.add(tomlkit.comment(f"{column}: {label(f'plans_explain_{column}', lang)}"))
        document.add(tomlkit.nl())
    document.add("schema_version", register.schema_version)
    tables = tomlkit.aot()
    for plan in register.plans:
        table = tomlkit.table()
        row = _row(register, plan)
        for key in COLUMNS + EXTRA_COLUMNS:
            value = row[key]
            if key == "tags":
                if plan.tags:
                    table.add(key, list(plan.tags))
            elif value is not None:
                table.add(key, value)
        tables.append(table)
    document.add("plan", tables)
    return tomlkit.dumps(document).encode("utf-8")


def register_bytes(register: PlanRegister, suffix: str, *, lang: Language = "nb",
                   explained: bool = False) -> bytes:
    """``register`` as the bytes of a ``suffix`` file (``.csv``, ``.xlsx``, ``.toml``)."""
    suffix = suffix.lower()
    if suffix == ".csv":
        return _csv_bytes(register)
    if suffix == ".xlsx":
        return _xlsx_bytes(register, lang)
    if suffix == ".toml":
        return _toml_bytes(register, lang, explained=explained)
    raise InputError(key="plans_format", file="", suffix=suffix[:20])


def write_register(register: PlanRegister, path: Path, *, lang: Language = "nb",
                   explained: bool = False) -> None:
    """Write ``register`` to ``path`` atomically, in the format of its suffix."""
    if path.suffix.lower() not in FORMATS:
        raise InputError(key="plans_format", file=shown(path), suffix=path.suffix[:20])
    write_atomic(path, register_bytes(register, path.suffix, lang=lang, explained=explained))


def template_register() -> PlanRegister:
    """The empty register a template is written from."""
    return PlanRegister(plans=())
