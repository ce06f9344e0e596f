"""The municipalities and county authorities of each term (issue 12 item 9).

Golden facts a person can check in SSB's classification 131: the 2011 election elected 429
municipal councils, 2015 428, 2019 356 (the merged municipalities of 2020), 2023 357; 18, 18, 10
and 14 county councils (Oslo has none). Bergen was 1201 until 2019 and is 4601 from 2020;
Sandefjord, Andebu and Stokke merged into 0710 Sandefjord on 1 January 2017; Sør- and
Nord-Trøndelag into 50 Trøndelag on 1 January 2018.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from importlib import resources

import pytest

from plancycle.cli import run
from plancycle.errors import PlanCycleError, UnknownMunicipalityError
from plancycle.municipalities import (
    County,
    Municipality,
    OwnerChange,
    change_warnings,
    changes_during,
    counties,
    find_county,
    find_municipality,
    municipalities,
)
from plancycle.simulation.scenario import Scenario
from plancycle.term import Term

TERM_YEARS = range(2011, 2100, 4)


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("plancycle.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(
        "\n".join(line for line in text.splitlines() if not line.startswith("#")))))


@pytest.mark.parametrize(("year", "count", "authorities"),
                         [(2011, 429, 18), (2015, 428, 18), (2019, 356, 10), (2023, 357, 14),
                          (2027, 357, 14)])
def test_counts_per_term(year: int, count: int, authorities: int) -> None:
    assert len(municipalities(year)) == count
    assert len({m.number for m in municipalities(year)}) == count
    assert sum(c.has_county_authority for c in counties(year)) == authorities
    assert [c.number for c in counties(year) if not c.has_county_authority] == ["03"]


def test_bergen_1201_in_2015_and_4601_from_2019() -> None:
    assert find_municipality("1201", 2015).name == "Bergen"
    assert find_municipality("Bergen", 2015).number == "1201"
    assert find_municipality("Bergen", 2011).number == "1201"
    assert find_municipality("Bergen", 2019).number == "4601"
    assert find_municipality("Bergen", 2023).number == "4601"
    assert find_county("Hordaland", 2015).number == "12"
    assert find_county("46", 2019).name == "Vestland"
    assert find_county("Troms", 2023).number == "55"


@pytest.mark.parametrize(("query", "year", "lang", "message"), [
    ("4601", 2015, "en", "4601 is not a municipality of the 2015 term; in that term: 1201 Bergen"),
    ("4601", 2015, "nb", "4601 er ikke kommune i valgperioden 2015; i den perioden: 1201 Bergen"),
    ("4601", 2015, "nn", "4601 er ikkje kommune i valperioden 2015; i den perioden: 1201 Bergen"),
    ("1201", 2019, "en", "1201 is not a municipality of the 2019 term; in that term: 4601 Bergen"),
    ("1201", 2023, "nb", "1201 er ikke kommune i valgperioden 2023; i den perioden: 4601 Bergen"),
    ("Færder", 2015, "en",
     "Færder is not a municipality of the 2015 term; in that term: 0722 Nøtterøy, 0723 Tjøme"),
    ("0710", 2015, "en", "0710 is not a municipality of the 2015 term; in that term: "
                         "0706 Sandefjord, 0719 Andebu, 0720 Stokke"),
    ("1903", 2011, "en", "1903 is not a municipality of the 2011 term; in that term: "
                         "1901 Harstad, 1915 Bjarkøy"),
    ("Haram", 2019, "en", "Haram is not a municipality of the 2019 term; in that term: "
                          "1507 Ålesund"),
    ("3001", 2027, "en", "3001 is not a municipality of the 2027 term; in that term: 3101 Halden"),
])
def test_a_municipality_of_another_term_is_refused_naming_the_right_one(
        query: str, year: int, lang: str, message: str) -> None:
    with pytest.raises(UnknownMunicipalityError) as caught:
        find_municipality(query, year)
    assert caught.value.in_language(lang) == message
    assert "\n" not in message


@pytest.mark.parametrize(("query", "year", "message"), [
    ("46", 2015, "46 is not a county of the 2015 term; in that term: 12 Hordaland, "
                 "14 Sogn og Fjordane"),
    ("12", 2023, "12 is not a county of the 2023 term; in that term: 46 Vestland"),
    ("Viken", 2023, "Viken is not a county of the 2023 term; in that term: 31 Østfold, "
                    "32 Akershus, 33 Buskerud"),
    ("Trøndelag", 2011, "Trøndelag is not a county of the 2011 term; in that term: "
                        "16 Sør-Trøndelag, 17 Nord-Trøndelag"),
])
def test_a_county_of_another_term_is_refused_naming_the_right_one(
        query: str, year: int, message: str) -> None:
    with pytest.raises(UnknownMunicipalityError, match=f"^{message}$"):
        find_county(query, year)


def test_oslo_and_unknown_numbers_are_refused_as_before() -> None:
    with pytest.raises(UnknownMunicipalityError, match="unknown county 'Oslo'"):
        find_county("Oslo", 2015)
    with pytest.raises(UnknownMunicipalityError, match="one of the 428 4-digit numbers"):
        find_municipality("9999", 2015)
    with pytest.raises(UnknownMunicipalityError, match=r"did you mean Bergen \(1201\)"):
        find_municipality("Bergn", 2015)
    with pytest.raises(PlanCycleError, match="2016"):
        municipalities(2016)


def test_the_default_is_today_s_division_unchanged() -> None:
    today = [(r["kommunenummer"], r["navn"], r["fylkesnummer"]) for r in _rows("kommuner.csv")]
    assert [(m.number, m.name, m.county_number) for m in municipalities()] == today
    assert municipalities() == municipalities(2023) == municipalities(2099)
    assert len(counties()) == 15 and counties() == counties(2027)
    assert find_municipality("Bergen").number == "4601"
    with pytest.raises(UnknownMunicipalityError) as caught:
        find_municipality("1201")  # no year: today's message, not the one of another term
    assert caught.value.key == "unknown_number"
    with pytest.raises(UnknownMunicipalityError) as county:
        find_county("12")
    assert county.value.key == "unknown_number"


def test_each_list_carried_through_the_changes_gives_the_next() -> None:
    """An independent check of the data: apply the dated changes to each term's list."""
    lists = {year: {m.number: m.name for m in municipalities(year)} for year in (2011, 2015,
                                                                                 2019, 2023)}
    changes = _rows("kommuneendringer.csv")
    steps = [(2011, 2015, ("2013-01-01",)),
             (2015, 2019, ("2017-01-01", "2018-01-01", "2019-01-01", "2020-01-01")),
             (2019, 2023, ("2024-01-01",))]
    for first, then, days in steps:
        state = dict(lists[first])
        for day in days:
            rows = [r for r in changes if r["dato"] == day]
            assert rows, day
            for row in rows:
                assert state[row["fra_nummer"]] == row["fra_navn"], row
            olds = {r["fra_nummer"] for r in rows}
            state = {n: name for n, name in state.items() if n not in olds} | {
                r["til_nummer"]: r["til_navn"] for r in rows}
        assert state == lists[then], (first, then)


@pytest.mark.parametrize("year", TERM_YEARS)
def test_every_owner_of_a_term_resolves_in_its_term(year: int) -> None:
    for municipality in municipalities(year):
        assert find_municipality(municipality.number, year) == municipality
        assert municipality.county_number == municipality.number[:2]
    numbers = {c.number for c in counties(year)}
    assert {m.county_number for m in municipalities(year)} == numbers
    for county in counties(year):
        if county.has_county_authority:
            assert find_county(county.number, year) == county
            assert find_county(county.name, year) == county


@pytest.mark.parametrize("year", (2011, 2015, 2019, 2023))
def test_every_unambiguous_name_resolves_in_its_term(year: int) -> None:
    pool = municipalities(year)
    for municipality in pool:
        if sum(municipality.name == other.name for other in pool) == 1:
            assert find_municipality(municipality.name, year) == municipality


def test_a_merger_during_the_2015_term_is_noted() -> None:
    sandefjord = find_municipality("0706", 2015)
    assert changes_during(sandefjord, 2015) == (OwnerChange(
        effective=dt.date(2017, 1, 1), kind="merger",
        before=("0706 Sandefjord", "0719 Andebu", "0720 Stokke"), after=("0710 Sandefjord",)),)
    trondheim = changes_during(find_municipality("1601", 2015), 2015)
    assert [(c.effective, c.kind, c.after) for c in trondheim] == [
        (dt.date(2018, 1, 1), "renumbering", ("5001 Trondheim",))]
    assert changes_during(find_municipality("1201", 2015), 2015) == ()  # 4601 from 2020
    warning = change_warnings(find_county("16", 2015), 2015, "en")
    assert warning == ("Change during the term (merger) from 2018-01-01: 16 Sør-Trøndelag, "
                       "17 Nord-Trøndelag → 50 Trøndelag",)
    assert change_warnings(sandefjord, 2015, "nb")[0].startswith(
        "Endring i perioden (sammenslåing) fra 2017-01-01")


def test_changes_at_the_start_of_a_term_and_none_in_later_terms() -> None:
    bergen = find_municipality("4601", 2019)
    assert changes_during(bergen, 2019) == (OwnerChange(
        effective=dt.date(2020, 1, 1), kind="renumbering", before=("1201 Bergen",),
        after=("4601 Bergen",)),)
    alesund = changes_during(find_municipality("1508", 2023), 2023)
    assert [(c.kind, c.before, c.after) for c in alesund] == [
        ("split", ("1507 Ålesund",), ("1508 Ålesund", "1580 Haram"))]
    assert changes_during(bergen, 2027) == ()
    assert change_warnings(None, 2015) == ()
    assert change_warnings(bergen, 2015) == ()  # an owner of another term: no warning


def test_changes_during_refuses_an_owner_of_another_term() -> None:
    with pytest.raises(UnknownMunicipalityError, match="not a municipality of the 2015 term"):
        changes_during(find_municipality("4601"), 2015)
    with pytest.raises(PlanCycleError):
        changes_during("4601", 2015)  # type: ignore[arg-type]


def test_a_term_and_a_scenario_resolve_their_owner_in_their_term() -> None:
    owner = Term(election_year=2015, municipality="1201").owner()
    assert isinstance(owner, Municipality) and owner.number == "1201"
    county = Term(election_year=2015, county="Sør-Trøndelag").owner()
    assert isinstance(county, County) and county.number == "16"
    with pytest.raises(Exception, match="4601 is not a municipality of the 2015 term"):
        Term(election_year=2015, municipality="4601")
    scenario = Scenario(election_year=2015, municipalities=("Bergen",))
    assert [m.number for m in scenario.municipality_list() if m] == ["1201"]


def test_cli_schedule_for_an_owner_of_the_term(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["schedule", "--municipality", "1201", "--election-year", "2015",
                "--format", "json", "--lang", "en"])
    out, _ = capsys.readouterr()
    assert code == 0 and '"number": "1201"' in out.replace('":"', '": "')
    code = run(["schedule", "--municipality", "Sandefjord", "--election-year", "2015",
                "--format", "csv", "--lang", "en"])
    _, err = capsys.readouterr()
    assert code == 0
    assert ("Change during the term (merger) from 2017-01-01: 0706 Sandefjord, 0719 Andebu, "
            "0720 Stokke → 0710 Sandefjord") in err


def test_cli_refuses_a_number_of_another_term(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["schedule", "--municipality", "1201", "--election-year", "2023", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "plancycle: error: 1201 is not a municipality of the 2023 term; in that term: "
        "4601 Bergen"]
