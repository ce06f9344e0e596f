"""Property tests over years 2011–2099, models, languages and constituent-meeting dates."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancycle import ElectionPeriod, build_schedule, find_county, find_municipality
from plancycle.calendar_no import election_day, is_working_day
from plancycle.i18n import LANGUAGES
from plancycle.ical import event_uid
from plancycle.models import Schedule
from plancycle.processes import PROCESS_MODELS

GIVEN_DATES = {"election.day", "election.next_day", "election.constituent_meeting",
               "governance.alcohol_licences"}  # licences lapse on 30 September (alkl § 1-6)
years = st.sampled_from(range(2011, 2100, 4))
models = st.sampled_from(PROCESS_MODELS)
languages = st.sampled_from(LANGUAGES)


@st.composite
def periods(draw: st.DrawFn, *, lawful: bool = True) -> ElectionPeriod:
    year = draw(years)
    e = election_day(year).date
    last = dt.date(year, 10, 31) if lawful else dt.date(year, 12, 31)
    k = draw(st.dates(min_value=e + dt.timedelta(days=15), max_value=last))
    return ElectionPeriod.for_year(year, constituted=k)


def _schedule(period: ElectionPeriod, model: str, lang: str) -> Schedule:
    # odd election years get a municipality, even ones a county authority: both owners covered
    owner = find_municipality("1103") if period.election_year % 8 == 3 else find_county("46")
    return build_schedule(period, owner, model, lang=lang)  # type: ignore[arg-type]


common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(periods(), models, languages)
def test_every_planned_date_is_on_or_before_its_due_date(period: ElectionPeriod, model: str,
                                                         lang: str) -> None:
    for m in _schedule(period, model, lang).milestones:
        if m.due is not None:
            assert m.end <= m.due, (m.id, m.start, m.end, m.due)


@common
@given(periods(), models)
def test_no_consultation_is_shorter_than_its_padded_minimum(period: ElectionPeriod,
                                                            model: str) -> None:
    windows = [m for m in _schedule(period, model, "en").milestones if m.min_days is not None]
    assert windows
    for m in windows:
        assert (m.end - m.start).days >= m.min_days + sum(p.days for p in m.padding)  # type: ignore[operator]
        assert m.min_days >= 42 or "planstrategi-consultation-length" in m.rules


@common
@given(periods(), models)
def test_planned_days_are_working_days(period: ElectionPeriod, model: str) -> None:
    for m in _schedule(period, model, "en").milestones:
        if m.id in GIVEN_DATES:
            continue
        for day in m.dates:
            assert is_working_day(day), (m.id, day)


@common
@given(periods(lawful=False), models, languages)
def test_milestone_ids_are_unique_and_within_the_term(period: ElectionPeriod, model: str,
                                                      lang: str) -> None:
    schedule = _schedule(period, model, lang)
    ids = [m.id for m in schedule.milestones]
    assert len(ids) == len(set(ids))
    for m in schedule.milestones:
        assert m.start <= m.end
        assert m.start <= period.end and m.end >= period.start


@common
@given(years, st.integers(1, 45), st.integers(1, 45), models, models, st.booleans())
def test_uid_depends_only_on_owner_term_and_milestone(year: int, k1: int, k2: int, model_a: str,
                                                      model_b: str, move_e: bool) -> None:
    e = election_day(year).date
    other_e = e - dt.timedelta(days=1) if move_e else None
    a = ElectionPeriod.for_year(year, constituted=e + dt.timedelta(days=k1))
    b = ElectionPeriod.for_year(year, constituted=e + dt.timedelta(days=k2),
                                election_day_override=other_e)
    first, second = _schedule(a, model_a, "nb"), _schedule(b, model_b, "en")
    common_ids = {m.id for m in first.milestones} & {m.id for m in second.milestones}
    assert {"planstrategi.adopted", "regional_planstrategi.adopted"} & common_ids
    for milestone_id in common_ids:
        uid = event_uid(first, milestone_id)
        assert uid == event_uid(second, milestone_id)
        assert not re.search(r"\d{4}-?\d{2}-?\d{2}", uid), uid


@common
@given(periods(), models)
def test_steps_follow_the_declared_order(period: ElectionPeriod, model: str) -> None:
    """The machine fires steps in declaration order, so planned dates must not go backwards."""
    from plancycle.processes import definitions

    schedule = _schedule(period, model, "en")
    by_id = {m.id: m for m in schedule.milestones}
    parts = [part for d in definitions(model) for part in d.parts()]  # type: ignore[arg-type]
    for definition in parts:  # the governance duties are independent: one part each
        if definition.yearly:
            continue
        days = [by_id[f"{definition.name}.{s.milestone}"] for s in definition.steps
                if f"{definition.name}.{s.milestone}" in by_id]
        for earlier, later in itertools.pairwise(days):
            if earlier.id == "election.day":
                continue  # the constituent-meeting notice may legally precede election day
            assert earlier.end <= later.start or earlier.start <= later.start, (earlier.id,
                                                                                later.id)
