"""Static publishing: every municipality's and county's feed plus the index, for any web host."""

from __future__ import annotations

import io
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from plancycle.cli import run
from plancycle.commands import publish
from plancycle.commands.publish import Progress, feed_path, owners, publish_feeds
from plancycle.feed import FeedConfig, FeedOptions, make_app
from plancycle.municipalities import municipalities

FIXTURES = Path(__file__).parent / "fixtures" / "meetings"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    assert run(["publish", "--election-year", "2027", "--out-dir", str(out), "--jobs", "2",
                "--quiet"]) == 0
    return out


def test_every_feed_and_the_index_are_written_and_nothing_else(published: Path) -> None:
    files = sorted(p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file())
    assert len(owners()) == len(municipalities()) + 14 == 371
    assert len(files) == 371 + 1 and "index.html" in files
    assert "feeds/1103.ics" in files and "feeds/fylke/46.ics" in files
    assert not [f for f in files if f.endswith(".tmp") or "/." in f]  # no temporary files left


def _parse_both(data: bytes) -> int:
    events = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert len(strict.events) == len(events)
    return len(events)


def test_every_published_feed_parses_with_icalendar_and_strict_ical(published: Path) -> None:
    """Each feed's own header (its name) is parsed on its own; the events, which differ between
    owners of a kind only in the owner number of their UIDs, are parsed in full once per
    distinct byte sequence (equal bytes parse equally): every feed is covered, in seconds."""
    bodies: dict[bytes, bytes] = {}
    for kind, number in owners():
        data = feed_path(published, (kind, number)).read_bytes()
        head, _, events = data.partition(b"BEGIN:VEVENT\r\n")
        assert _parse_both(head + b"END:VCALENDAR\r\n") == 0
        uids = events.count(b"\r\nUID:")
        assert uids == events.count(f"\r\nUID:{kind if kind == 'k' else 'f'}{number}-t2027-".encode())
        generic = events.replace(f"UID:{kind}{number}-".encode(), f"UID:{kind}{'X' * len(number)}-".encode())
        bodies.setdefault(generic, data)
    assert len(bodies) == 2  # one event sequence for the municipalities, one for the counties
    for data in bodies.values():
        assert _parse_both(data) > 50


def test_published_bytes_equal_what_the_server_answers(published: Path) -> None:
    app = make_app(FeedConfig())
    for path in ("feeds/1103.ics", "feeds/0301.ics", "feeds/fylke/46.ics", "feeds/5501.ics"):
        environ: dict[str, object] = {"REQUEST_METHOD": "GET", "PATH_INFO": "/" + path}
        setup_testing_defaults(environ)
        statuses: list[str] = []
        body = b"".join(app(environ, lambda status, headers, exc=None, seen=statuses:
                            seen.append(status)))
        assert statuses == ["200 OK"] and body == (published / path).read_bytes(), path


def test_one_process_gives_the_same_bytes_as_several(published: Path, tmp_path: Path) -> None:
    sample = [("k", "1103"), ("k", "4601"), ("f", "46"), ("f", "11")]
    for folder in ("feeds/fylke",):
        (tmp_path / folder).mkdir(parents=True)
    progress = Progress(len(sample), io.StringIO(), enabled=False)
    publish_feeds(FeedConfig(election_year=2027, cache_size=0), FeedOptions(election_year=2027),
                  tmp_path, sample, 1, progress)
    for owner in sample:
        assert feed_path(tmp_path, owner).read_bytes() == feed_path(published, owner).read_bytes()
    assert progress.done == len(sample)


def test_static_index_links_relative_feeds_and_filters_in_the_browser(published: Path) -> None:
    page = (published / "index.html").read_text(encoding="utf-8")
    assert page.count("<tr data-search=") == 371
    assert 'href="feeds/1103.ics"' in page and 'href="feeds/fylke/46.ics"' in page
    assert 'data-path="feeds/1103.ics" hidden' in page  # webcal link filled in by the script
    assert "<form method=\"get\" role=\"search\" data-static>" in page
    assert '<select id="model"' not in page  # options are fixed when publishing


def test_base_url_alarms_and_meeting_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "owners", lambda: [("k", "4601"), ("f", "46")])
    register = tmp_path / "register.toml"
    register.write_text('[[decision]]\nmunicipality = "4601"\nelection_year = 2027\n'
                        'recorded = 2027-06-10T12:00:00Z\nconstituted = 2027-10-21\n'
                        'meetings = "portal-2027-2029.ics"\n')
    out = tmp_path / "site"
    assert run(["publish", "--election-year", "2027", "--out-dir", str(out), "--jobs", "2",
                "--quiet", "--alarms", "7", "--base-url", "https://plan.example.no",
                "--meetings-dir", str(FIXTURES), "--register", str(register)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<tr data-search=") == 371  # the index lists every feed all the same
    assert sorted(p.name for p in (out / "feeds").rglob("*.ics")) == ["46.ics", "4601.ics"]
    assert 'href="webcal://plan.example.no/feeds/4601.ics"' in page
    assert 'href="https://plan.example.no/feeds/4601.ics"' in page
    bergen = (out / "feeds/4601.ics").read_bytes()
    assert b"TRIGGER:-P6DT15H" in bergen
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(bergen).walk("VEVENT")}
    adopted = events["k4601-t2027-planstrategi.adopted@plancycle.no"]
    assert str(adopted.decoded("DTSTART")) == "2028-03-15" and adopted["SEQUENCE"] == 1


def test_progress_is_one_rewritten_line_and_silent_when_off() -> None:
    stream = io.StringIO()
    progress = Progress(3, stream, enabled=True)
    progress.advance(2)
    progress.advance(1)
    progress.finish()
    assert stream.getvalue() == "\rplancycle publish: 2/3\rplancycle publish: 3/3\n"
    quiet = io.StringIO()
    Progress(3, quiet, enabled=False).advance(3)
    assert quiet.getvalue() == ""


def test_not_a_terminal_means_no_progress(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["publish", "--election-year", "2027", "--out-dir", str(tmp_path),
                "--meetings-dir", str(tmp_path / "missing"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a folder" in err and "\r" not in err


@pytest.mark.parametrize(("args", "expected"), [
    (["--jobs", "0"], "not a positive number"),
    (["--alarms", "7,x"], "not a list of days"),
    (["--election-year", "2026"], "not a municipal election year"),
])
def test_bad_publish_options_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          args: list[str], expected: str) -> None:
    base = ["publish", "--election-year", "2027", "--out-dir", str(tmp_path), "--lang", "en"]
    assert run([*base, *args]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_out_dir_that_is_a_file_is_refused(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "site"
    blocker.write_text("not a folder")
    assert run(["publish", "--election-year", "2027", "--out-dir", str(blocker), "--lang",
                "en"]) == 2
    assert "cannot be used" in capsys.readouterr().err
