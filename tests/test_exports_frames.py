"""DataFrames for analysts (issue 13 item 3): one row per milestone with typed columns, a
followed term's statuses, and every municipality's schedule as one table without a loop."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from plancycle.errors import PlanCycleError
from plancycle.frames import all_schedules, schedule_frame, status_frame
from plancycle.models import ElectionPeriod, Schedule
from plancycle.municipalities import find_municipality, municipalities
from plancycle.schedule import build_schedule
from plancycle.termfile import read_term_file

ROOT = Path(__file__).parents[1]


def _stavanger_2027() -> Schedule:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
    return build_schedule(period, find_municipality("Stavanger"), "classic")


def test_one_row_per_milestone_with_typed_columns() -> None:
    schedule = _stavanger_2027()
    frame = schedule.to_pandas()
    assert len(frame) == len(schedule.milestones)
    assert list(frame["id"]) == [m.id for m in schedule.milestones]
    for column in ("start", "end", "due"):
        assert pd.api.types.is_datetime64_dtype(frame[column])
    for column in ("process", "kind", "binding", "confidence"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype)
    assert frame["provisional"].dtype == bool
    assert frame["id"].dtype == "string" and frame["title"].dtype == "string"
    adopted = frame.set_index("id").loc["planstrategi.adopted"]
    assert adopted["due"] == pd.Timestamp("2028-10-21")  # K 21.10.2027 + 1 year (pbl § 10-1)
    assert frame["due"].isna().any()  # events without a due date are NaT
    # confidence is ordered from the weakest: "at least a secondary source" is one comparison
    assert frame["confidence"].cat.ordered
    assert set(frame.loc[frame["confidence"] >= "S", "confidence"]) <= {"S", "L"}
    assert schedule_frame(schedule).equals(frame)


def test_a_followed_term_as_a_frame() -> None:
    loaded = read_term_file(ROOT / "examples" / "terms" / "stavanger-2027.toml", lang="nb")
    status = loaded.term.status(dt.date(2029, 3, 1), lang="nb")
    frame = status_frame(status)
    assert len(frame) == len(status.milestones)
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_datetime64_dtype(frame["actual_start"])
    assert frame.set_index("id").loc["planstrategi.adopted", "status"] == "overdue"


def test_every_municipality_of_2023_in_one_table() -> None:
    frame = all_schedules(2023)
    places = municipalities(2023)
    assert len(places) == 357
    assert frame["municipality"].nunique() == 357
    one = build_schedule(ElectionPeriod.for_year(2023), find_municipality("0301", 2023),
                         "classic")
    assert len(frame) == 357 * len(one.milestones)
    assert list(frame.columns[:2]) == ["municipality", "municipality_name"]
    assert list(dict.fromkeys(frame["municipality"])) == [m.number for m in places]
    bergen = frame[frame["municipality_name"] == "Bergen"]
    assert list(bergen["id"]) == [m.id for m in one.milestones]
    assert pd.api.types.is_datetime64_dtype(frame["start"])
    assert isinstance(frame["process"].dtype, pd.CategoricalDtype)
    # the 2023 term's planstrategi: within a year of the assumed constituent meeting 19.10.2023
    due = bergen.set_index("id").loc["planstrategi.adopted", "due"]
    assert due == pd.Timestamp("2024-10-19")


def test_county_authorities_instead() -> None:
    frame = all_schedules(2027, counties=True, lang="en")
    assert list(frame.columns[:2]) == ["county", "county_name"]
    assert "03" not in set(frame["county"])  # Oslo has no county authority
    assert "regional_planstrategi" in set(frame["process"])


def test_without_pandas_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(PlanCycleError) as caught:
        _stavanger_2027().to_pandas()
    assert 'pip install "plancycle[frames]"' in caught.value.in_language("nb")
    assert "ikke er installert" in caught.value.in_language("nb")


def test_the_frames_module_imports_without_pandas() -> None:
    code = "import sys; sys.modules['pandas'] = None; import plancycle.frames; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "src")}, timeout=50, check=False)
    assert out.stdout.strip() == "ok", out.stderr
