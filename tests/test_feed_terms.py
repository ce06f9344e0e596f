"""Followed terms in the feeds: ``serve --terms-dir`` and ``publish --terms-dir`` answer a term
file's calendar instead of the plan feed of its owner and year; a bad term file is named once and
the other feeds serve as before."""

from __future__ import annotations

import datetime as dt
import http.client
import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from plancycle.cli import run
from plancycle.commands import publish
from plancycle.feed import FeedConfig, application, make_app, serve_in_thread
from plancycle.feed.terms import load_terms
from plancycle.term_calendar import term_to_ical
from plancycle.termfile import load_term

STAVANGER_TERM = """\
election_year = 2027
municipality = "1103"

[[fact]]
milestone = "election.constituent_meeting"
date = 2027-10-19
recorded = 2027-10-20T08:00:00Z

[[fact]]
milestone = "planstrategi.adopted"
date = 2028-03-09
recorded = 2028-03-10T08:00:00Z
source = "https://stavanger.kommune.no/sak/2028-17"
"""

VESTLAND_TERM = """\
election_year = 2027
county = "46"

[[fact]]
milestone = "election.constituent_meeting"
date = 2027-10-19
recorded = 2027-10-20T08:00:00Z
"""

BROKEN = {
    "broken.toml": "election_year = [\n",
    "unknown.toml": 'election_year = 2027\nmunicipality = "9999"\n',
    "outside.toml": ('election_year = 2027\nmunicipality = "5001"\n[[fact]]\n'
                     'milestone = "planstrategi.adopted"\ndate = 2035-01-01\n'),
    "zz-stavanger-again.toml": STAVANGER_TERM,
}
ADOPTED = "k1103-t2027-planstrategi.adopted@plancycle.no"


@pytest.fixture()
def terms_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "terms"
    folder.mkdir()
    (folder / "stavanger.toml").write_text(STAVANGER_TERM, encoding="utf-8")
    (folder / "vestland.toml").write_text(VESTLAND_TERM, encoding="utf-8")
    for name, text in BROKEN.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "notes.txt").write_text("not a term file\n", encoding="utf-8")
    return folder


def wsgi(app: Any, path: str, query: str = "") -> tuple[int, bytes, str]:
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    log = io.StringIO()
    environ["wsgi.errors"] = log
    seen: list[str] = []
    body = b"".join(app(environ, lambda status, headers, exc=None: seen.append(status)))
    return int(seen[0].split()[0]), body, log.getvalue()


def fetch(host: str, target: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, timeout=30)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _named(log: str) -> list[str]:
    """The term files a log names as left out, one line each."""
    names = [re.search(r"term file (\S+) is not used", line) for line in log.splitlines()]
    assert all(names), log
    return sorted(match.group(1) for match in names if match)


def _events(data: bytes) -> dict[str, Any]:
    IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_bad_term_files_are_left_out_each_with_one_line_naming_it(terms_dir: Path) -> None:
    index = load_terms(terms_dir)
    assert sorted(index.terms) == [("f46", 2027), ("k1103", 2027)]
    lines = {p.file: p.message("en") for p in index.problems}
    assert sorted(lines) == sorted(BROKEN)
    for name, line in lines.items():
        assert line.startswith(f"term file {name} is not used: ") and "\n" not in line
    assert "unknown municipality number 9999" in lines["unknown.toml"]
    assert "not valid TOML" in lines["broken.toml"]
    assert "outside the term" in lines["outside.toml"]
    assert "stavanger.toml is already the term file" in lines["zz-stavanger-again.toml"]
    assert "er ikke brukt" in index.problems[0].message("nb")


def test_a_term_file_replaces_the_plan_feed_of_its_owner_and_year(terms_dir: Path) -> None:
    app = make_app(FeedConfig(terms_dir=terms_dir))
    status, body, log = wsgi(app, "/feeds/1103.ics")
    assert status == 200
    assert body == term_to_ical(load_term(terms_dir / "stavanger.toml"))
    adopted = _events(body)[ADOPTED]
    assert adopted.decoded("DTSTART") == dt.date(2028, 3, 9)
    assert str(adopted["SUMMARY"]).endswith("– vedtatt 9. mars 2028")
    assert adopted.decoded("DTSTAMP") == dt.datetime(2028, 3, 10, 8, tzinfo=dt.UTC)
    # the broken files are logged once, by name, on the first request that reads the folder
    assert _named(log) == sorted(BROKEN)
    assert wsgi(app, "/feeds/1103.ics")[2] == ""
    # lang and alarms apply; another term year, other owners and broken owners: the plan
    english = wsgi(app, "/feeds/1103.ics", "lang=en&alarms=7")[1]
    assert english == term_to_ical(load_term(terms_dir / "stavanger.toml"), lang="en",
                                   alarms=(7,))
    for path, query in (("/feeds/1103.ics", "election=2023"), ("/feeds/5001.ics", ""),
                        ("/feeds/4601.ics", "lang=nn")):
        assert wsgi(app, path, query)[1] == wsgi(application, path, query)[1], (path, query)
    county = _events(wsgi(app, "/feeds/fylke/46.ics")[1])
    assert county["f46-t2027-election.constituent_meeting@plancycle.no"].decoded(
        "DTSTART") == dt.date(2027, 10, 19)


def test_an_edited_term_file_reaches_the_next_request(terms_dir: Path) -> None:
    (terms_dir / "zz-stavanger-again.toml").unlink()  # it would serve once the first breaks
    app = make_app(FeedConfig(terms_dir=terms_dir, cache_size=16))
    before = _events(wsgi(app, "/feeds/1103.ics")[1])[ADOPTED]
    path = terms_dir / "stavanger.toml"
    path.write_text(STAVANGER_TERM.replace("2028-03-09", "2028-03-16").replace(
        "2028-03-10T08", "2028-03-17T08"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different fingerprint even within the clock's resolution
    after = _events(wsgi(app, "/feeds/1103.ics")[1])[ADOPTED]
    assert after.decoded("DTSTART") == dt.date(2028, 3, 16)
    assert (after["SEQUENCE"], after.decoded("DTSTAMP")) > (before["SEQUENCE"],
                                                             before.decoded("DTSTAMP"))
    path.write_text("election_year = \n", encoding="utf-8")  # broken now: the plan, logged
    status, body, log = wsgi(app, "/feeds/1103.ics")
    assert status == 200 and body == wsgi(application, "/feeds/1103.ics")[1]
    assert "stavanger.toml is not used" in log


def test_today_flags_overdue_milestones_of_followed_terms(terms_dir: Path) -> None:
    app = make_app(FeedConfig(terms_dir=terms_dir, today=dt.date(2028, 4, 1)))
    events = _events(wsgi(app, "/feeds/1103.ics", "lang=en")[1])
    summary = str(events["k1103-t2027-action_economy_plan.2028.accounts_presented@plancycle.no"]
                  ["SUMMARY"])
    assert summary.startswith("⚠ ") and summary.endswith(" – overdue")
    plan = wsgi(app, "/feeds/4601.ics")[1]  # a plan feed is not followed: nothing flagged
    assert b"forfalt" not in plan and plan == wsgi(application, "/feeds/4601.ics")[1]


def test_a_clock_given_to_the_feed_is_asked_at_each_request(terms_dir: Path) -> None:
    days = iter([dt.date(2027, 1, 2), dt.date(2028, 4, 1)])
    app = make_app(FeedConfig(terms_dir=terms_dir, clock=lambda: next(days)))
    uid = "k1103-t2027-action_economy_plan.2028.accounts_presented@plancycle.no"
    before = str(_events(wsgi(app, "/feeds/1103.ics", "lang=en")[1])[uid]["SUMMARY"])
    after = str(_events(wsgi(app, "/feeds/1103.ics", "lang=en")[1])[uid]["SUMMARY"])
    assert not before.endswith(" – overdue") and after.endswith(" – overdue")


def test_the_register_keeps_being_read_for_owners_without_a_term_file(terms_dir: Path,
                                                                     tmp_path: Path) -> None:
    register = tmp_path / "register.toml"
    register.write_text('[[decision]]\nmunicipality = "4601"\nelection_year = 2027\n'
                        'recorded = 2027-06-10T12:00:00Z\nconstituted = 2027-10-26\n'
                        '[[decision]]\nmunicipality = "1103"\nelection_year = 2027\n'
                        'recorded = 2027-06-10T12:00:00Z\nconstituted = 2027-10-26\n')
    app = make_app(FeedConfig(terms_dir=terms_dir, register=register))
    bergen = _events(wsgi(app, "/feeds/4601.ics")[1])
    assert bergen["k4601-t2027-election.constituent_meeting@plancycle.no"]["SEQUENCE"] == 1
    assert wsgi(app, "/feeds/1103.ics")[1] == term_to_ical(load_term(terms_dir / "stavanger.toml"))


@pytest.fixture()
def server(terms_dir: Path) -> Iterator[str]:
    httpd, thread = serve_in_thread(make_app(FeedConfig(terms_dir=terms_dir, cache_size=8)))
    yield f"127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_the_server_serves_followed_terms_and_survives_a_broken_term_file(
        server: str, terms_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, body = fetch(server, "/feeds/1103.ics")
    assert status == 200 and "✓" in str(_events(body)[ADOPTED]["SUMMARY"])
    assert fetch(server, "/feeds/5001.ics") == (200, wsgi(application, "/feeds/5001.ics")[1])
    (terms_dir / "trondheim.toml").write_text('election_year = 2027\nmunicipality = "5001"\n'
                                              'model = "agile"\n', encoding="utf-8")
    for target in ("/feeds/1103.ics", "/feeds/5001.ics", "/feeds/fylke/46.ics", "/healthz"):
        assert fetch(server, target)[0] == 200, target
    assert fetch(server, "/feeds/1103.ics")[1] == body
    assert "term file trondheim.toml is not used" in capsys.readouterr().err


def test_serve_command_with_terms_dir_over_http(terms_dir: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "plancycle", "serve", "--port", "0", "--quiet", "--lang",
               "en", "--terms-dir", str(terms_dir), "--today", "2028-04-01",
               "--database", f"sqlite:///{tmp_path / 'service.db'}"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        lines = []
        while not (line := process.stderr.readline()).startswith("plancycle: serving"):
            assert line, "".join(lines)
            lines.append(line)
        assert _named("".join(lines)) == sorted(BROKEN)
        host = line.split("http://")[1].split("/")[0]
        status, body = fetch(host, "/feeds/1103.ics?lang=en")
        assert status == 200
        assert body == term_to_ical(load_term(terms_dir / "stavanger.toml"), lang="en",
                                    today=dt.date(2028, 4, 1))
        assert fetch(host, "/feeds/9999.ics")[0] == 404
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()


@pytest.mark.parametrize("command", ["serve", "publish"])
@pytest.mark.parametrize(("argv", "message"), [
    (["--terms-dir", "{missing}"], "--terms-dir {missing} is not a folder"),
    (["--today", "1.4.2028"], "--today 1.4.2028 is not a date"),
])
def test_bad_terms_options_are_refused_at_start(command: str, argv: list[str], message: str,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    more = ["--election-year", "2027", "--out-dir", str(tmp_path)] if command == "publish" else []
    missing = str(tmp_path / "missing")  # a folder that does not exist
    argv = [a.replace("{missing}", missing) for a in argv]
    assert run([command, *more, "--lang", "en", *argv]) == 2
    assert message.replace("{missing}", missing) in capsys.readouterr().err


def test_publish_writes_the_followed_terms_and_names_the_bad_files(
        terms_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(publish, "owners", lambda: [("k", "1103"), ("k", "5001"), ("f", "46")])
    out = tmp_path / "site"
    assert run(["publish", "--election-year", "2027", "--out-dir", str(out), "--jobs", "2",
                "--lang", "en", "--terms-dir", str(terms_dir), "--today", "2028-04-01"]) == 0
    err = capsys.readouterr().err
    for name in BROKEN:
        assert f"term file {name} is not used" in err
    stavanger = (out / "feeds/1103.ics").read_bytes()
    assert stavanger == term_to_ical(load_term(terms_dir / "stavanger.toml"),
                                     today=dt.date(2028, 4, 1), lang="en")
    served = wsgi(make_app(FeedConfig(terms_dir=terms_dir, today=dt.date(2028, 4, 1))),
                  "/feeds/1103.ics", "lang=en")[1]
    assert served == stavanger  # the bytes the server answers
    assert (out / "feeds/5001.ics").read_bytes() == wsgi(application, "/feeds/5001.ics",
                                                         "lang=en")[1]
    assert b"f46-t2027-election.constituent_meeting" in (out / "feeds/fylke/46.ics").read_bytes()
