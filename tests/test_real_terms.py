"""The real term files (examples/terms/real/): they load, their facts are sourced, dated in order
inside the term, ``measures`` gives what a person computes by hand, and the observed variation
profile reproduces their median delay (issue 15)."""

from __future__ import annotations

import datetime as dt
import statistics
import tomllib
from pathlib import Path

import pytest

from plancycle.errors import InputError
from plancycle.measures import TermMeasures
from plancycle.simulation import Scenario, simulate
from plancycle.simulation.files import PROFILES, variation_profile
from plancycle.termfile import load_term

REAL = Path(__file__).parents[1] / "examples" / "terms" / "real"
FILES = sorted(REAL.glob("*.toml"))
CITIES = ("Oslo", "Bergen", "Trondheim", "Stavanger", "Bærum", "Kristiansand", "Drammen",
          "Tromsø")


def check_real_term(path: Path) -> list[str]:
    """What is wrong with a real term file: it must load, and every fact must carry a source
    (the page's address and what it says) and lie inside the term, in date order."""
    problems: list[str] = []
    term = load_term(path, lang="en")
    period = term.period()
    for fact in term.facts:
        if not (fact.source or "").strip():
            problems.append(f"{path.name}: {fact.milestone} has no source")
        for day in (fact.date, fact.end):
            if day is not None and not period.start <= day <= period.end:
                problems.append(f"{path.name}: {fact.milestone} {day} is outside the term")
        if fact.end is not None and fact.end < fact.date:
            problems.append(f"{path.name}: {fact.milestone} ends before it starts")
    for process in ("planstrategi", "samfunnsdel"):
        adopted = term.fact(f"{process}.adopted")
        earlier = [f for f in term.facts if f.milestone.startswith(process + ".")
                   and f.milestone != f"{process}.adopted"]
        if adopted is not None:
            problems += [f"{path.name}: {f.milestone} after {process}.adopted" for f in earlier
                         if f.date > adopted.date]
    return problems


def test_there_is_a_file_for_most_cities() -> None:
    names = {p.name.split("-")[0] for p in FILES}
    assert len(FILES) >= 12
    assert {"oslo", "bergen", "trondheim", "stavanger", "baerum", "kristiansand",
            "drammen"} <= names


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_real_term_file_loads_and_is_sourced_in_order(path: Path) -> None:
    assert check_real_term(path) == []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["fact"], "a real term file has at least one fact"
    days = [f.date for f in load_term(path).facts]
    assert days == sorted(days), "facts are written in date order"


def test_the_check_refuses_a_fact_without_a_source(tmp_path: Path) -> None:
    text = (REAL / "trondheim-2019.toml").read_text(encoding="utf-8")
    stripped = "\n".join(line for line in text.splitlines() if not line.startswith("source"))
    bad = tmp_path / "trondheim-2019.toml"
    bad.write_text(stripped + "\n", encoding="utf-8")
    problems = check_real_term(bad)
    assert problems and all("has no source" in p for p in problems)
    assert len(problems) == len(load_term(bad).facts)


def _measures(name: str) -> TermMeasures:
    term = load_term(REAL / name)
    status = term.status(term.period().end, lang="en")
    assert status.measures is not None
    return status.measures


def test_trondheim_2019_measures_by_hand() -> None:
    m = _measures("trondheim-2019.toml")
    # election day 2019-09-09 -> samfunnsdel adopted 2022-11-17: 1096 days to 2022-09-09
    # (2020 is a leap year), + 30 (September) + 31 (October) + 8 = 1165
    assert m.samfunnsdel_adopted == dt.date(2022, 11, 17)
    assert m.days_to_samfunnsdel == 1096 + 30 + 31 + 8 == 1165
    # K assumed 2019-10-17, end of term 2023-10-31: (2023-10-31 - 2022-11-17) = 348 days over
    # (2023-10-31 - 2019-10-17) = 1475 days
    assert m.share_of_term == round(348 / 1475, 4)
    assert m.planstrategi_adopted is None and m.planstrategi_in_time is None


def test_oslo_2015_and_baerum_2019_measures_by_hand() -> None:
    oslo = _measures("oslo-2015.toml")
    # 2015-09-14 -> 2019-01-30: 3 years (1096 days, 2016 leap) to 2018-09-14, + 16 + 31 + 30
    # + 31 + 30 (to 2019-01-30)
    assert oslo.days_to_samfunnsdel == 1096 + 16 + 31 + 30 + 31 + 30 == 1234
    assert oslo.planstrategi_in_time is False  # 2016-12-14, after K + 1 year
    baerum = _measures("baerum-2019.toml")
    # 2019-09-09 -> 2021-06-23: 2020-09-09 is 366 days, + 365 to 2021-09-09, - 78 back to 06-23
    assert baerum.days_to_samfunnsdel == 366 + 365 - 78 == 653
    assert baerum.planstrategi_adopted == dt.date(2020, 10, 21)


def test_measures_command_prints_one_row_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    from plancycle.cli import run as main
    assert main(["measures", "--format", "csv", *map(str, FILES)]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert len(rows) == 1 + len(FILES)
    assert any(r.startswith(str(REAL / "trondheim-2019.toml")) and ",1165," in r for r in rows)


# -- the observed profile ------------------------------------------------------------------------
def _observed_days_to_samfunnsdel() -> list[int]:
    """Days to the samfunnsdel of the completed terms (2011–2019) that adopted one."""
    days = []
    for path in FILES:
        term = load_term(path)
        fact = term.fact("samfunnsdel.adopted")
        if term.election_year <= 2019 and fact is not None:
            days.append((fact.date - term.period().election_day).days)
    return days


def test_observed_profile_is_documented_with_its_sample() -> None:
    days = _observed_days_to_samfunnsdel()
    text = (Path(__file__).parents[1] / "src/plancycle/simulation/profiles/observed.toml"
            ).read_text(encoding="utf-8")
    assert f"n = {len(days)} adoptions" in text
    assert f"median {int(statistics.median(days))}" in text
    assert ", ".join(map(str, sorted(days))) in text
    assert PROFILES == ("typical", "observed")
    assert variation_profile("observed") != variation_profile("typical")
    with pytest.raises(InputError):
        variation_profile("measured")


def test_observed_profile_reproduces_the_median_within_its_tolerance() -> None:
    """The documented tolerance is ±45 days; the calibration run is seeded (reproducible)."""
    observed = statistics.median(_observed_days_to_samfunnsdel())
    variation = variation_profile("observed").model_copy(update={"runs": 50, "seed": 2019})
    scenario = Scenario(name="observed", election_year=2019, municipalities=CITIES,
                        variation=variation)
    report = simulate(scenario, models=("classic",), keep_runs=False)
    median = report.overall[0].days_to_samfunnsdel.median
    assert median is not None
    assert abs(median - observed) <= 45
    typical = variation_profile("typical").model_copy(update={"runs": 50, "seed": 2019})
    plain = simulate(scenario.model_copy(update={"variation": typical}), models=("classic",),
                     keep_runs=False).overall[0].days_to_samfunnsdel.median
    assert plain is not None and abs(plain - observed) > 45  # the illustrative one does not


def test_compare_takes_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    from plancycle.cli import run as main
    base = ["compare", "--election-year", "2019", "--municipality", "Bergen", "--runs", "5",
            "--seed", "1", "--quiet", "--format", "json"]
    assert main([*base, "--profile", "observed"]) == 0
    observed = capsys.readouterr().out
    assert main(base) == 0
    typical = capsys.readouterr().out
    assert observed != typical
    assert main([*base, "--profile", "measured"]) == 2
    assert "measured" in capsys.readouterr().err
