"""Issue 14, items 7 and 8 (meeting plans): no input file or pattern can hang, overflow or
end in a traceback; recurrences are expanded in a window, with a bound on work, and moved or
cancelled meetings are where their overrides put them.

Work is measured, not time: the tests count how often dateutil's rule iterator rebuilds its
month masks (it does so at least once for every month it steps through), and the hostile
files are also read in a subprocess with a generous timeout, as a guard against a hang.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dateutil import rrule as dateutil_rrule

from plancycle import meetings
from plancycle.cli import run
from plancycle.errors import DataError, InputError
from plancycle.meetings import compile_pattern, load_meeting_plan, term_window

FIXTURES = Path(__file__).parent / "fixtures" / "meetings"
D = dt.date.fromisoformat
WINDOW = term_window(2027)
IMPOSSIBLE = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"


def event(uid: str, start: str, summary: str = "Kommunestyret", *extra: str) -> str:
    lines = [f"UID:{uid}", "DTSTAMP:20270101T000000Z", f"DTSTART:{start}", f"SUMMARY:{summary}"]
    return "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in (*lines, *extra)) + "END:VEVENT\r\n"


def calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//x//EN\r\n" + "".join(events) + \
        "END:VCALENDAR\r\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the month steps of every dateutil rule iterator (``_iterinfo.rebuild`` calls)."""
    counter = [0]
    original: Any = dateutil_rrule._iterinfo.rebuild  # type: ignore[attr-defined]

    def counting(self: Any, year: int, month: int) -> None:
        counter[0] += 1
        original(self, year, month)

    monkeypatch.setattr(dateutil_rrule._iterinfo, "rebuild", counting)  # type: ignore[attr-defined]
    yield counter


def one_line(exc: BaseException, *parts: str) -> None:
    message = exc.in_language("en") if isinstance(exc, DataError | InputError) else str(exc)
    assert "\n" not in message and "Traceback" not in message
    for part in parts:
        assert part in message, message


# -- recurrence: bounded work ------------------------------------------------------------------

def test_an_impossible_rule_takes_work_bounded_by_the_window(tmp_path: Path,
                                                             rebuilds: list[int]) -> None:
    path = write(tmp_path, "impossible.ics",
                 calendar(event("i1", "20271214T170000", "Kommunestyret", f"RRULE:{IMPOSSIBLE}")))
    plan = load_meeting_plan(path, window=WINDOW)
    assert plan.dates == (D("2027-12-14"),)  # DTSTART is always an occurrence
    months = (WINDOW[1].year - 2027) * 12 + 12
    # dateutil alone would step through every month to the year 9999 (95,000 of them)
    assert 0 < rebuilds[0] <= months + 10
    rebuilds[0] = 0
    load_meeting_plan(path)  # without a window: MAX_RECURRENCE_YEARS from the start
    assert 0 < rebuilds[0] <= meetings.MAX_RECURRENCE_YEARS * 12 + 20


def test_fifty_impossible_rules_share_one_budget(tmp_path: Path, rebuilds: list[int]) -> None:
    events = [event(f"i{n}", "20271214T170000", "Kommunestyret", f"RRULE:{IMPOSSIBLE}")
              for n in range(50)]
    path = write(tmp_path, "fifty.ics", calendar(*events))
    assert len(path.read_bytes()) < 8000
    assert load_meeting_plan(path, window=WINDOW).dates == (D("2027-12-14"),)
    assert rebuilds[0] <= 50 * 100
    rebuilds[0] = 0
    load_meeting_plan(path)
    assert rebuilds[0] <= meetings.MAX_FILE_MONTHS + 50 * 5


def test_a_secondly_rule_with_exdates_is_not_expanded(tmp_path: Path, rebuilds: list[int]) -> None:
    exdates = [f"EXDATE:2027121{d}T1700{s:02d}" for d in range(5, 10) for s in range(20)]
    path = write(tmp_path, "secondly.ics",
                 calendar(event("s1", "20271214T170000", "Kommunestyret", "RRULE:FREQ=SECONDLY",
                                *exdates)))
    plan = load_meeting_plan(path, lang="en", window=WINDOW)
    assert plan.dates == (D("2027-12-14"),)
    assert any("more often than daily" in w for w in plan.warnings)
    assert rebuilds[0] <= 5


def test_a_rule_with_thousands_of_times_a_day_is_one_line(tmp_path: Path,
                                                         rebuilds: list[int]) -> None:
    minutes = ",".join(map(str, range(60)))
    rule = f"RRULE:FREQ=DAILY;BYHOUR={','.join(map(str, range(24)))};BYMINUTE={minutes}"
    path = write(tmp_path, "often.ics",
                 calendar(event("t1", "20260101T000000", "Kommunestyret", rule)))
    with pytest.raises(DataError) as caught:
        load_meeting_plan(path, window=WINDOW)
    one_line(caught.value, "often.ics", f"more than {meetings.MAX_MEETINGS} meetings")
    assert rebuilds[0] <= 5


def test_a_rule_that_starts_long_before_the_window_is_cut_with_a_warning(
        tmp_path: Path, rebuilds: list[int]) -> None:
    path = write(tmp_path, "old.ics",
                 calendar(event("o1", "19300107T170000", "Kommunestyret", "RRULE:FREQ=WEEKLY")))
    plan = load_meeting_plan(path, lang="en", window=WINDOW)
    assert plan.meetings == ()  # the file is right; the term just has none of its meetings
    assert any("need more work than allowed" in w for w in plan.warnings)
    assert rebuilds[0] <= meetings.MAX_RULE_MONTHS + 5


def test_hostile_calendars_finish_in_a_subprocess(tmp_path: Path) -> None:
    """A guard against a hang, not a speed test: the timeout is generous."""
    minutes = ",".join(map(str, range(60)))
    files = {
        "impossible.ics": calendar(event("i", "20271214T170000", "Bystyret", f"RRULE:{IMPOSSIBLE}")),
        "fifty.ics": calendar(*[event(f"i{n}", "20271214T170000", "Bystyret", f"RRULE:{IMPOSSIBLE}")
                                for n in range(50)]),
        "secondly.ics": calendar(event("s", "20271214T170000", "Bystyret", "RRULE:FREQ=SECONDLY",
                                       *[f"EXDATE:20271214T1700{s:02d}" for s in range(60)])),
        "monthly.ics": calendar(event("m", "20271214T170000", "Bystyret",
                                      "RRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=3")),
        "often.ics": calendar(event("t", "20260101T000000", "Bystyret",
                                    f"RRULE:FREQ=DAILY;BYMINUTE={minutes};BYSECOND={minutes}")),
    }
    for name, text in files.items():
        write(tmp_path, name, text)
    script = (
        "import sys\n"
        "from plancycle.errors import DataError\n"
        "from plancycle.meetings import load_meeting_plan, term_window\n"
        "for name in sys.argv[1:]:\n"
        "    for window in (None, term_window(2027)):\n"
        "        try:\n"
        "            load_meeting_plan(name, window=window)\n"
        "        except DataError as exc:\n"
        "            print(exc)\n"
        "print('done')\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *files], cwd=tmp_path, timeout=240,
                          capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "done" and "Traceback" not in done.stderr


# -- recurrence: overrides, cancellations, the window ------------------------------------------

def test_a_moved_meeting_is_on_its_new_date_only_and_cancelled_ones_nowhere(tmp_path: Path) -> None:
    path = write(tmp_path, "moved.ics", calendar(
        event("r1", "20280110T170000", "Bystyret", "RRULE:FREQ=MONTHLY;COUNT=6",
              "EXDATE:20280410T170000"),
        event("r1", "20280220T170000", "Bystyret (flyttet)", "RECURRENCE-ID:20280210T170000",
              "SEQUENCE:1"),
        event("r1", "20280310T170000", "Bystyret", "RECURRENCE-ID:20280310T170000",
              "STATUS:CANCELLED"),
        event("c1", "20280801T170000", "Bystyret", "RRULE:FREQ=WEEKLY;COUNT=4",
              "STATUS:CANCELLED"),
        event("x1", "20280901T170000", "Bystyret (avlyst)", "STATUS:CANCELLED"),
    ))
    plan = load_meeting_plan(path, window=WINDOW)
    assert plan.dates == (D("2028-01-10"), D("2028-02-20"), D("2028-05-10"), D("2028-06-10"))
    assert {m.title for m in plan.meetings} == {"Bystyret", "Bystyret (flyttet)"}
    assert plan.warnings == ()


def test_an_endless_rule_is_expanded_within_the_window_only(tmp_path: Path) -> None:
    path = write(tmp_path, "weekly.ics", calendar(
        event("w1", "20260105T170000", "Kommunestyret", "RRULE:FREQ=MONTHLY"),
        event("s1", "20400101T170000", "Kommunestyret"),  # a single meeting is taken anywhere
    ))
    plan = load_meeting_plan(path, window=(D("2027-01-01"), D("2027-12-31")))
    assert plan.dates == (*(dt.date(2027, month, 5) for month in range(1, 13)), D("2040-01-01"))
    default = load_meeting_plan(path).dates  # no window: ten years from the series' start
    assert default[0] == D("2026-01-05") and D("2035-12-05") in default
    assert D("2036-02-05") not in default


def test_the_window_is_checked() -> None:
    for window in ((D("2028-01-01"), D("2027-01-01")), (D("1800-01-01"), D("2027-01-01"))):
        with pytest.raises(InputError) as caught:
            load_meeting_plan(FIXTURES / "plan.csv", window=window)
        one_line(caught.value, "period")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.ics")))
def test_every_fixture_reads_the_same_in_its_term_window(name: str) -> None:
    pattern = "^KF " if name.startswith("simrishamn") else None
    plain = load_meeting_plan(FIXTURES / name, pattern)
    windowed = load_meeting_plan(FIXTURES / name, pattern, window=term_window(2027))
    assert plain.dates == windowed.dates and plain.dates


# -- reading only regular files, with the size counted while reading ---------------------------

def _in_thread(function: Any, *args: Any) -> BaseException | None:
    """Call ``function``; the exception it raised. Fails if it does not return in 30 s."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            function(*args)
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(30)
    assert outcome, f"{function.__name__} blocked"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_ics_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.ics"
    os.mkfifo(fifo)
    caught = _in_thread(load_meeting_plan, fifo)
    assert isinstance(caught, DataError)
    one_line(caught, "plan.ics", "not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.ics"
    link.symlink_to("/dev/zero")
    caught = _in_thread(load_meeting_plan, link)
    assert isinstance(caught, DataError)
    one_line(caught, "zero.ics", "not a regular file")


def test_a_folder_named_ics_is_refused(tmp_path: Path) -> None:
    (tmp_path / "folder.ics").mkdir()
    with pytest.raises(DataError) as caught:
        load_meeting_plan(tmp_path / "folder.ics")
    one_line(caught.value, "folder.ics", "not a regular file")


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="no /proc here")
def test_the_size_limit_holds_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # /proc files are regular files of size 0 that read as more: only counting the bytes read
    # can stop them (as it stops a file that grows after its size was checked)
    link = tmp_path / "status.csv"
    link.symlink_to("/proc/self/status")
    assert link.stat().st_size == 0
    monkeypatch.setattr(meetings, "MAX_BYTES", 64)
    with pytest.raises(DataError) as caught:
        load_meeting_plan(link)
    one_line(caught.value, "status.csv", "larger than 64 bytes")


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meetings, "MAX_BYTES", 64)
    path = write(tmp_path, "big.csv", "date\n" + "2027-12-14\n" * 20)
    with pytest.raises(DataError) as caught:
        load_meeting_plan(path)
    one_line(caught.value, "big.csv", "at most 64 bytes")


def test_names_the_file_system_refuses_are_one_line(tmp_path: Path) -> None:
    for path, expected in ((tmp_path / ("x" * 300 + ".csv"), "cannot be read"),
                           (tmp_path / "nul\x00.csv", "cannot be read")):
        with pytest.raises(DataError) as caught:
            load_meeting_plan(path)
        one_line(caught.value, expected)


# -- values that overflow or recurse -----------------------------------------------------------

FAR = {
    "far.csv": "date\n2027-12-14\n9999-12-31\n",
    "far.toml": "meetings = [2027-12-14, 9999-12-31]\n",
    "far-table.toml": "[[meeting]]\ndate = 9999-12-31T23:59:59-01:00\ntitle = 'x'\n",
    "far.ics": calendar(event("far", "99991231", "Kommunestyret")),
    "far-rule.ics": calendar(event("far", "99991231T170000", "Kommunestyret",
                                   "RRULE:FREQ=DAILY")),
    "early.csv": "date\n0001-01-01\n",
}


@pytest.mark.parametrize("name", sorted(FAR))
def test_a_date_far_out_is_one_line(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, FAR[name])
    with pytest.raises(DataError) as caught:
        load_meeting_plan(path, window=WINDOW)
    one_line(caught.value, name, "outside the years 1900–2199")


def test_a_date_far_out_exits_2_on_the_cli(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "far.csv", FAR["far.csv"])
    code = run(["ics", "--election-year", "2027", "--municipality", "1103", "--meetings",
                str(path), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "9999-12-31" in err and "Traceback" not in err


def test_a_csv_field_over_128_kb_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "long.csv", "date,title\n2027-12-14," + "x" * 140_000 + "\n")
    with pytest.raises(DataError) as caught:
        load_meeting_plan(path)
    one_line(caught.value, "long.csv", "line 2", "not valid CSV")


def test_deeply_nested_toml_and_ics_are_one_line(tmp_path: Path) -> None:
    toml = write(tmp_path, "deep.toml", "meetings = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(DataError) as caught:
        load_meeting_plan(toml)
    one_line(caught.value, "deep.toml", "too deeply")
    ics = write(tmp_path, "deep.ics", "BEGIN:VCALENDAR\n" + "BEGIN:X\n" * 5000 + "END:X\n" * 5000
                + "END:VCALENDAR\n")
    with pytest.raises(DataError) as caught:
        load_meeting_plan(ics)
    one_line(caught.value, "deep.ics", "deeper than")


def test_too_many_meetings_is_one_line(tmp_path: Path) -> None:
    days = (dt.date(2027, 1, 1) + dt.timedelta(days=n) for n in range(meetings.MAX_MEETINGS + 1))
    path = write(tmp_path, "daily.csv", "date\n" + "".join(f"{d}\n" for d in days))
    with pytest.raises(DataError) as caught:
        load_meeting_plan(path)
    one_line(caught.value, "daily.csv", f"more than {meetings.MAX_MEETINGS}")


def test_broken_recurrence_properties_are_warnings(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.ics", calendar(
        event("b1", "20280110T170000", "Bystyret", "RRULE:FREQ=MONTHLY;COUNT=3",
              "EXDATE:garbage"),
        event("b2", "20280301T170000", "Bystyret", "RRULE:FREQ=SOMETIMES"),
        event("b3", "2028-04-01", "Bystyret"),
    ))
    plan = load_meeting_plan(path, lang="en", window=WINDOW)
    assert plan.dates == (D("2028-01-10"), D("2028-02-10"), D("2028-03-01"), D("2028-03-10"))
    text = " ".join(plan.warnings)
    assert "not iCalendar properties" in text and "without a readable DTSTART" in text


# -- the pattern -------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, expected", [
    ("(a+)+$", "exponential"), ("(a|ab)*c", "exponential"), ("(?:x*)*", "exponential"),
    ("(?>a+)+", "exponential"), (r"\s*\s*\s*x", "at most 2"), (".*.*.*", "at most 2"),
    (r"(x)\1", "back-reference"), ("(?P<a>x)(?P=a)", "back-reference"),
    ("(x)?(?(1)y|z)", "back-reference"), ("x" * 201, "at most 200"),
])
def test_catastrophic_patterns_are_refused(pattern: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        compile_pattern(pattern)
    one_line(caught.value, expected)


@pytest.mark.parametrize("pattern", [
    None, "^KF ", "kommunestyre|bystyre|fylkesting", "Bystyret( – budsjettmøte)?",
    r"^KF\s+\w+", "(a|b)+", "møte i (kommune|by)styret", "[a-z]+(?:x|y)",
])
def test_ordinary_patterns_are_taken(pattern: str | None) -> None:
    compile_pattern(pattern)


def test_a_catastrophic_pattern_exits_2_on_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["ics", "--election-year", "2027", "--municipality", "1103", "--meetings",
                str(FIXTURES / "plan.csv"), "--meeting-pattern", "(a+)+$", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "exponential" in err


def test_the_pattern_is_searched_in_the_first_characters_of_a_title(tmp_path: Path) -> None:
    padding = "x" * meetings.MAX_TITLE
    path = write(tmp_path, "titles.csv",
                 f"date,title\n2027-12-14,Bystyret\n2028-03-15,{padding} Bystyret\n")
    assert load_meeting_plan(path, "bystyret").dates == (D("2027-12-14"),)


# -- the messages ------------------------------------------------------------------------------

def test_new_messages_read_in_three_languages(tmp_path: Path) -> None:
    path = write(tmp_path, "far.csv", FAR["far.csv"])
    with pytest.raises(DataError) as caught:
        load_meeting_plan(path)
    texts = {lang: caught.value.in_language(lang) for lang in ("nb", "nn", "en")}
    assert len(set(texts.values())) == 3 and all("9999-12-31" in t for t in texts.values())
