"""Bad data must not take down good data: the feed register (issue 14, items 8 and 10).

Each decision is checked on its own: a bad one is left out, reported once with the file and the
decision, and the others serve. The server keeps the last version it could read when the file is
broken, deleted, oversized, not a regular file or being rewritten, and takes a changed file only
once it reads whole and parses.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest

from plancycle.errors import DataError, PlanCycleError
from plancycle.feed import FeedConfig, make_app
from plancycle.feed import register as register_module
from plancycle.feed.register import (
    EMPTY,
    RACY_NS,
    RegisterFile,
    load_register,
    parse_register,
)
from plancycle.i18n import LANGUAGES
from plancycle.municipalities import find_county, find_municipality

STAVANGER = find_municipality("1103")
BERGEN = find_municipality("4601")
T1 = dt.datetime(2027, 6, 10, 12, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2027, 8, 15, 9, 30, tzinfo=dt.UTC)

GOOD = """[[decision]]
municipality = "1103"
election_year = 2027
recorded = 2027-06-10T12:00:00Z
constituted = 2027-10-19
"""
BERGEN_DECISION = """[[decision]]
municipality = "4601"
election_year = 2027
recorded = 2027-06-10T12:00:00Z
constituted = 2027-10-21
"""


def _decision(**fields: str) -> str:
    values = {"municipality": '"4601"', "election_year": "2027",
              "recorded": "2027-08-15T09:30:00Z", **fields}
    return "[[decision]]\n" + "".join(f"{k} = {v}\n" for k, v in values.items() if v)


def _parse(text: str) -> tuple[Any, tuple[DataError, ...]]:
    import tomllib

    return parse_register(tomllib.loads(text), "register.toml")


# -- each entry on its own -------------------------------------------------------------------------

BAD_ENTRIES = {
    "unknown municipality": (_decision(municipality='"9999"'), "unknown municipality number 9999"),
    "unknown county": ("[[decision]]\ncounty = '99'\nelection_year = 2027\n"
                       "recorded = 2027-08-15T09:30:00Z\n", "unknown county number 99"),
    "owner of the wrong type": (_decision(municipality="[1]"), "exactly one of"),
    "unknown key": (_decision(year="2027"), "unknown or wrong key 'year'"),
    "not an election year": (_decision(election_year="2026"), "not a municipal election year"),
    "election year as text": (_decision(election_year='"2027"'), "election_year (a number)"),
    "naive recorded": (_decision(recorded="2027-08-15T09:30:00"), "no time zone"),
    "recorded 9999 with an offset": (_decision(recorded="9999-12-31T23:00:00-05:00"),
                                     "recorded must be between 1970-01-01 and 9998-12-31"),
    "recorded 0001 with an offset": (_decision(recorded="0001-01-01T00:00:00+01:00"),
                                     "recorded must be between"),
    "recorded before the defaults": (_decision(recorded="1969-12-31T23:00:00Z"),
                                     "recorded must be between"),
    "recorded in 9999": (_decision(recorded="9999-06-01T00:00:00Z"), "recorded must be between"),
    "constituted not a date": (_decision(constituted='"soon"'), "must be a date"),
    "constituted in 9999": (_decision(constituted="9999-12-31"), "9999-12-31"),
    "election day in October": (_decision(election_day="2027-10-04"), "2027-10-04"),
    "meetings a path": (_decision(meetings='"../x.ics"'), "not a meeting-plan name"),
    "meetings not text": (_decision(meetings="5"), "unknown or wrong key 'meetings'"),
    "out of order": (_decision(recorded="2027-06-01T12:00:00Z"), "only grows forward"),
}


@pytest.mark.parametrize("case", BAD_ENTRIES, ids=str)
def test_a_bad_decision_is_left_out_and_named_and_the_others_serve(case: str) -> None:
    entry, message = BAD_ENTRIES[case]
    text = GOOD + BERGEN_DECISION + entry + GOOD.replace("2027-06-10T12", "2027-09-01T07")
    register, problems = _parse(text)
    assert len(problems) == 1, [str(p) for p in problems]
    line = str(problems[0])
    assert message in line and "register.toml, decision 3" in line and "\n" not in line
    for lang in LANGUAGES:
        assert "register.toml" in problems[0].in_language(lang)
    assert [s.recorded for s in register.history(STAVANGER, 2027)] == [
        T1, dt.datetime(2027, 9, 1, 7, 0, tzinfo=dt.UTC)]
    assert register.history(BERGEN, 2027)[0].constituted == dt.date(2027, 10, 21)


@pytest.mark.parametrize("case", BAD_ENTRIES, ids=str)
def test_the_start_check_refuses_the_same_decision_in_one_line(case: str, tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(GOOD + BERGEN_DECISION + BAD_ENTRIES[case][0], encoding="utf-8")
    with pytest.raises(PlanCycleError) as caught:
        load_register(path)
    assert BAD_ENTRIES[case][1] in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("patterns", "message"), [
    ('"../up.ics" = "^KF "', "not a meeting-plan name"),
    ('"plan.ics" = "("', "plan.ics"),
    ('"plan.ics" = "(a+)+$"', "plan.ics"),
    ('"plan.ics" = 5', "unknown or wrong key 'plan.ics'"),
])
def test_a_bad_meeting_pattern_is_left_out_and_the_others_serve(patterns: str,
                                                               message: str) -> None:
    text = f'[meeting_patterns]\n"good.ics" = "^KF "\n{patterns}\n\n' + GOOD
    register, problems = _parse(text)
    assert register.meeting_patterns == {"good.ics": "^KF "}
    assert len(problems) == 1 and message in str(problems[0])
    assert len(register.history(STAVANGER, 2027)) == 1


def test_a_wrong_top_level_is_reported_and_the_rest_serves() -> None:
    register, problems = _parse("meeting_patterns = 5\nextra = 1\n" + GOOD)
    assert {str(p).split("'")[1] for p in problems} == {"extra", "meeting_patterns"}
    assert len(register.history(STAVANGER, 2027)) == 1
    register, problems = _parse("decision = 5\n")
    assert register == EMPTY and "'decision'" in str(problems[0])


def test_a_county_decision_still_serves() -> None:
    register, problems = _parse(GOOD.replace('municipality = "1103"', 'county = "46"'))
    assert not problems and len(register.history(find_county("46"), 2027)) == 1


def test_a_deeply_nested_register_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text("decision = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="nested too deeply") as caught:
        load_register(path)
    assert "\n" not in str(caught.value)


# -- the server's view: the last good version serves ------------------------------------------


class _Clock:
    """Nanoseconds, moved by hand: the file looks quiet or just written as the test says."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now

    def quiet(self, path: Path) -> None:
        """Make ``path``'s last change long enough ago to be settled."""
        self.now = path.stat().st_mtime_ns + RACY_NS + 1

    def just_written(self, path: Path) -> None:
        self.now = path.stat().st_mtime_ns


def _watch(path: Path) -> tuple[RegisterFile, _Clock]:
    clock = _Clock()
    return RegisterFile(path, clock=clock), clock


def _lines(watched: RegisterFile) -> list[str]:
    return [problem.message("en") for problem in watched.take_problems()]


def test_a_good_register_serves_and_a_bad_entry_added_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(GOOD, encoding="utf-8")
    watched, clock = _watch(path)
    clock.quiet(path)
    stamp, register = watched.current()
    assert stamp is not None and len(register.history(STAVANGER, 2027)) == 1
    assert _lines(watched) == []
    path.write_text(GOOD + _decision(municipality='"9999"') + BERGEN_DECISION.replace(
        "2027-06-10T12", "2027-09-01T07"), encoding="utf-8")
    clock.quiet(path)
    for _ in range(5):
        again, register = watched.current()
    assert again != stamp
    assert len(register.history(BERGEN, 2027)) == 1  # the good decision after the bad one
    lines = _lines(watched)
    assert len(lines) == 1 and "register.toml, decision 2" in lines[0] and "9999" in lines[0]
    assert "left out" in lines[0]
    assert _lines(watched) == []  # once


@pytest.mark.parametrize("damage", ["broken", "deleted", "nested", "not a file", "too large",
                                    "unreadable"])
def test_a_damaged_register_keeps_the_last_good_version_with_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    path = tmp_path / "register.toml"
    path.write_text(GOOD, encoding="utf-8")
    watched, clock = _watch(path)
    clock.quiet(path)
    good = watched.current()
    if damage == "broken":
        path.write_text(GOOD + "[[decision]\n", encoding="utf-8")
    elif damage == "deleted":
        path.unlink()
    elif damage == "nested":
        path.write_text("decision = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    elif damage == "not a file":
        path.unlink()
        os.mkfifo(path)  # opening it for reading would block
    elif damage == "too large":
        monkeypatch.setattr(register_module, "MAX_REGISTER_BYTES", 10)
        path.write_text(GOOD + "\n", encoding="utf-8")
    else:
        path.chmod(0o000)
        if os.access(path, os.R_OK):  # root reads anything
            pytest.skip("running as root: every file is readable")
    if path.is_file():
        clock.quiet(path)
    for _ in range(20):
        assert watched.current() == good
    lines = _lines(watched)
    assert len(lines) == 1, lines
    assert "register.toml" in lines[0] and "last version" in lines[0] and "(1 decisions)" in lines[0]
    assert _lines(watched) == []
    monkeypatch.undo()
    if path.exists():
        path.chmod(0o644)
        path.unlink()
    path.write_text(GOOD + BERGEN_DECISION, encoding="utf-8")  # fixed: read again at once
    clock.quiet(path)
    stamp, register = watched.current()
    assert stamp != good[0] and len(register.history(BERGEN, 2027)) == 1
    assert _lines(watched) == []


def test_a_register_never_good_serves_the_defaults_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    watched, _ = _watch(path)
    for _ in range(3):
        assert watched.current() == (None, EMPTY)
    lines = _lines(watched)
    assert len(lines) == 1 and "does not exist" in lines[0] and "(0 decisions)" in lines[0]


def test_a_register_rewritten_in_place_within_one_tick_is_read_again(tmp_path: Path) -> None:
    """Same size, same inode, same modification time: only the bytes tell, so a file changed
    recently is compared again until it has been quiet."""
    path = tmp_path / "register.toml"
    path.write_text(GOOD, encoding="utf-8")
    watched, clock = _watch(path)
    clock.just_written(path)
    first, register = watched.current()
    assert register.history(STAVANGER, 2027)[0].constituted == dt.date(2027, 10, 19)
    stamp = path.stat()
    with path.open("r+b") as stream:  # rewritten in place, same length
        stream.write(GOOD.replace("2027-10-19", "2027-10-26").encode())
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == (
        stamp.st_size, stamp.st_mtime_ns, stamp.st_ino)
    second, register = watched.current()
    assert second != first  # another fingerprint: another cache key, another ETag
    assert register.history(STAVANGER, 2027)[0].constituted == dt.date(2027, 10, 26)


def test_a_half_written_register_is_neither_served_nor_reported_until_it_is_quiet(
        tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(GOOD, encoding="utf-8")
    watched, clock = _watch(path)
    clock.quiet(path)
    good = watched.current()
    half = GOOD + BERGEN_DECISION[: BERGEN_DECISION.index("recorded")]  # cut at a line end
    path.write_text(half, encoding="utf-8")
    clock.just_written(path)
    assert watched.current() == good and _lines(watched) == []
    path.write_text(GOOD + "[[decision]]\nmunici", encoding="utf-8")  # cut mid-line
    clock.just_written(path)
    assert watched.current() == good and _lines(watched) == []
    path.write_text(half, encoding="utf-8")  # the writer stopped there: now it is a problem
    clock.quiet(path)
    stamp, register = watched.current()
    assert stamp != good[0] and len(register.history(STAVANGER, 2027)) == 1
    lines = _lines(watched)
    assert len(lines) == 1 and "decision 2" in lines[0]


def test_a_register_dated_in_the_future_is_judged_at_once(tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(GOOD + _decision(municipality='"9999"'), encoding="utf-8")
    watched, clock = _watch(path)
    clock.now = path.stat().st_mtime_ns - 10 * RACY_NS  # the file's clock runs ahead of ours
    stamp, register = watched.current()
    assert stamp is not None and len(register.history(STAVANGER, 2027)) == 1
    assert len(_lines(watched)) == 1


def test_a_register_read_while_it_changes_is_not_taken(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "register.toml"
    path.write_text(GOOD, encoding="utf-8")
    watched, clock = _watch(path)
    clock.quiet(path)
    good = watched.current()
    path.write_text(GOOD + BERGEN_DECISION, encoding="utf-8")
    clock.quiet(path)
    real = register_module.read_register_bytes

    def torn(target: Path) -> tuple[bytes, os.stat_result]:
        raw, info = real(target)
        return raw[: len(raw) // 2], info  # fewer bytes than the file has: it was growing

    monkeypatch.setattr(register_module, "read_register_bytes", torn)
    assert watched.current() == good and _lines(watched) == []
    monkeypatch.setattr(register_module, "read_register_bytes", real)
    assert len(watched.current()[1].history(BERGEN, 2027)) == 1


def test_a_register_behind_a_symlink_to_a_device_is_refused_without_reading_it(
        tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.symlink_to("/dev/zero")
    watched, _ = _watch(path)
    assert watched.current() == (None, EMPTY)
    assert "not a regular file" in _lines(watched)[0]
    with pytest.raises(DataError, match="not a regular file"):
        load_register(path)


# -- through the server ----------------------------------------------------------------------------


def _get(app: Any, path: str) -> tuple[int, bytes, str]:
    """One GET straight into the WSGI callable: status, body and what it logged."""
    errors = io.StringIO()
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http",
               "wsgi.errors": errors}
    seen: dict[str, int] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen["status"] = int(status.split()[0])
        return lambda data: None

    body = b"".join(app(environ, start_response))
    return seen["status"], body, errors.getvalue()


def test_one_bad_decision_does_not_take_down_any_feed_and_is_logged_once(tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(GOOD + _decision(municipality='"9999"'), encoding="utf-8")
    os.utime(path, ns=(0, 0))  # long quiet
    app = make_app(FeedConfig(register=path))
    logged = ""
    for owner in ("/feeds/1103.ics", "/feeds/4601.ics", "/feeds/fylke/46.ics", "/feeds/1103.ics"):
        status, body, log = _get(app, owner)
        assert status == 200 and body.startswith(b"BEGIN:VCALENDAR"), (owner, status, body[:200])
        logged += log
    assert logged.count("\n") == 1 and "decision 2" in logged and "9999" in logged
    assert b"SEQUENCE:1" in _get(app, "/feeds/1103.ics")[1]  # the good decision still moves K


@pytest.mark.parametrize("damage", ["broken", "deleted", "nested"])
def test_a_damaged_register_keeps_every_feed_up_with_one_log_line(tmp_path: Path,
                                                                  damage: str) -> None:
    path = tmp_path / "register.toml"
    path.write_text(GOOD, encoding="utf-8")
    os.utime(path, ns=(0, 0))
    app = make_app(FeedConfig(register=path))
    status, good, _ = _get(app, "/feeds/1103.ics")
    assert status == 200
    if damage == "broken":
        path.write_text("decision = [", encoding="utf-8")
    elif damage == "deleted":
        path.unlink()
    else:
        path.write_text("decision = " + "[" * 50_000 + "]" * 50_000, encoding="utf-8")
    if path.exists():
        os.utime(path, ns=(10**9, 10**9))
    logged = ""
    for _ in range(30):
        status, body, log = _get(app, "/feeds/1103.ics")
        assert (status, body) == (200, good)  # the last good version, under its own ETag
        logged += log
    assert logged.count("\n") == 1 and "register.toml" in logged and "Traceback" not in logged
