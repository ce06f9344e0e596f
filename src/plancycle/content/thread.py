"""The red thread: from the challenge picture to the budget, as one pure report (issue 11).

The question of the KS big-city study: does a newly elected council get its policy into the
samfunnsdel, and from there into the action and economy plan and the budget? The report answers
it from the documents (:class:`~plancycle.content.models.ContentSet`):

- **breadth**: which of the 17 SDGs the challenge picture's themes touch, and which it leaves
  out (the seed: "can the SDGs help make the challenge picture broad?");
- **the chain**: each focus area back to its guidelines and their challenge themes, and forward
  to its measures in each budget year. A focus area no budget carries is a *broken thread*; a
  measure that serves no focus area and no main goal is named too (an *orphan*);
- **timing**: per focus area the first budget year that carries a measure, whether that budget
  was adopted after the samfunnsdel (dates from a followed term, :class:`Timing`, or from the
  documents' ``adopted``), and the *share of the term* it was carried: the budget years of the
  term (Y+1 … Y+4, the four budgets the council elected in Y adopts) with a measure, over four;
- **scenarios**: per process model, the first budget year each focus area reaches
  (:class:`ModelReach`: the first budget adopted after the simulated samfunnsdel that carries it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from plancycle.content.models import ContentSet, FocusKind
from plancycle.sdgs import target

TERM_BUDGETS = 4


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Dated(_Data):
    """A day and whether it happened (recorded in a followed term, or given in a document) or is
    only planned."""

    date: dt.date
    recorded: bool


class Timing(_Data):
    """When the samfunnsdel and each budget (by budget year) were or will be adopted."""

    source: str  # "term" or "documents"
    samfunnsdel: Dated | None = None
    budgets: dict[int, Dated] = {}


class YearMeasures(_Data):
    year: int
    measures: tuple[str, ...]


class FocusThread(_Data):
    """One focus area's thread."""

    id: str
    title: str
    kind: FocusKind
    goals: tuple[str, ...]
    guidelines: tuple[str, ...]
    themes: tuple[str, ...]
    sdg_goals: tuple[int, ...]
    years: tuple[YearMeasures, ...]
    first_budget_year: int | None
    broken: bool
    term_share: float
    first_budget_adopted: Dated | None = None
    adopted_after_samfunnsdel: bool | None = None


class Orphan(_Data):
    """A measure that serves no focus area and no main goal."""

    year: int
    id: str
    title: str


class Breadth(_Data):
    """The SDGs the challenge picture touches (goal numbers) and those it leaves out."""

    targets: tuple[str, ...]
    covered: tuple[int, ...]
    missing: tuple[int, ...]


class ModelReach(_Data):
    """A simulated term under one process model: when the samfunnsdel is adopted, the first
    budget year adopted after it, and per focus area the first budget year that carries it
    from then on (``None``: none does within the documents' budgets)."""

    model: str
    samfunnsdel_adopted: dt.date | None
    first_budget_after_samfunnsdel: int | None
    reach: dict[str, int | None]


class ThreadReport(_Data):
    election_year: int
    municipality: str | None
    term_years: tuple[int, ...]
    budget_years: tuple[int, ...]
    breadth: Breadth | None
    samfunnsdel_sdg_goals: tuple[int, ...]
    focus_areas: tuple[FocusThread, ...]
    broken: tuple[str, ...]
    orphans: tuple[Orphan, ...]
    untraced_themes: tuple[str, ...]
    timing: Timing | None
    scenario: tuple[ModelReach, ...] = ()


def goals_of(targets: Sequence[str]) -> tuple[int, ...]:
    """The goal numbers of SDG target numbers, in order."""
    return tuple(sorted({target(number).goal for number in targets}))


def breadth(content: ContentSet) -> Breadth | None:
    picture = content.challenge_picture
    if picture is None:
        return None
    targets = tuple(dict.fromkeys(t for theme in picture.themes for t in theme.sdg_targets))
    covered = goals_of(targets)
    return Breadth(targets=targets, covered=covered,
                   missing=tuple(g for g in range(1, 18) if g not in covered))


def thread_report(content: ContentSet, *, timing: Timing | None = None,
                  scenario: Sequence[ModelReach] = ()) -> ThreadReport:
    """The thread report of ``content``; ``timing`` from a followed term or the documents
    (:func:`documents_timing`), ``scenario`` from :func:`model_reach`."""
    part = content.samfunnsdel
    first_year = content.election_year
    term_years = tuple(range(first_year + 1, first_year + 1 + TERM_BUDGETS))
    lines = {g.id: g for g in content.guidelines.guidelines} if content.guidelines else {}
    by_area: dict[str, dict[int, list[str]]] = {}
    orphans: list[Orphan] = []
    for budget in content.budgets:
        for measure in budget.measures:
            if not measure.focus_areas and not measure.goals:
                orphans.append(Orphan(year=budget.year, id=measure.id, title=measure.title))
            for name in measure.focus_areas:
                by_area.setdefault(name, {}).setdefault(budget.year, []).append(measure.id)
    threads: list[FocusThread] = []
    traced: set[str] = set()
    sdg_targets: list[str] = []
    for area in part.focus_areas if part else ():
        themes = tuple(dict.fromkeys(t for g in area.guidelines if g in lines
                                     for t in lines[g].themes))
        traced.update(themes)
        sdg_targets += area.sdg_targets
        carried = by_area.get(area.id, {})
        years = tuple(YearMeasures(year=y, measures=tuple(ids)) for y, ids in sorted(carried.items()))
        first = min(carried, default=None)
        adopted = timing.budgets.get(first) if timing and first is not None else None
        after = None
        if adopted is not None and timing is not None and timing.samfunnsdel is not None:
            after = adopted.date > timing.samfunnsdel.date
        threads.append(FocusThread(
            id=area.id, title=area.title, kind=area.kind, goals=area.goals,
            guidelines=area.guidelines, themes=themes, sdg_goals=goals_of(area.sdg_targets),
            years=years, first_budget_year=first, broken=first is None,
            term_share=round(sum(1 for y in term_years if y in carried) / TERM_BUDGETS, 4),
            first_budget_adopted=adopted, adopted_after_samfunnsdel=after))
    if part:
        sdg_targets += [t for g in part.goals for t in g.sdg_targets]
    picture = content.challenge_picture
    return ThreadReport(
        election_year=first_year, municipality=content.municipality, term_years=term_years,
        budget_years=tuple(b.year for b in content.budgets), breadth=breadth(content),
        samfunnsdel_sdg_goals=goals_of(sdg_targets), focus_areas=tuple(threads),
        broken=tuple(t.id for t in threads if t.broken), orphans=tuple(orphans),
        untraced_themes=tuple(t.id for t in picture.themes if t.id not in traced)
        if picture and content.guidelines and part else (),
        timing=timing, scenario=tuple(scenario))


def documents_timing(content: ContentSet) -> Timing | None:
    """The adoption days the documents give themselves (``adopted``), if any."""
    part = content.samfunnsdel
    budgets = {b.year: Dated(date=b.adopted, recorded=True) for b in content.budgets
               if b.adopted is not None}
    if (part is None or part.adopted is None) and not budgets:
        return None
    return Timing(source="documents",
                  samfunnsdel=Dated(date=part.adopted, recorded=True)
                  if part and part.adopted else None, budgets=budgets)


def model_reach(content: ContentSet, model: str, samfunnsdel_adopted: dt.date | None,
                first_budget: int | None, focus_areas: Sequence[str] = ()) -> ModelReach:
    """Per focus area (``focus_areas``, default all) the first budget year from ``first_budget``
    (the first adopted after the simulated samfunnsdel) whose budget carries a measure for it."""
    part = content.samfunnsdel
    names = (tuple(focus_areas) or tuple(f.id for f in part.focus_areas)) if part else ()
    carried: Mapping[str, set[int]] = {
        name: {b.year for b in content.budgets for m in b.measures if name in m.focus_areas}
        for name in names}
    reach = {name: (min((y for y in carried[name] if y >= first_budget), default=None)
                    if first_budget is not None else None) for name in names}
    return ModelReach(model=model, samfunnsdel_adopted=samfunnsdel_adopted,
                      first_budget_after_samfunnsdel=first_budget, reach=reach)
