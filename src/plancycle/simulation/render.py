"""Simulation reports as text: a table for people, JSON and CSV for scripts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from plancycle.i18n import Language, label
from plancycle.simulation.report import Aggregate, RunReport, SimulationReport, Summary
from plancycle.textable import date_cell, fit, paragraph


def to_json(report: SimulationReport, lang: str = "en") -> str:
    """The whole report (runs, aggregates, warnings) as JSON; each run's notes as text in
    ``lang``, as the table shows them."""
    data = report.model_dump(mode="json")
    for run, dumped in zip(report.runs, data.get("runs", []), strict=True):
        dumped["notes"] = [note if isinstance(note, str) else note.in_language(lang)
                           for note in run.notes]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RUN_FIELDS = ("municipality", "municipality_name", "model", "run", "seed", "samfunnsdel_adopted",
              "days_to_samfunnsdel", "own_samfunnsdel_share", "first_budget_year_after_samfunnsdel",
              "planstrategi_adopted", "planstrategi_on_time", "violations", "rules_broken")
AGGREGATE_FIELDS = ("municipality", "municipality_name", "model", "runs",
                    *(f"{m}_{s}" for m in ("days_to_samfunnsdel", "own_samfunnsdel_share",
                                           "first_budget_year_after_samfunnsdel")
                      for s in ("median", "p10", "p90")),
                    "planstrategi_on_time_share", "runs_without_violations", "rules_broken")


def runs_csv(report: SimulationReport) -> str:
    """One row per run: who, model, seed, the measures and the rules broken (``rule:days``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RUN_FIELDS)
    for run in report.runs:
        m = run.measures
        writer.writerow([
            run.municipality or "", run.municipality_name or "", run.model, run.run + 1,
            run.seed or "", _iso(m.samfunnsdel_adopted), _blank(m.days_to_samfunnsdel),
            m.own_samfunnsdel_share, _blank(m.first_budget_year_after_samfunnsdel),
            _iso(m.planstrategi_adopted), "true" if m.planstrategi_on_time else "false",
            len(run.violations), ";".join(f"{v.rule}:{v.days_late}" for v in run.violations)])
    return buffer.getvalue()


def aggregates_csv(report: SimulationReport) -> str:
    """One row per (municipality, model) and per model over all municipalities (blank
    municipality)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(AGGREGATE_FIELDS)
    rows = list(report.aggregates)
    if len(report.aggregates) > len(report.overall):
        rows += list(report.overall)
    for a in rows:
        cells: list[object] = [a.municipality or "", a.municipality_name or "", a.model, a.runs]
        for summary in (a.days_to_samfunnsdel, a.own_samfunnsdel_share,
                        a.first_budget_year_after_samfunnsdel):
            cells += [_blank(summary.median), _blank(summary.p10), _blank(summary.p90)]
        cells += [a.planstrategi_on_time_share, a.runs_without_violations,
                  ";".join(f"{r.rule}:{r.runs}" for r in a.violations)]
        writer.writerow(cells)
    return buffer.getvalue()


def _iso(day: object) -> str:
    return day.isoformat() if hasattr(day, "isoformat") else ""


def _blank(value: object) -> object:
    return "" if value is None else value


# -- tables --------------------------------------------------------------------------------------
def _table(rows: Sequence[Sequence[str]], width: int | None, indent: str = "") -> list[str]:
    """Rows as a table of at most ``width`` characters; the first column (names) wraps."""
    return fit(rows, width, wrapping=0, indent=indent)


def _number(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return "–"
    if percent:
        return f"{value * 100:.1f} %"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _runs(count: int, lang: Language) -> str:
    return label("sim_one_run", lang) if count == 1 else label("sim_runs", lang, count=count)


def _place(number: str | None, name: str | None, lang: Language) -> str:
    return f"{name} ({number})" if number else label("sim_no_municipality", lang)


def _header(report: SimulationReport, lang: Language, width: int | None) -> list[str]:
    constituted = date_cell(report.constituted, lang)
    if report.constituted_assumed:
        constituted += f" ({label('sim_assumed', lang)})"
    name = f": {report.scenario}" if report.scenario else ""
    return [*paragraph(f"{label('sim_scenario', lang)}{name}", width),
            *paragraph(f"{label('sim_election_day', lang)} {date_cell(report.election_day, lang)}, "
                       f"{label('sim_constituted', lang)} {constituted}", width)]


def _run_table(run: RunReport, lang: Language, width: int | None) -> list[str]:
    lines = [*paragraph(f"{_place(run.municipality, run.municipality_name, lang)} · {run.model} · "
                        f"{label('sim_run', lang, number=run.run + 1)}"
                        + (f" · {label('sim_seed', lang, seed=run.seed)}" if run.seed else ""),
                        width), ""]
    lines.append(label("sim_rules_broken", lang))
    if run.violations:
        rows = [[label(f"sim_col_{c}", lang) for c in ("rule", "section", "milestone", "planned",
                                                        "actual", "limit", "days_late", "binding")]]
        rows += [[v.rule, v.section, v.milestone, date_cell(v.planned, lang),
                  date_cell(v.actual, lang), date_cell(v.limit, lang), str(v.days_late),
                  label(f"tables_binding_{v.binding}", lang)] for v in run.violations]
        lines += fit(rows, width, wrapping=(0, 1, 2), indent="  ")
    else:
        lines.append("  " + label("sim_no_violations", lang))
    lines += ["", label("sim_finished", lang)]
    rows = [[label("sim_col_process", lang), label("sim_col_date", lang)]]
    rows += [[name, date_cell(day, lang) if day else label("sim_not_finished", lang)]
             for name, day in run.finished.items()]
    lines += _table(rows, width, "  ")
    m = run.measures
    on_time = label("sim_yes" if m.planstrategi_on_time else "sim_no", lang)
    adopted = date_cell(m.planstrategi_adopted, lang) if m.planstrategi_adopted else "–"
    rows = [[label("sim_col_measure", lang), label("sim_col_value", lang)],
            [label("sim_days_to_samfunnsdel", lang),
             _number(m.days_to_samfunnsdel) + (f" ({date_cell(m.samfunnsdel_adopted, lang)})"
                                               if m.samfunnsdel_adopted else "")],
            [label("sim_own_share", lang), _number(m.own_samfunnsdel_share, percent=True)],
            [label("sim_first_budget_year", lang), _number(m.first_budget_year_after_samfunnsdel)],
            [f"{label('sim_planstrategi_on_time', lang)} ({date_cell(m.planstrategi_due, lang)})",
             f"{on_time} ({adopted})"]]
    lines += ["", label("sim_measures", lang), *_table(rows, width, "  ")]
    return lines


def _summary_cells(summary: Summary, *, percent: bool = False) -> list[str]:
    return [_number(summary.median, percent=percent), _number(summary.p10, percent=percent),
            _number(summary.p90, percent=percent)]


def _aggregate_table(a: Aggregate, lang: Language, *, title: str, width: int | None) -> list[str]:
    lines = [*paragraph(f"{title} · {a.model} · {_runs(a.runs, lang)}", width), ""]
    rows = [[label(f"sim_col_{c}", lang) for c in ("measure", "median", "p10", "p90")],
            [label("sim_days_to_samfunnsdel", lang), *_summary_cells(a.days_to_samfunnsdel)],
            [label("sim_own_share", lang), *_summary_cells(a.own_samfunnsdel_share, percent=True)],
            [label("sim_first_budget_year", lang),
             *_summary_cells(a.first_budget_year_after_samfunnsdel)]]
    lines += _table(rows, width, "  ")
    lines += paragraph(f"{label('sim_planstrategi_on_time', lang)}: "
                       f"{_number(a.planstrategi_on_time_share, percent=True)}", width, "  ")
    lines += paragraph(f"{label('sim_runs_without_violations', lang)}: "
                       f"{label('sim_of_runs', lang, count=a.runs_without_violations, total=a.runs)}",
                       width, "  ")
    lines += ["", label("sim_rules_broken", lang)]
    if a.violations:
        rows = [[label("sim_col_rule", lang), label("sim_col_section", lang),
                 label("sim_col_runs", lang), label("sim_col_share", lang),
                 *(f"{label('sim_col_days_late', lang)} {label(f'sim_col_{c}', lang)}"
                   for c in ("median", "p10", "p90"))]]
        rows += [[r.rule, r.section, str(r.runs), _number(r.share, percent=True),
                  *_summary_cells(r.days_late)] for r in a.violations]
        lines += _table(rows, width, "  ")
    else:
        lines.append("  " + label("sim_no_violations", lang))
    return lines


def to_table(report: SimulationReport, lang: Language = "en", *, width: int | None = None) -> str:
    """A single run in detail; many runs as medians and percentiles per group; several models
    side by side; at most ``width`` characters wide (``None``: no limit), dates as
    ``02.03.2028`` in bokmål and nynorsk."""
    lines = _header(report, lang, width)
    if len(report.models) > 1:
        lines += comparison_lines(report, lang, width=width)
    elif len(report.aggregates) == 1 and report.runs_per_group == 1 and report.runs:
        lines += ["", *_run_table(report.runs[0], lang, width)]
    else:
        for a in report.aggregates:
            place = _place(a.municipality, a.municipality_name, lang)
            lines += ["", *_aggregate_table(a, lang, title=place, width=width)]
        if len(report.aggregates) > 1:
            for a in report.overall:
                title = label("sim_all_municipalities", lang, count=len(report.aggregates))
                lines += ["", *_aggregate_table(a, lang, title=title, width=width)]
    notes = [note if isinstance(note, str) else note.in_language(lang)
             for run in report.runs for note in run.notes]
    if notes:
        lines += ["", label("sim_notes", lang)]
        for note in dict.fromkeys(notes):
            lines += paragraph(note, width, "  ")
    if report.warnings:
        lines += ["", label("sim_warnings", lang)]
        for warning in report.warnings:
            lines += paragraph(warning, width, "  ")
    return "\n".join(lines) + "\n"


def _cell(summary: Summary, *, percent: bool = False) -> str:
    if summary.median is None:
        return "–"
    if summary.p10 == summary.p90:
        return _number(summary.median, percent=percent)
    return (f"{_number(summary.median, percent=percent)} "
            f"({_number(summary.p10, percent=percent)}–{_number(summary.p90, percent=percent)})")


def _comparison_block(title: str, group: Sequence[Aggregate], lang: Language,
                      width: int | None) -> list[str]:
    rows = [[f"{title} · {_runs(group[0].runs, lang)}",
             *(a.model for a in group)],
            [label("sim_days_to_samfunnsdel", lang), *(_cell(a.days_to_samfunnsdel) for a in group)],
            [label("sim_own_share", lang),
             *(_cell(a.own_samfunnsdel_share, percent=True) for a in group)],
            [label("sim_first_budget_year", lang),
             *(_cell(a.first_budget_year_after_samfunnsdel) for a in group)],
            [label("sim_planstrategi_on_time", lang),
             *(_number(a.planstrategi_on_time_share, percent=True) for a in group)],
            [label("sim_runs_without_violations", lang),
             *(_number(a.runs_without_violations / a.runs, percent=True) for a in group)]]
    rules = sorted({r.rule for a in group for r in a.violations})
    for rule in rules:
        cells = []
        for a in group:
            found = [r for r in a.violations if r.rule == rule]
            cells.append(_number(found[0].share, percent=True) if found else "–")
        rows.append([f"  {label('sim_col_rule', lang)} {rule}", *cells])
    return _table(rows, width)


def comparison_lines(report: SimulationReport, lang: Language, *, per_group: int = 12,
                     width: int | None = None) -> list[str]:
    """Models side by side: per municipality (up to ``per_group`` of them) and over all.
    Cells: median (10th–90th percentile); rules: the share of runs that broke them."""
    lines = ["", *paragraph(f"{label('sim_comparison', lang)} — {label('sim_median_range', lang)}",
                            width)]
    n = len(report.models)
    groups = [report.aggregates[i:i + n] for i in range(0, len(report.aggregates), n)]
    if len(groups) <= per_group:
        for group in groups:
            place = _place(group[0].municipality, group[0].municipality_name, lang)
            lines += ["", *_comparison_block(place, group, lang, width)]
    if len(groups) > 1:
        title = label("sim_all_municipalities", lang, count=len(groups))
        lines += ["", *_comparison_block(title, report.overall, lang, width)]
    return lines
