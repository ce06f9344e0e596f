"""``plancycle plans``: the planstrategi's plan register of a term, its load and its stale plans.

``plancycle plans TERM_FILE`` prints the register with the decisions and next steps, the plan load
per quarter of the term (against ``--capacity``) and the stale-plan report (issue 10, item 6);
``--html DIR`` writes the public overview page instead; ``--template --output FILE`` writes an
empty register (``.xlsx`` with a sheet explaining the columns, ``.csv`` or ``.toml``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from plancycle.clock import utc_today
from plancycle.commands._options import (
    add_language,
    add_output,
    emit,
    nonempty_path,
    parse_count,
    parse_date,
    warn,
    write_file,
)
from plancycle.commands._tables import add_table_options, table_width
from plancycle.commands._texts import help_text
from plancycle.errors import InputError
from plancycle.exports.binary import refuse_terminal
from plancycle.i18n import Language, label
from plancycle.output import shown
from plancycle.plans.files import FORMATS, register_bytes, template_register
from plancycle.plans.of_term import TermPlans, term_plans
from plancycle.plans.overview import render_overview
from plancycle.plans.report import (
    NextStep,
    PlanLoad,
    StalePlan,
    default_stale_limit,
    next_steps,
    plan_load,
    stale_plans,
)
from plancycle.plans.words import decision_name, stale_reason, status_name, step_name, type_name
from plancycle.termfile import load_term
from plancycle.textable import date_cell, fit, paragraph

FORMAT_CHOICES = ("table", "json", "csv", "xlsx")


def register(commands: Any) -> None:
    plans = commands.add_parser(
        "plans", help=help_text("command_plans"),
        description=help_text("plans_description"))
    plans.add_argument("term_file", nargs="?", type=nonempty_path, metavar="TERM_FILE",
                       help=help_text("plans_term_file"))
    plans.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                       help=help_text("plans_today"))
    plans.add_argument("--format", choices=FORMAT_CHOICES, default="table",
                       help=help_text("plans_format"))
    plans.add_argument("--capacity", type=parse_capacity, metavar="N|OWNER=N,…",
                       help=help_text("plans_capacity"))
    plans.add_argument("--stale-before", type=parse_date, metavar="YYYY-MM-DD",
                       help=help_text("plans_stale_before"))
    plans.add_argument("--html", type=nonempty_path, metavar="DIR",
                       help=help_text("plans_html"))
    plans.add_argument("--template", action="store_true",
                       help=help_text("plans_template"))
    add_output(plans)
    add_language(plans)
    add_table_options(plans)
    plans.set_defaults(handler=run_plans)


#: The most owners a per-owner ``--capacity`` may name.
MAX_CAPACITY_OWNERS = 100


def parse_capacity(text: str) -> int | dict[str, int]:
    """argparse type: ``N`` (at most N plan processes at once) or ``OWNER=N,…`` (per owner, the
    owner as the register names it)."""
    if "=" not in text:
        return parse_count(text)
    limits: dict[str, int] = {}
    for part in text.split(",", MAX_CAPACITY_OWNERS)[:MAX_CAPACITY_OWNERS]:
        owner, _, count = part.rpartition("=")
        owner = owner.strip()
        if not owner or owner in limits:
            raise argparse.ArgumentTypeError(f"{text[:60]!r} is not a whole number")
        limits[owner] = parse_count(count.strip())
    return limits


def run_plans(args: argparse.Namespace) -> int:
    lang: Language = args.lang
    refuse_terminal(args.format, args.output)
    if args.template:
        return _template(args.output, lang)
    if args.term_file is None:
        raise InputError(key="plans_term_needed")
    today: dt.date = args.today or utc_today()
    plans = term_plans(load_term(args.term_file, lang=lang), lang, today=today)
    steps = next_steps(plans.register, plans.milestones, plans.done, plans.core)
    if args.html is not None:
        page = render_overview(plans.register, owner=plans.owner, today=today, steps=steps,
                               done=plans.done, lang=lang)
        args.html.mkdir(parents=True, exist_ok=True)
        target = args.html / "index.html"
        write_file(page, target, "--html")
        print(label("plans_written", lang, file=shown(target)))
        return 0
    limit = args.stale_before or default_stale_limit(plans.election_year)
    load = plan_load(plans.register, plans.milestones, election_year=plans.election_year,
                     capacity=args.capacity)
    stale = stale_plans(plans.register, election_year=plans.election_year, today=today,
                        milestones=plans.milestones, done=plans.done, limit=limit)
    for warning in load.warnings:
        if warning.owner is None:
            warn(label("plans_warning_capacity", lang, quarter=warning.quarter.name,
                       count=warning.count, capacity=warning.capacity))
        else:
            warn(label("plans_warning_capacity_owner", lang, quarter=warning.quarter.name,
                       owner=warning.owner, count=warning.count, capacity=warning.capacity))
    report = _Report(plans, steps, load, stale, today, limit, args.capacity, lang)
    if args.format == "xlsx":
        emit(report.xlsx(), args.output)
    elif args.format == "json":
        emit(report.json().encode("utf-8"), args.output)
    elif args.format == "csv":
        emit(report.csv().encode("utf-8"), args.output)
    else:
        emit(report.table(table_width(args)).encode("utf-8"), args.output)
    return 0


def _template(output: Path | None, lang: Language) -> int:
    if output is None or output.suffix.lower() not in FORMATS:
        if output is not None:
            raise InputError(key="plans_output_format", file=shown(output),
                             suffix=output.suffix[:20], allowed=", ".join(FORMATS))
        raise InputError(key="plans_template_output")
    emit(register_bytes(template_register(), output.suffix, lang=lang, explained=True), output)
    return 0


class _Report:
    """The report of one term's plans, in the four formats."""

    def __init__(self, plans: TermPlans, steps: dict[str, NextStep | None], load: PlanLoad,
                 stale: tuple[StalePlan, ...], today: dt.date, limit: dt.date,
                 capacity: int | dict[str, int] | None, lang: Language) -> None:
        self.plans, self.steps, self.load, self.stale = plans, steps, load, stale
        self.today, self.limit, self.capacity, self.lang = today, limit, capacity, lang

    def _t(self, key: str, **fields: object) -> str:
        return label(key, self.lang, **fields)

    def rows(self) -> list[list[str]]:
        """One row per plan: id, title, type, status, adopted, owner, decision, next, date."""
        out = []
        for plan in self.plans.register.plans:
            step = self.steps.get(plan.id)
            out.append([plan.id, plan.title, type_name(plan, self.lang),
                        status_name(plan.status, self.lang),
                        plan.adopted.isoformat() if plan.adopted else "",
                        plan.owner or "",
                        decision_name(self.plans.register.decision(plan.id), self.lang),
                        step_name(step, self.lang) if step else "",
                        step.date.isoformat() if step else ""])
        return out

    def header(self) -> list[str]:
        return [self._t(f"plans_col_{key}") for key in
                ("id", "title", "type", "status", "adopted", "owner", "decision", "next", "date")]

    def load_rows(self) -> list[list[str]]:
        cap = ("" if self.capacity is None else str(self.capacity)
               if isinstance(self.capacity, int)
               else ", ".join(f"{owner}={n}" for owner, n in sorted(self.capacity.items())))
        return [[q.quarter.name, str(len(q.running)), str(q.parallel_hearings), cap,
                 ", ".join(q.running)] for q in self.load.quarters]

    def stale_rows(self) -> list[list[str]]:
        return [[s.plan.id, s.plan.title,
                 "; ".join(stale_reason(s.plan, r, self.limit, self.lang) for r in s.reasons)]
                for s in self.stale]

    def table(self, width: int | None = None) -> str:
        """The report for a terminal, at most ``width`` characters wide (``None``: no limit)."""
        lang = self.lang
        lines = paragraph(f"{self._t('plans_heading_register')} ({self.plans.owner}, "
                          f"{date_cell(self.today, lang)})", width)
        lines.append("")
        shown_rows = [[*row[:4], date_cell(_day(row[4]), lang), *row[5:8],
                       date_cell(_day(row[8]), lang)] for row in self.rows()]
        kept = [[cell for index, cell in enumerate(row) if index != 5]  # the owner is left out
                for row in [self.header(), *shown_rows]]
        lines += fit(kept, width, wrapping=(1, 2, 5, 6))
        lines += ["", *paragraph(self._t("plans_heading_load"), width), ""]
        head = [self._t("plans_col_quarter"), self._t("plans_col_running"),
                self._t("plans_col_hearings"), self._t("plans_col_capacity"), ""]
        if any(q.running for q in self.load.quarters):
            lines += fit([head] + [[*row[:4], _bar(int(row[1]))] for row in self.load_rows()],
                         width, wrapping=3)
        else:
            lines += paragraph(self._t("plans_no_processes"), width)
        if self.load.overlaps:
            lines += ["", *paragraph(self._t("plans_heading_overlaps"), width), ""]
            for o in self.load.overlaps:
                lines += paragraph(self._t("plans_overlap", first=o.plans[0], second=o.plans[1],
                                           start=date_cell(o.start, lang),
                                           end=date_cell(o.end, lang)), width)
        lines += ["", *paragraph(self._t("plans_heading_stale"), width), ""]
        if self.stale:
            for row in self.stale_rows():
                lines += paragraph(f"{row[0]}: {row[2]}", width)
        else:
            lines += paragraph(self._t("plans_no_stale"), width)
        decided = len(self.plans.register.decisions)
        lines += ["", *paragraph(self._t("plans_summary", plans=len(self.plans.register.plans),
                                         decided=decided, stale=len(self.stale)), width), ""]
        return "\n".join(lines)

    def json(self) -> str:
        register = self.plans.register
        data = {
            "election_year": self.plans.election_year, "owner": self.plans.owner,
            "today": self.today.isoformat(), "stale_before": self.limit.isoformat(),
            "capacity": self.capacity,
            "register": register.model_dump(mode="json"),
            "next_steps": {plan: None if step is None else {
                "milestone": step.milestone.id, "step": step.step,
                "date": step.date.isoformat()} for plan, step in self.steps.items()},
            "load": [{"quarter": q.quarter.name, "running": list(q.running),
                      "hearings": list(q.hearings), "parallel_hearings": q.parallel_hearings}
                     for q in self.load.quarters],
            "overlapping_hearings": [{"plans": list(o.plans), "start": o.start.isoformat(),
                                      "end": o.end.isoformat()} for o in self.load.overlaps],
            "warnings": [{"quarter": w.quarter.name, "count": w.count, "capacity": w.capacity,
                          "owner": w.owner} for w in self.load.warnings],
            "stale": [{"plan": s.plan.id, "reasons": list(s.reasons)} for s in self.stale],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def csv(self) -> str:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        stale = {s.plan.id: "; ".join(s.reasons) for s in self.stale}
        writer.writerow([*self.header(), self._t("plans_heading_stale")])
        for row in self.rows():
            writer.writerow([*row, stale.get(row[0], "")])
        return buffer.getvalue()

    def xlsx(self) -> bytes:
        """The register (dates as dates), the plan load per quarter (counts as numbers) and
        the stale plans, a sheet each, through :mod:`plancycle.exports.sheets`."""
        from plancycle.exports.sheets import Cell, Sheet, workbook

        register: list[list[Cell]] = []
        for plan, row in zip(self.plans.register.plans, self.rows(), strict=True):
            step = self.steps.get(plan.id)
            register.append([*row[:4], plan.adopted, *row[5:8], step.date if step else None])
        load: list[list[Cell]] = [[row[0], int(row[1]), int(row[2]), row[3], row[4]]
                                  for row in self.load_rows()]
        stale: list[list[Cell]] = [list(row) for row in self.stale_rows()]
        return workbook([
            Sheet(self._t("plans_heading_register"), self.header(), register, frozen_columns=1),
            Sheet(self._t("plans_heading_load"),
                  [self._t(f"plans_col_{key}") for key in
                   ("quarter", "running", "hearings", "capacity", "title")], load,
                  frozen_columns=1),
            Sheet(self._t("plans_heading_stale"),
                  [self._t(f"plans_col_{key}") for key in ("id", "title", "reason")], stale,
                  frozen_columns=1)], self.lang)


def _bar(count: int) -> str:
    return "#" * min(count, 60)


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
