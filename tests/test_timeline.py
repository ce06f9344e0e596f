"""The term timeline: every milestone on its row and dates, year gridlines, the language of the
schedule, and the ``plancycle timeline`` command."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FreshProcess

from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.cli import run
from plancycle.models import Schedule
from plancycle.svg import timeline_svg

NS = {"svg": "http://www.w3.org/2000/svg"}



def _schedule(lang: str = "nb", model: str = "samskaping") -> Schedule:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
    return build_schedule(period, find_municipality("Stavanger"), model, lang=lang)  # type: ignore[arg-type]


def test_every_milestone_of_the_term_is_drawn_once_in_its_process_row() -> None:
    schedule = _schedule()
    root = ET.fromstring(timeline_svg(schedule))
    groups = root.findall(".//svg:g[@data-milestone]", NS)
    assert sorted(g.get("data-milestone") for g in groups) == sorted(m.id for m in schedule.milestones)
    rows = {r.get("data-process"): r for r in root.iterfind(".//svg:g[@class='rows']/svg:rect", NS)}
    assert list(rows) == ["election", "planstrategi", "samfunnsdel", "action_economy_plan",
                          "governance"]
    for group in groups:
        row = rows[group.get("data-process")]
        top = float(row.get("y", "0"))
        bottom = top + float(row.get("height", "0"))
        shape = next(e for e in group if e.tag.split("}")[1] in ("polygon", "circle", "rect"))
        y = float(shape.get("cy") or shape.get("y") or shape.get("points", "0,0").split()[0].split(",")[1])
        assert top <= y <= bottom, group.get("data-milestone")


def test_items_sit_on_their_dates_and_periods_are_bars_as_long_as_their_days() -> None:
    schedule = _schedule()
    root = ET.fromstring(timeline_svg(schedule))

    def shape(milestone_id: str) -> ET.Element:
        group = root.find(f".//svg:g[@data-milestone='{milestone_id}']", NS)
        assert group is not None
        return next(e for e in group if e.tag.split("}")[1] in ("polygon", "circle", "rect"))

    election = schedule.milestone("election.day")
    budget = schedule.milestone("action_economy_plan.2028.adopted")
    day_x = float(shape(election.id).get("points", "").split()[0].split(",")[0])
    budget_x = float(shape(budget.id).get("points", "").split()[0].split(",")[0])
    assert budget_x - day_x == pytest.approx((budget.start - election.start).days, abs=0.02)
    hearing = schedule.milestone("samfunnsdel.public_consultation")
    bar = shape(hearing.id)
    assert float(bar.get("width", "0")) == pytest.approx((hearing.end - hearing.start).days + 1)


def test_year_gridlines_and_year_labels_cover_the_term() -> None:
    root = ET.fromstring(timeline_svg(_schedule(lang="en")))
    scale = root.find(".//svg:g[@class='scale']", NS)
    assert scale is not None
    years = [t.text for t in scale.iterfind("svg:text", NS) if "·" in (t.text or "")]
    assert years == ["2027 · election year", "2028 · year 1", "2029 · year 2", "2030 · year 3",
                     "2031 · year 4"]
    strong = [line for line in scale.iterfind("svg:line", NS) if line.get("stroke-width") == "1.5"]
    assert len(strong) == 6  # each 1 January and the end of the term
    assert root.findtext("svg:title", namespaces=NS) == "Timeline of the term 2027–2031, Stavanger"


@pytest.mark.parametrize(("lang", "row"), [("nb", "Kommunal planstrategi"),
                                           ("nn", "Kommunal planstrategi"),
                                           ("en", "Municipal planning")])
def test_rows_titles_and_months_in_the_schedule_language(lang: str, row: str) -> None:
    schedule = _schedule(lang=lang)
    texts = [t.text or "" for t in ET.fromstring(timeline_svg(schedule)).iter(
        "{http://www.w3.org/2000/svg}text")]
    assert row in texts
    assert ("okt" if lang != "en" else "Oct") in texts
    assert schedule.milestone("samfunnsdel.adopted").title in texts


def test_reform_timeline_says_it_assumes_a_law_change() -> None:
    svg = timeline_svg(_schedule(model="reform")).decode()
    assert "Endringen er ikke i kraft." in svg


_TIMELINE = ("import datetime as dt, sys\n"
             "from plancycle import ElectionPeriod, build_schedule, find_municipality\n"
             "from plancycle.svg import timeline_svg\n"
             "period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))\n"
             "schedule = build_schedule(period, find_municipality('Stavanger'), 'samskaping', "
             "lang='nb')\n"
             "sys.stdout.buffer.write(timeline_svg(schedule))\n")


def test_same_input_gives_the_same_bytes(fresh_process: FreshProcess,
                                         clear_caches: Callable[[], None]) -> None:
    first = timeline_svg(_schedule())
    clear_caches()
    assert timeline_svg(_schedule()) == first  # computed again, not from a cache
    assert fresh_process(_TIMELINE) == first  # another run of the program


def test_cli_writes_the_timeline(tmp_path: Path) -> None:
    target = tmp_path / "timeline.svg"
    code = run(["timeline", "--election-year", "2027", "--municipality", "1103", "--constituted",
                "2027-10-21", "--output", str(target)])
    assert code == 0
    assert target.read_bytes() == timeline_svg(_schedule())


@pytest.mark.parametrize("args", [
    ["--election-year", "2026"],
    ["--election-year", "2027", "--lang", "se"],
    ["--election-year", "2027", "--constituted", "2027-09-01"],
    ["--election-year", "2027", "--output", "{missing}/folder/t.svg"],  # (in tmp_path)
])
def test_cli_bad_input_is_one_line_and_exit_code_2(args: list[str], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.replace("{missing}", str(tmp_path / "missing")) for a in args]
    code = run(["timeline", *args])
    err = capsys.readouterr().err
    assert code == 2
    errors = [line for line in err.splitlines() if not line.startswith("plancycle: advarsel: ")]
    assert len(errors) == 1 and errors[0].startswith("plancycle: feil: ")
