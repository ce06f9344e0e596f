"""What the calendar and the årshjul carry of the content (issue 11, part 4).

- The budget milestones of the year before budget year N (the framework, the proposal, the
  recommendation and the adoption) list the focus areas budget N is to follow up: those its
  measures serve, or, with no budget N given, every focus area of the samfunnsdel once it is in
  force (N after the election year + 1, the year the samfunnsdel is planned adopted).
- Each tertial report of year N and the annual report of N (presented in N+1) list the
  measures of budget N to report on, with their indicators.
"""

from __future__ import annotations

from plancycle.content.models import BudgetYear, ContentSet
from plancycle.i18n import Language, label

BUDGET_STEPS = ("framework", "proposal_public", "recommendation_public", "adopted")
REPORT_STEPS = ("tertial_report_1", "tertial_report_2")


def focus_areas_of(content: ContentSet, year: int) -> tuple[tuple[str, str], ...]:
    """(id, title) of the focus areas budget ``year`` is to follow up (see the module doc)."""
    part = content.samfunnsdel
    if part is None:
        return ()
    budget = content.budget(year)
    if budget is not None:
        wanted = {a for m in budget.measures for a in m.focus_areas}
        return tuple((f.id, f.title) for f in part.focus_areas if f.id in wanted)
    if year > content.election_year + 1:
        return tuple((f.id, f.title) for f in part.focus_areas)
    return ()


def _measure_lines(budget: BudgetYear, lang: Language) -> tuple[str, ...]:
    lines = [label("thread_ics_measures", lang, year=budget.year)]
    for measure in budget.measures:
        text = f"- {measure.title} ({measure.id})"
        if measure.indicators:
            text += f" – {label('thread_indicators', lang)}: " + "; ".join(measure.indicators)
        lines.append(text)
    return tuple(lines)


def calendar_notes(content: ContentSet, lang: Language) -> dict[str, tuple[str, ...]]:
    """Lines to add to milestone descriptions, by milestone id (for :func:`plancycle.ical.to_ical`)."""
    notes: dict[str, tuple[str, ...]] = {}
    first = content.election_year
    for year in range(first + 1, first + 6):
        areas = focus_areas_of(content, year)
        if areas:
            lines = (label("thread_ics_focus_areas", lang, year=year),
                     *(f"- {title} ({ident})" for ident, title in areas))
            for step in BUDGET_STEPS:
                notes[f"action_economy_plan.{year - 1}.{step}"] = lines
    for budget in content.budgets:
        if budget.measures:
            lines = _measure_lines(budget, lang)
            for step in REPORT_STEPS:
                notes[f"action_economy_plan.{budget.year}.{step}"] = lines
            notes[f"action_economy_plan.{budget.year + 1}.annual_report_presented"] = lines
    return notes


def wheel_centre(content: ContentSet, year: int) -> tuple[str, ...]:
    """The focus areas the årshjul of ``year`` shows in its centre: those of budget ``year``, the
    budget carried out that year."""
    return tuple(title for _, title in focus_areas_of(content, year))
