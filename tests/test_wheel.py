"""The årshjul: what it shows (every milestone of the year or term, in the schedule's language),
how it marks binding, and the ``plancycle wheel`` command."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FreshProcess

from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.cli import run
from plancycle.errors import InputError
from plancycle.models import Schedule
from plancycle.svg import wheel_svg

NS = {"svg": "http://www.w3.org/2000/svg"}



def _schedule(model: str = "samskaping", lang: str = "nb", year: int = 2027) -> Schedule:
    period = ElectionPeriod.for_year(year, constituted=dt.date(year, 10, 21))
    return build_schedule(period, find_municipality("Stavanger"), model, lang=lang)  # type: ignore[arg-type]


def _shown(svg: bytes) -> list[str]:
    return [g.get("data-milestone", "") for g in ET.fromstring(svg).iter()
            if g.get("data-milestone")]


def _in_year(schedule: Schedule, year: int) -> set[str]:
    return {m.id for m in schedule.milestones if m.start.year <= year <= m.end.year}


def test_default_year_is_year_one_of_the_term_and_shows_each_of_its_milestones_once() -> None:
    schedule = _schedule()
    svg = wheel_svg(schedule)
    assert svg == wheel_svg(schedule, year=2028)
    shown = _shown(svg)
    assert len(shown) == len(set(shown))
    assert set(shown) == _in_year(schedule, 2028)
    assert "planstrategi.adopted" in shown and "samfunnsdel.adopted" in shown
    assert "action_economy_plan.2029.adopted" not in shown


@pytest.mark.parametrize("year", [2027, 2029, 2030, 2031])
def test_each_year_of_the_term_shows_its_milestones_including_periods_from_the_year_before(
        year: int) -> None:
    schedule = _schedule()
    assert set(_shown(wheel_svg(schedule, year=year))) == _in_year(schedule, year)


def test_term_wheel_shows_every_milestone_of_the_term() -> None:
    schedule = _schedule(model="classic")
    shown = _shown(wheel_svg(schedule, term=True))
    assert sorted(shown) == sorted(m.id for m in schedule.milestones)


def test_wheel_is_svg_whose_size_is_its_view_box_and_names_municipality_and_year() -> None:
    root = ET.fromstring(wheel_svg(_schedule()))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = int(root.get("width", "")), int(root.get("height", ""))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert root.findtext("svg:title", namespaces=NS) == "Årshjul 2028 for Stavanger"
    centre = [t.text for t in root.iterfind(".//svg:g[@class='centre']/svg:text", NS)]
    assert centre[:3] == ["Stavanger", "2028", "år 1"]
    assert "Valgperioden 2027–2031" in centre


def test_term_wheel_has_a_sector_per_year_from_the_election_year_and_shades_after_the_term() -> None:
    root = ET.fromstring(wheel_svg(_schedule(lang="en"), term=True))
    texts = [t.text or "" for t in root.iterfind(".//svg:g[@class='scale']/svg:text", NS)]
    assert [t for t in texts if "·" in t] == [
        "2027 · election year", "2028 · year 1", "2029 · year 2", "2030 · year 3", "2031 · year 4"]
    assert texts.count("Jan") == 5
    assert root.find(".//svg:path[@data-outside='after-term']", NS) is not None


@pytest.mark.parametrize(("lang", "january", "ring"), [
    ("nb", "Januar", "Kommuneplanens samfunnsdel"),
    ("nn", "Januar", "Samfunnsdelen av kommuneplanen"),
    ("en", "January", "Community part of the municipal master plan"),
])
def test_month_names_titles_and_legend_come_in_the_schedule_language(
        lang: str, january: str, ring: str) -> None:
    schedule = _schedule(lang=lang)
    root = ET.fromstring(wheel_svg(schedule))
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert january in texts
    assert any(ring in t for t in texts)
    assert schedule.milestone("planstrategi.adopted").title in " ".join(texts)


def test_statutory_items_differ_from_recommended_and_practice_in_shape_colour_and_outline() -> None:
    schedule = _schedule()
    root = ET.fromstring(wheel_svg(schedule, term=True))
    shapes: dict[str, set[tuple[str, str | None, str | None]]] = {}
    for group in root.iterfind(".//svg:g[@data-milestone]", NS):
        milestone = schedule.milestone(group.get("data-milestone", ""))
        drawn = next(e for e in group if e.tag.split("}")[1] in ("polygon", "circle", "rect", "path"))
        kind = "period" if milestone.start != milestone.end else "day"
        shapes.setdefault(f"{kind}:{milestone.binding}", set()).add(
            (drawn.tag.split("}")[1], drawn.get("fill"), drawn.get("stroke-dasharray")))
        assert group.get("class") == f"milestone {milestone.binding}"
    for kind in ("day", "period"):
        looks = [shapes[f"{kind}:{b}"] for b in ("statutory", "recommended", "practice")
                 if f"{kind}:{b}" in shapes]
        assert all(len(look) == 1 for look in looks)
        assert len({next(iter(look)) for look in looks}) == len(looks)
    day_shapes = {next(iter(shapes[f"day:{b}"]))[0] for b in ("statutory", "recommended", "practice")}
    assert day_shapes == {"polygon", "circle", "rect"}
    legend = [t.text for t in root.iterfind(".//svg:g[@class='legend']/svg:text", NS)]
    assert {"Lovpålagt", "Anbefalt", "Praksis"} <= set(legend)


def test_provisional_dates_are_starred_and_explained() -> None:
    period = ElectionPeriod.for_year(2027)  # K assumed: milestones resting on it are provisional
    schedule = build_schedule(period, None, "samskaping", lang="en")
    root = ET.fromstring(wheel_svg(schedule, year=2027))
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(t.endswith("*") for t in texts)
    assert any(t.startswith("* provisional") for t in texts)
    assert "all municipalities" in texts


def test_reform_wheel_says_it_assumes_a_law_change_not_in_force() -> None:
    svg = wheel_svg(_schedule(model="reform", lang="en")).decode()
    assert "It is not in force." in svg
    assert "reform (assumes a law change)" in svg
    assert "It is not in force." not in wheel_svg(_schedule(lang="en")).decode()


_WHEEL = ("import datetime as dt, sys\n"
          "from plancycle import ElectionPeriod, build_schedule, find_municipality\n"
          "from plancycle.svg import wheel_svg\n"
          "period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))\n"
          "schedule = build_schedule(period, find_municipality('Stavanger'), 'samskaping', "
          "lang='nb')\n"
          "sys.stdout.buffer.write(wheel_svg(schedule, term=True))\n")


def test_same_input_gives_the_same_bytes_and_another_language_other_bytes(
        fresh_process: FreshProcess, clear_caches: Callable[[], None]) -> None:
    first = wheel_svg(_schedule(), term=True)
    clear_caches()
    assert wheel_svg(_schedule(), term=True) == first  # computed again, not from a cache
    assert fresh_process(_WHEEL) == first  # another run of the program
    assert wheel_svg(_schedule(lang="nn")) != wheel_svg(_schedule(lang="nb"))


def test_year_outside_the_term_or_together_with_term_is_refused() -> None:
    with pytest.raises(InputError, match="2026"):
        wheel_svg(_schedule(), year=2026)
    with pytest.raises(InputError, match="not both"):
        wheel_svg(_schedule(), year=2028, term=True)


def test_cli_writes_the_wheel_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "arshjul.svg"
    code = run(["wheel", "--election-year", "2023", "--municipality", "Bergen", "--year", "2024",
                "--lang", "en", "--output", str(target)])
    assert code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["arshjul.svg"]
    root = ET.fromstring(target.read_bytes())
    assert root.findtext("svg:title", namespaces=NS) == "Year wheel 2024 for Bergen"
    assert "constituent meeting date is assumed" in capsys.readouterr().err


def test_cli_term_wheel_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["wheel", "--election-year", "2019", "--term", "--model", "classic"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    assert root.findtext("svg:title", namespaces=NS) == \
        "Årshjul for valgperioden 2019–2023, alle kommuner"


@pytest.mark.parametrize("args", [
    ["--year", "2032"],
    ["--year", "2026"],
    ["--year", "twenty"],
    ["--year", "2028", "--term"],
    ["--municipality", "Atlantis"],
    ["--model", "anarchy"],
    ["--output", "{missing}/folder/w.svg"],  # a folder that does not exist (in tmp_path)
])
def test_cli_bad_input_is_one_line_and_exit_code_2(args: list[str], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.replace("{missing}", str(tmp_path / "missing")) for a in args]
    code = run(["wheel", "--election-year", "2027", *args])
    err = capsys.readouterr().err
    assert code == 2
    errors = [line for line in err.splitlines() if not line.startswith("plancycle: advarsel: ")]
    assert len(errors) == 1 and errors[0].startswith("plancycle: feil: ")
    assert "Traceback" not in err
