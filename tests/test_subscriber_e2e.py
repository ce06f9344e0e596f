"""End to end with a real subscriber: the feed server, vdirsyncer (http → filesystem vdir) and khal.

The constituent meeting is moved by a decision appended to the server's feed register (the
server-side history that drives SEQUENCE); after the next sync khal shows every moved deadline
once, on its new date.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.feed import FeedConfig, make_app, serve_in_thread
from plancycle.models import Schedule
from plancycle.rules import rule_table

BIN = Path(sys.executable).parent
STAVANGER = find_municipality("1103")
K1, K2 = dt.date(2027, 10, 19), dt.date(2027, 10, 26)
DECISION = """
[[decision]]
municipality = "1103"
election_year = 2027
recorded = {recorded}
constituted = {constituted}
"""


def _schedule(constituted: dt.date) -> Schedule:
    period = ElectionPeriod.for_year(2027, constituted=constituted)
    return build_schedule(period, STAVANGER, "samskaping", lang="en")


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[dict[str, Path]]:
    register = tmp_path / "register.toml"
    register.write_text(DECISION.format(recorded="2027-06-10T12:00:00Z", constituted=K1))
    server, thread = serve_in_thread(make_app(FeedConfig(register=register)))
    url = f"http://127.0.0.1:{server.server_port}/feeds/1103.ics?lang=en"
    vdir, status = tmp_path / "vdir", tmp_path / "status"
    vdir.mkdir()
    vdirsyncer = tmp_path / "vdirsyncer.conf"
    vdirsyncer.write_text(f"""
[general]
status_path = "{status}/"

[pair plan]
a = "plan_remote"
b = "plan_local"
collections = null
conflict_resolution = "a wins"

[storage plan_remote]
type = "http"
url = "{url}"

[storage plan_local]
type = "filesystem"
path = "{vdir}/"
fileext = ".ics"
""")
    khal = tmp_path / "khal.conf"
    khal.write_text(f"""
[calendars]
[[plan]]
path = {vdir}/
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Oslo
default_timezone = Europe/Oslo

[sqlite]
path = {tmp_path}/khal.db
""")
    yield {"tmp": tmp_path, "register": register, "vdir": vdir, "vdirsyncer": vdirsyncer,
           "khal": khal}
    server.shutdown()
    server.server_close()
    thread.join()


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"),
               XDG_CACHE_HOME=str(tmp / "cache"), NO_PROXY="127.0.0.1,localhost",
               LC_ALL="C.UTF-8", TZ="Europe/Oslo")
    return env


def _run(world: dict[str, Path], *args: str, stdin: str = "") -> str:
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=120,
                          env=_env(world["tmp"]), check=False)
    assert done.returncode == 0, f"{args[0]} failed: {done.stdout}\n{done.stderr}"
    return done.stdout


def _sync(world: dict[str, Path]) -> None:
    conf = str(world["vdirsyncer"])
    _run(world, str(BIN / "vdirsyncer"), "-c", conf, "discover", stdin="y\n" * 5)
    _run(world, str(BIN / "vdirsyncer"), "-c", conf, "sync")


def _khal(world: dict[str, Path]) -> Counter[tuple[str, str]]:
    out = _run(world, str(BIN / "khal"), "-c", str(world["khal"]), "list", "--once",
               "--day-format", "", "--format", "{start} | {title}", "2027-01-01", "2031-12-31")
    lines = [line.split(" | ", 1) for line in out.splitlines() if " | " in line]
    return Counter((day.strip(), title.strip()) for day, title in lines)


def test_subscriber_sees_statutory_deadlines_and_each_moved_one_once_on_its_new_date(
        world: dict[str, Path]) -> None:
    first, second = _schedule(K1), _schedule(K2)
    _sync(world)
    shown = _khal(world)
    assert sum(shown.values()) == len(first.milestones)
    statutory = [m for m in first.milestones if m.binding == "statutory"]
    assert len(statutory) > 30
    for milestone in statutory:
        assert shown[(milestone.start.isoformat(), milestone.title)] == 1, milestone.id
    # a few of them by hand: the law's own dates
    assert shown[("2027-09-13", "Election day: municipal election")] == 1
    assert shown[("2027-10-19", "Constituent meeting of the new council")] == 1
    assert shown[("2027-02-22", "Annual accounts 2026 presented")] == 1  # koml § 14-6

    # the council moves its constituent meeting; the publisher records the decision
    with world["register"].open("a") as register:
        register.write(DECISION.format(recorded="2027-08-15T09:30:00Z", constituted=K2))
    _sync(world)
    after = _khal(world)
    assert sum(after.values()) == len(second.milestones)  # nothing duplicated, nothing lost
    old_dates = {m.id: m.start for m in first.milestones}
    moved = [m for m in second.milestones if old_dates.get(m.id) != m.start]
    assert {"election.constituent_meeting", "planstrategi.adopted"} <= {m.id for m in moved}
    for milestone in moved:
        assert after[(milestone.start.isoformat(), milestone.title)] == 1, milestone.id
        assert (old_dates[milestone.id].isoformat(), milestone.title) not in after, milestone.id
    assert after[("2027-10-26", "Constituent meeting of the new council")] == 1

    # the stored copy of a moved event carries the higher SEQUENCE, an untouched one does not
    stored = [p.read_text() for p in world["vdir"].iterdir()]
    meeting = next(t for t in stored if "SUMMARY:Constituent meeting of the new council" in t)
    assert "SEQUENCE:2" in meeting  # assumed K → 19 Oct → 26 Oct
    accounts = next(t for t in stored if "SUMMARY:Annual accounts 2026 presented" in t)
    revised = rule_table().revised.strftime("%Y%m%dT000000Z")  # the rule data's revision date
    assert "SEQUENCE:0" in accounts and f"DTSTAMP:{revised}" in accounts
