"""Every municipality's (or county authority's) schedule of a term as one table: one row per
owner and milestone, for ``plancycle schedule --all-municipalities`` and
:func:`plancycle.frames.all_schedules`.

The schedules are built through :func:`~plancycle.schedule.build_schedule`, whose milestones are
computed once per term, model and options and shared by every owner, so the 357 municipalities
cost little more than one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from plancycle.calendar_no import check_election_year
from plancycle.exports.columns import MILESTONE_COLUMNS, header, milestone_cells
from plancycle.exports.sheets import Cell, Sheet, workbook
from plancycle.i18n import Language, check_language, label
from plancycle.models import MILESTONE_FIELDS, ElectionPeriod, Milestone, Schedule
from plancycle.municipalities import change_warnings, counties, municipalities
from plancycle.processes import PROCESS_MODELS
from plancycle.processes.declaration import ProcessModel
from plancycle.schedule import ScheduleOptions, build_schedule

#: The owner columns of the table: municipality, or county authority.
OWNER_FIELDS = {False: ("municipality", "municipality_name"), True: ("county", "county_name")}


@dataclass(frozen=True)
class EverySchedule:
    """The schedules of every owner of a term, in SSB number order; ``counties``: the county
    authorities (fylkeskommuner) instead of the municipalities."""

    period: ElectionPeriod
    model: ProcessModel
    lang: Language
    counties: bool
    schedules: tuple[Schedule, ...]

    @property
    def owner_fields(self) -> tuple[str, str]:
        return OWNER_FIELDS[self.counties]

    @property
    def rows(self) -> int:
        """The number of rows of the table (owners × their milestones)."""
        return sum(len(s.milestones) for s in self.schedules)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every warning of every schedule, each once, in order."""
        return tuple(dict.fromkeys(w for s in self.schedules for w in s.warnings))

    def items(self) -> Iterator[tuple[str, str, Milestone]]:
        """``(number, name, milestone)`` for every row."""
        for schedule in self.schedules:
            owner = schedule.municipality or schedule.county
            assert owner is not None
            for m in schedule.milestones:
                yield owner.number, owner.name, m


def every_schedule(election_year: int, model: ProcessModel = "classic", lang: Language = "nb",
                   *, counties: bool = False, options: ScheduleOptions | None = None,
                   election_day: dt.date | None = None,
                   constituted: dt.date | None = None) -> EverySchedule:
    """The schedule of every municipality of the term elected in ``election_year`` (with
    ``counties``: of every county authority), each with its own warnings (mergers, splits)."""
    from plancycle.errors import InputError

    check_election_year(election_year)
    if model not in PROCESS_MODELS:
        raise InputError(key="unknown_model", model=model, allowed=", ".join(PROCESS_MODELS))
    lang = check_language(lang)
    period = ElectionPeriod.for_year(election_year, election_day_override=election_day,
                                     constituted=constituted)
    owners = ([c for c in _counties(election_year) if c.has_county_authority] if counties
              else list(municipalities(election_year)))
    schedules = []
    for owner in owners:
        schedule = build_schedule(period, owner, model, options, lang=lang)
        extra = tuple(w for w in change_warnings(owner, election_year, lang)
                      if w not in schedule.warnings)
        if extra:
            schedule = schedule.model_copy(update={"warnings": (*schedule.warnings, *extra)})
        schedules.append(schedule)
    return EverySchedule(period, model, lang, counties, tuple(schedules))


_counties = counties


def every_csv(every: EverySchedule) -> str:
    """RFC 4180 CSV (UTF-8): the owner's number and name, then the schedule CSV's columns
    (:data:`~plancycle.models.MILESTONE_FIELDS`); a ``reform`` table starts with the same
    ``# <warning>`` row as one schedule's."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if every.model == "reform":
        writer.writerow([f"# {label('reform_warning', every.lang)}"])
    writer.writerow((*every.owner_fields, *MILESTONE_FIELDS))
    for number, name, m in every.items():
        basis = "; ".join(f"{b.law} {b.section} <{b.url}>" if b.url else f"{b.law} {b.section}"
                          for b in m.basis)
        writer.writerow([number, name, m.id, m.process, m.kind, m.title, m.start.isoformat(),
                         m.end.isoformat(), m.due.isoformat() if m.due else "", m.binding, basis,
                         m.confidence, "true" if m.provisional else "false"])
    return buffer.getvalue()


def every_json(every: EverySchedule) -> str:
    """``{"election_year", "model", "election_day", "constituted", "constituted_assumed",
    "rows": [...], "warnings": [...]}``: each row an object with the owner's number and name and
    the milestone's contract fields (:data:`~plancycle.models.MILESTONE_FIELDS`)."""
    number_field, name_field = every.owner_fields
    fields = set(MILESTONE_FIELDS)
    dumps: dict[int, dict[str, object]] = {}  # owners share their milestone objects: dump once
    rows = []
    for number, name, m in every.items():
        dumped = dumps.get(id(m))
        if dumped is None:
            found = m.model_dump(mode="json", include=fields)
            dumped = dumps[id(m)] = {field: found[field] for field in MILESTONE_FIELDS}
        rows.append({number_field: number, name_field: name, **dumped})
    period = every.period
    data = {"election_year": period.election_year, "model": every.model,
            "election_day": period.election_day.isoformat(),
            "constituted": period.constituted.isoformat(),
            "constituted_assumed": period.constituted_assumed, "rows": rows,
            "warnings": list(every.warnings)}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def every_xlsx(every: EverySchedule) -> bytes:
    """One sheet: the owner's number and name, then the milestone columns of a schedule's
    workbook (dates as dates), header frozen with the two owner columns."""
    lang = every.lang
    cells: dict[int, list[Cell]] = {}  # owners share their milestone objects: convert once
    rows = []
    for number, name, m in every.items():
        found = cells.get(id(m))
        if found is None:
            found = cells[id(m)] = milestone_cells(m, lang)
        rows.append([number, name, *found])
    sheet = Sheet(label("export_sheet_milestones", lang),
                  header((*every.owner_fields, *MILESTONE_COLUMNS), lang), rows, frozen_columns=2)
    return workbook([sheet], lang)
