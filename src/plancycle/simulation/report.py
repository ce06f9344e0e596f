"""Reports: what happened in each run, and medians with 10th/90th percentiles over many runs."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence

from pydantic import ConfigDict

from plancycle.errors import wrong_type
from plancycle.measures import Measures, measure
from plancycle.messages import Message
from plancycle.models import PlanCycleModel
from plancycle.processes import ProcessModel
from plancycle.rules import Binding, Confidence
from plancycle.simulation.runner import Run


class ViolationRecord(PlanCycleModel):
    """A rule broken in a run: rule, paragraph, planned vs actual date, the limit, days late."""

    model_config = ConfigDict(frozen=True)

    rule: str
    section: str
    url: str | None
    binding: Binding
    confidence: Confidence
    milestone: str
    trigger: str
    planned: dt.date | None
    actual: dt.date
    limit: dt.date
    days_late: int
    message: str


class RunReport(PlanCycleModel):
    """One run: who, which model, the seed, the draws, every violation, when each process reached
    its final state (None: not within the term), the measures and notes."""

    model_config = ConfigDict(frozen=True)

    municipality: str | None
    municipality_name: str | None
    model: ProcessModel
    run: int
    seed: str | None
    draws: dict[str, int]
    violations: tuple[ViolationRecord, ...]
    finished: dict[str, dt.date | None]
    measures: Measures
    notes: tuple[Message | str, ...]


def run_report(run: Run) -> RunReport:
    """The report of a run (normally after :meth:`Run.advance` to the end of the term)."""
    if not isinstance(run, Run):
        raise wrong_type("run_report", "run", "Run", run)
    violations = []
    for instance in run.instances:
        ends = {s.end_trigger for s in instance.steps if s.end_trigger}
        for v in instance.violations:
            key = v.milestone + (":end" if v.trigger in ends else "")
            violations.append(ViolationRecord(
                rule=v.rule, section=v.section, url=v.url, binding=v.binding,
                confidence=v.confidence, milestone=v.milestone, trigger=v.trigger,
                planned=run.planned(key), actual=v.date, limit=v.limit, days_late=v.days_late,
                message=v.message))
    violations.sort(key=lambda v: (v.actual, v.milestone, v.rule))
    finished = {spec.name: (i.history[-1].date if i.is_finished else None)  # one per duty too
                for spec, i in zip(run.ctx.instances, run.instances, strict=True)}
    municipality = run.municipality
    return RunReport(
        municipality=municipality.number if municipality else None,
        municipality_name=municipality.name if municipality else None,
        model=run.model, run=run.run, seed=run.seed, draws=dict(run.draws),
        violations=tuple(violations), finished=finished,
        measures=measure(run.ctx.period, {i.name: i for i in run.instances}),
        notes=tuple(run.notes))


# -- aggregation -------------------------------------------------------------------------------------
class Summary(PlanCycleModel):
    """Median and 10th/90th percentiles (linear interpolation) of the runs that have a value;
    ``missing``: runs without one (e.g. no samfunnsdel adopted within the term)."""

    model_config = ConfigDict(frozen=True)

    median: float | None
    p10: float | None
    p90: float | None
    missing: int = 0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0–1) of sorted ``values``, interpolating linearly between ranks."""
    position = q * (len(values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def summarise(values: Iterable[float | None]) -> Summary:
    """The :class:`Summary` of ``values`` (None: a run without a value)."""
    listed = list(values)
    present = sorted(v for v in listed if v is not None)
    missing = len(listed) - len(present)
    if not present:
        return Summary(median=None, p10=None, p90=None, missing=missing)
    return Summary(median=round(percentile(present, 0.5), 4), p10=round(percentile(present, 0.1), 4),
                   p90=round(percentile(present, 0.9), 4), missing=missing)


class RuleAggregate(PlanCycleModel):
    """One rule over the runs: in how many runs it was broken, and how late."""

    model_config = ConfigDict(frozen=True)

    rule: str
    section: str
    binding: Binding
    runs: int
    share: float
    days_late: Summary


class Aggregate(PlanCycleModel):
    """The measures of a group of runs (one municipality, or all; one model)."""

    model_config = ConfigDict(frozen=True)

    municipality: str | None
    municipality_name: str | None
    model: ProcessModel
    runs: int
    days_to_samfunnsdel: Summary
    own_samfunnsdel_share: Summary
    first_budget_year_after_samfunnsdel: Summary
    planstrategi_on_time_share: float
    runs_without_violations: int
    violations: tuple[RuleAggregate, ...]


def aggregate(reports: Sequence[RunReport], *, municipality: str | None = None,
              municipality_name: str | None = None) -> Aggregate:
    """Aggregate runs of one model."""
    if not reports:
        raise ValueError("nothing to aggregate")
    n = len(reports)
    by_rule: dict[str, list[ViolationRecord]] = {}
    for report in reports:
        worst: dict[str, ViolationRecord] = {}
        for v in report.violations:
            if v.rule not in worst or v.days_late > worst[v.rule].days_late:
                worst[v.rule] = v
        for rule, v in worst.items():
            by_rule.setdefault(rule, []).append(v)
    rules = tuple(sorted((RuleAggregate(rule=rule, section=found[0].section,
                                        binding=found[0].binding, runs=len(found),
                                        share=round(len(found) / n, 4),
                                        days_late=summarise([float(v.days_late) for v in found]))
                          for rule, found in by_rule.items()),
                         key=lambda r: (-r.runs, r.rule)))
    return Aggregate(
        municipality=municipality, municipality_name=municipality_name, model=reports[0].model,
        runs=n,
        days_to_samfunnsdel=summarise([_float(r.measures.days_to_samfunnsdel) for r in reports]),
        own_samfunnsdel_share=summarise([r.measures.own_samfunnsdel_share for r in reports]),
        first_budget_year_after_samfunnsdel=summarise(
            [_float(r.measures.first_budget_year_after_samfunnsdel) for r in reports]),
        planstrategi_on_time_share=round(
            sum(r.measures.planstrategi_on_time for r in reports) / n, 4),
        runs_without_violations=sum(1 for r in reports if not r.violations),
        violations=rules)


def _float(value: int | None) -> float | None:
    return None if value is None else float(value)


class SimulationReport(PlanCycleModel):
    """Everything a simulation or comparison produced: runs (unless left out) and aggregates,
    per municipality and model, and over all municipalities per model."""

    model_config = ConfigDict(frozen=True)

    scenario: str
    election_year: int
    election_day: dt.date
    constituted: dt.date
    constituted_assumed: bool
    models: tuple[ProcessModel, ...]
    runs_per_group: int
    runs: tuple[RunReport, ...]
    aggregates: tuple[Aggregate, ...]
    overall: tuple[Aggregate, ...]
    warnings: tuple[str, ...] = ()
