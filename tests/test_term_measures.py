"""The KS study's measures of a followed term: the same definitions as a simulation's report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.measures import TermMeasures, measure
from plancycle.simulation import Run
from plancycle.simulation.files import load_scenario
from plancycle.term import Term

# ../shared/data/real-terms: Trondheim adopted its samfunnsdel 2020-2032 on 2022-11-17
TRONDHEIM = Term(election_year=2019, municipality="5001", model="classic",
                 constituted=dt.date(2019, 10, 24))


def test_trondheim_adopted_its_samfunnsdel_1165_days_after_the_2019_election() -> None:
    term = TRONDHEIM.record("samfunnsdel.adopted", dt.date(2022, 11, 17)) \
        .record("planstrategi.adopted", dt.date(2020, 6, 18))
    measures = term.status(dt.date(2023, 10, 31), lang="en").measures
    assert measures is not None
    assert measures.days_to_samfunnsdel == (dt.date(2022, 11, 17) - dt.date(2019, 9, 9)).days
    assert measures.days_to_samfunnsdel == 1165
    # governed with its own samfunnsdel from 2022-11-17 to the end of the term (2023-10-31),
    # out of K (2019-10-24) to the end: 348 / 1468 days
    assert measures.share_of_term == round(348 / 1468, 4)
    assert measures.planstrategi_due == dt.date(2020, 10, 24)  # pbl § 10-1: K + 1 year
    assert measures.planstrategi_in_time
    assert measures.first_budget_year is None  # no budget adoption after it is recorded
    budget = term.record("action_economy_plan.2022.adopted", dt.date(2022, 12, 15))
    later = budget.status(dt.date(2023, 10, 31), lang="en").measures
    assert later is not None and later.first_budget_year == 2023


def test_a_term_with_nothing_recorded_has_no_samfunnsdel_and_a_late_planstrategi() -> None:
    measures = TRONDHEIM.status(dt.date(2023, 10, 31), lang="en").measures
    assert measures is not None
    assert measures.samfunnsdel_adopted is None and measures.days_to_samfunnsdel is None
    assert measures.share_of_term == 0.0 and not measures.planstrategi_in_time


def test_a_simulated_run_and_its_facts_measure_the_same() -> None:
    scenario = load_scenario(Path(__file__).parents[1] / "examples" / "scenarios"
                             / "late_hearing.toml")
    simulated = Run(scenario)
    simulated.advance()
    period = simulated.ctx.period
    expected = TermMeasures.of(measure(period, {i.name: i for i in simulated.instances}))
    facts: dict[str, dict[str, object]] = {}
    for key, day in simulated.adjust.fired.items():
        milestone, _, end = key.partition(":")
        entry = facts.setdefault(milestone, {"milestone": milestone, "date": day})
        if end:
            entry["end"] = day
        else:
            entry["date"] = day
    term = Term.model_validate({"election_year": scenario.election_year, "model": simulated.model,
                                "constituted": period.constituted,
                                "facts": list(facts.values())})
    assert term.status(period.end, lang="en").measures == expected


@pytest.mark.parametrize("form", ["json", "csv", "table"])
def test_the_measures_command_gives_the_measures(form: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trondheim.toml"
    path.write_text('election_year = 2019\nmunicipality = "5001"\nmodel = "classic"\n'
                    'constituted = 2019-10-24\n\n[[fact]]\nmilestone = "samfunnsdel.adopted"\n'
                    'date = 2022-11-17\n', encoding="utf-8")
    assert run(["measures", str(path), "--format", form, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    if form == "json":
        (row,) = json.loads(out)
        assert row["days_to_samfunnsdel"] == 1165 and row["owner"] == "5001"
        assert row["planstrategi_in_time"] is None  # not recorded: not known
    elif form == "csv":
        header, line = out.splitlines()
        assert dict(zip(header.split(","), line.split(","), strict=True))[
            "days_to_samfunnsdel"] == "1165"
    else:
        assert "Days from election day to its adoption" in out and "1165" in out


REAL = sorted((Path(__file__).parents[1] / "examples" / "terms" / "real").glob("*.toml"))


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_every_real_term_file_loads_with_sourced_facts_in_order_inside_the_term(
        path: Path) -> None:
    from plancycle.termfile import load_term

    term = load_term(path)
    period = term.period()
    assert term.facts, "a real term file records what happened"
    days = [fact.date for fact in term.facts]
    assert days == sorted(days)
    for fact in term.facts:
        assert fact.source, f"{fact.milestone} has no source"
        assert period.start <= fact.date <= period.end


def test_the_real_terms_measure_what_their_pages_say(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["measures", *map(str, REAL), "--format", "json", "--lang", "en"]) == 0
    rows = {Path(row["file"]).stem: row for row in json.loads(capsys.readouterr().out)}
    assert rows["trondheim-2019"]["days_to_samfunnsdel"] == 1165
    # Bergen and Stavanger adopted their planstrategi within K + 1 year (K assumed: the third
    # Thursday of October, 2019-10-17 and 2023-10-19)
    assert rows["bergen-2019"]["planstrategi_adopted"] == "2020-09-22"
    assert rows["bergen-2019"]["planstrategi_in_time"] is True
    assert rows["stavanger-2023"]["planstrategi_adopted"] == "2024-02-19"
    assert rows["bergen-2019"]["samfunnsdel_adopted"] is None  # decided not to revise it


def test_status_json_carries_the_measures() -> None:
    data = TRONDHEIM.status(dt.date(2020, 1, 1), lang="en").to_json_dict()
    assert set(data["measures"]) == set(TermMeasures.model_fields)
