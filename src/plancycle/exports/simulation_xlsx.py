"""``plancycle simulate`` and ``compare --format xlsx``: a sheet per part of the report: the
runs, the rules each run broke, the summary per municipality and model (and over all
municipalities), the rules over the runs and one about the scenario."""

from __future__ import annotations

from plancycle.exports.columns import about_sheet, header
from plancycle.exports.sheets import Cell, Sheet, workbook
from plancycle.i18n import Language, label
from plancycle.simulation.report import Aggregate, SimulationReport, Summary

RUN_COLUMNS = ("municipality", "municipality_name", "model", "run", "seed",
               "samfunnsdel_adopted", "planstrategi_adopted", "planstrategi_due", "violations")
VIOLATION_COLUMNS = ("municipality", "municipality_name", "model", "run", "rule", "section",
                     "milestone", "planned", "actual", "limit", "days_late", "binding", "message")
#: The measures summarised over runs, by their existing labels (``sim_<key>``).
MEASURES = (("days_to_samfunnsdel", "sim_days_to_samfunnsdel"),
            ("own_samfunnsdel_share", "sim_own_share"),
            ("first_budget_year_after_samfunnsdel", "sim_first_budget_year"))
_STATS = ("median", "p10", "p90")
PERCENT = "0.0%"


def _runs(report: SimulationReport, lang: Language) -> Sheet:
    head = [*header(RUN_COLUMNS[:-1], lang), label("sim_days_to_samfunnsdel", lang),
            label("sim_own_share", lang), label("sim_first_budget_year", lang),
            label("sim_planstrategi_on_time", lang), label("export_col_violations", lang)]
    rows: list[list[Cell]] = []
    for run in report.runs:
        m = run.measures
        rows.append([run.municipality, run.municipality_name, run.model, run.run + 1, run.seed,
                     m.samfunnsdel_adopted, m.planstrategi_adopted, m.planstrategi_due,
                     m.days_to_samfunnsdel, m.own_samfunnsdel_share,
                     m.first_budget_year_after_samfunnsdel, m.planstrategi_on_time,
                     len(run.violations)])
    return Sheet(label("export_sheet_runs", lang), head, rows, frozen_columns=2,
                 formats={9: PERCENT})


def _run_violations(report: SimulationReport, lang: Language) -> Sheet:
    rows: list[list[Cell]] = [
        [run.municipality, run.municipality_name, run.model, run.run + 1, v.rule, v.section,
         v.milestone, v.planned, v.actual, v.limit, v.days_late, label(v.binding, lang),
         v.message]
        for run in report.runs for v in run.violations]
    return Sheet(label("export_sheet_run_violations", lang), header(VIOLATION_COLUMNS, lang),
                 rows, frozen_columns=2)


def _groups(report: SimulationReport, lang: Language) -> list[tuple[Aggregate, str | None]]:
    """Each aggregate with the name of its group; the overall ones named "All N municipalities"
    when there are several municipalities."""
    groups: list[tuple[Aggregate, str | None]] = [(a, a.municipality_name)
                                                  for a in report.aggregates]
    places = len(report.aggregates) // max(len(report.models), 1)
    if len(report.aggregates) > len(report.overall):
        title = label("sim_all_municipalities", lang, count=places)
        groups += [(a, title) for a in report.overall]
    return groups


def _stat(summary: Summary, stat: str) -> float | None:
    value: float | None = getattr(summary, stat)
    return value


def _summary(report: SimulationReport, lang: Language) -> Sheet:
    head = header(("municipality", "municipality_name", "model", "runs"), lang)
    formats: dict[int, str] = {}
    for key, text in MEASURES:
        for stat in _STATS:
            if key == "own_samfunnsdel_share":
                formats[len(head)] = PERCENT
            head.append(label("export_col_stat", lang, measure=label(text, lang),
                              stat=label(f"sim_col_{stat}", lang)))
    formats[len(head)] = PERCENT
    head += [label("sim_planstrategi_on_time", lang), label("sim_runs_without_violations", lang)]
    rows: list[list[Cell]] = []
    for a, name in _groups(report, lang):
        row: list[Cell] = [a.municipality, name, a.model, a.runs]
        for key, _ in MEASURES:
            summary: Summary = getattr(a, key)
            row += [_stat(summary, stat) for stat in _STATS]
        rows.append([*row, a.planstrategi_on_time_share, a.runs_without_violations])
    return Sheet(label("export_sheet_summary", lang), head, rows, frozen_columns=2,
                 formats=formats)


def _rules(report: SimulationReport, lang: Language) -> Sheet:
    head = [*header(("municipality", "municipality_name", "model", "rule", "section", "binding",
                     "runs", "share"), lang),
            *(label("export_col_stat", lang, measure=label("export_col_days_late", lang),
                    stat=label(f"sim_col_{stat}", lang)) for stat in _STATS)]
    rows: list[list[Cell]] = [
        [a.municipality, name, a.model, r.rule, r.section, label(r.binding, lang), r.runs,
         r.share, *(_stat(r.days_late, stat) for stat in _STATS)]
        for a, name in _groups(report, lang) for r in a.violations]
    return Sheet(label("export_sheet_rules", lang), head, rows, frozen_columns=2,
                 formats={7: PERCENT})


def simulation_sheets(report: SimulationReport, lang: Language) -> list[Sheet]:
    """Runs and the rules broken per run (when the report keeps its runs: ``compare`` does not),
    summary, rules over runs and the about sheet."""
    notes = dict.fromkeys(note if isinstance(note, str) else note.in_language(lang)
                          for run in report.runs for note in run.notes)
    pairs: list[tuple[str, Cell]] = [
        ("export_about_scenario", report.scenario),
        ("export_about_election_year", report.election_year),
        ("export_about_election_day", report.election_day),
        ("export_about_constituted", report.constituted),
        ("export_about_constituted_assumed", report.constituted_assumed),
        ("export_about_models", ", ".join(report.models)),
        ("export_about_runs_per_group", report.runs_per_group),
        *(("export_about_warning", warning) for warning in report.warnings),
        *(("export_about_note", note) for note in notes)]
    runs = [_runs(report, lang), _run_violations(report, lang)] if report.runs else []
    return [*runs, _summary(report, lang), _rules(report, lang), about_sheet(pairs, lang)]


def simulation_xlsx(report: SimulationReport, lang: Language = "nb") -> bytes:
    """The report as ``.xlsx`` bytes (the same report always gives the same bytes)."""
    return workbook(simulation_sheets(report, lang), lang)
