"""The feed server over HTTP: content types, validators, 304, HEAD, errors, threads, meeting plans."""

from __future__ import annotations

import datetime as dt
import http.client
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from plancycle.feed import FeedApp, FeedConfig, application, make_app, serve_in_thread
from plancycle.rules import rule_table

FIXTURES = Path(__file__).parent / "fixtures" / "meetings"
Response = tuple[int, dict[str, str], bytes]


def wsgi(app: Any, path: str, query: str = "", method: str = "GET",
         headers: dict[str, str] | None = None) -> Response:
    """One request straight into the WSGI callable, checked by wsgiref's PEP 3333 validator."""
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": method,
                               "SCRIPT_NAME": ""}
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()})
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]],
                       exc_info: Any = None) -> Any:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(response_headers)
        return lambda data: None

    iterable = validator(app)(environ, start_response)
    try:
        body = b"".join(iterable)
    finally:
        iterable.close()  # type: ignore[attr-defined]
    return seen["status"], seen["headers"], body


@pytest.fixture(scope="module")
def meetings_app() -> FeedApp:
    return make_app(FeedConfig(meetings_dir=FIXTURES, cache_size=64))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    app = make_app(FeedConfig(meetings_dir=FIXTURES, cache_size=8))
    httpd, thread = serve_in_thread(app)
    yield f"127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def fetch(host: str, target: str, method: str = "GET",
          headers: dict[str, str] | None = None) -> Response:
    connection = http.client.HTTPConnection(host, timeout=30)
    try:
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(("path", "query"), [
    ("/feeds/1103.ics", ""),
    ("/feeds/0301.ics", "model=classic&lang=nn&alarms=14,1"),
    ("/feeds/fylke/46.ics", "lang=en&election=2023"),
    ("/feeds/fylke/11.ics", "model=reform&constituted=2027-10-14"),
])
def test_feeds_are_calendars_that_parse_with_icalendar_and_strict_ical(path: str,
                                                                       query: str) -> None:
    status, headers, body = wsgi(application, path, query)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    assert headers["ETag"].startswith('"') and headers["ETag"].endswith('"')
    events = list(icalendar.Calendar.from_ical(body).walk("VEVENT"))
    strict = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    assert len(strict.events) == len(events) > 50
    stamps = [e.decoded("LAST-MODIFIED") for e in events]
    assert parsedate_to_datetime(headers["Last-Modified"]) == max(stamps)


def test_matching_etag_gives_304_and_a_different_one_200() -> None:
    _, headers, _ = wsgi(application, "/feeds/1103.ics")
    etag = headers["ETag"]
    for value in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        status, again, body = wsgi(application, "/feeds/1103.ics",
                                   headers={"If-None-Match": value})
        assert (status, body) == (304, b"")
        assert again["ETag"] == etag
    status, _, body = wsgi(application, "/feeds/1103.ics", headers={"If-None-Match": '"other"'})
    assert status == 200 and body


def test_if_modified_since_uses_the_content_stamp_not_the_clock() -> None:
    _, headers, _ = wsgi(application, "/feeds/1103.ics")
    stamp = parsedate_to_datetime(headers["Last-Modified"])
    revised = rule_table().revised  # the rule data's revision date, whatever it is now
    assert stamp == dt.datetime(revised.year, revised.month, revised.day, tzinfo=dt.UTC)
    later = format_datetime(stamp + dt.timedelta(seconds=1), usegmt=True)
    earlier = format_datetime(stamp - dt.timedelta(seconds=1), usegmt=True)
    assert wsgi(application, "/feeds/1103.ics", headers={"If-Modified-Since": later})[0] == 304
    assert wsgi(application, "/feeds/1103.ics", headers={"If-Modified-Since": earlier})[0] == 200
    assert wsgi(application, "/feeds/1103.ics", headers={"If-Modified-Since": "garbage"})[0] == 200


def test_head_has_the_headers_of_get_and_no_body() -> None:
    _, get_headers, body = wsgi(application, "/feeds/fylke/46.ics")
    status, head_headers, head_body = wsgi(application, "/feeds/fylke/46.ics", method="HEAD")
    assert status == 200 and head_body == b""
    assert head_headers == get_headers and int(head_headers["Content-Length"]) == len(body)


@pytest.mark.parametrize(("path", "query", "status", "text"), [
    ("/feeds/9999.ics", "lang=en", 404, "unknown municipality number 9999"),
    ("/feeds/fylke/03.ics", "lang=en", 404, "unknown county number 03"),  # Oslo: no authority
    ("/feeds/Stavanger.ics", "lang=en", 404, "does not exist"),
    ("/feeds/1103.ics/x", "lang=en", 404, "does not exist"),
    ("/admin", "", 404, "finnes ikke"),
    ("/feeds/1103.ics", "model=agile&lang=en", 400, "unknown model 'agile'"),
    ("/feeds/1103.ics", "election=2026&lang=en", 400, "not a municipal election year"),
    ("/feeds/1103.ics", "election=abc&lang=en", 400, "not a year"),
    ("/feeds/1103.ics", "lang=xx", 400, "xx"),  # message in bokmål: no valid lang
    ("/feeds/1103.ics", "constituted=21.10.2027&lang=en", 400, "not a date"),
    ("/feeds/1103.ics", "constituted=2027-09-01&lang=en", 400, "not after election day"),
    ("/feeds/1103.ics", "alarms=7,x&lang=en", 400, "not a list of days"),
    ("/feeds/1103.ics", "alarms=999&lang=en", 400, "outside 0"),
    ("/feeds/1103.ics", "color=red&lang=en", 400, "unknown option 'color'"),
    ("/feeds/1103.ics", "model=classic&model=reform&lang=en", 400, "more than once"),
    ("/feeds/1103.ics", "meetings=..%2F..%2Fetc%2Fpasswd&lang=en", 400, "not a meeting-plan name"),
    ("/feeds/1103.ics", "meetings=plan.csv&lang=en", 400, "no meeting plans"),
    ("/feeds/1103.ics", "%ff=1", 400, "UTF-8"),
    ("/feeds/1103.ics", "q=" + "x" * 2000, 400, "høyst 1000"),
    ("/", "lang=en&color=red", 400, "unknown option 'color'"),
])
def test_bad_requests_get_one_plain_line(path: str, query: str, status: int, text: str) -> None:
    got, headers, body = wsgi(application, path, query)
    assert got == status
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    line = body.decode("utf-8")
    assert text in line and line.count("\n") == 1 and "Traceback" not in line


def test_only_get_and_head_are_allowed() -> None:
    status, headers, _ = wsgi(application, "/feeds/1103.ics", method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


def test_healthz() -> None:
    assert wsgi(application, "/healthz")[::2] == (200, b"ok\n")


def test_meeting_plan_by_name_places_decisions_and_flags_the_missing_meeting(
        meetings_app: FeedApp) -> None:
    _, _, body = wsgi(meetings_app, "/feeds/4601.ics",
                      "meetings=portal-2027-2029.ics&constituted=2027-10-21&lang=en")
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    adopted = events["k4601-t2027-planstrategi.adopted@plancycle.no"]
    assert adopted.decoded("DTSTART") == dt.date(2028, 3, 15)
    _, _, body = wsgi(meetings_app, "/feeds/4601.ics",
                      "meetings=no-meeting-before-deadline.csv&constituted=2027-10-21&lang=en")
    assert "SUMMARY:⚠ Planning strategy adopted by the council" in body.decode()
    IcsCalendarStream.calendar_from_ics(body.decode())


def test_a_broken_server_side_plan_is_a_one_line_500_and_the_server_goes_on(
        meetings_app: FeedApp) -> None:
    # the Swedish file has no Norwegian council meetings under the default pattern
    status, _, body = wsgi(meetings_app, "/feeds/1103.ics",
                           "meetings=simrishamn-budgetprocess-2026.ics&lang=en")
    assert status == 500 and body.count(b"\n") == 1 and b"--meeting-pattern" in body
    assert wsgi(meetings_app, "/feeds/1103.ics")[0] == 200
    status, _, body = wsgi(meetings_app, "/feeds/1103.ics", "meetings=missing.ics&lang=en")
    # names only the plan asked for, never the files the server has (issue 14, item 13)
    assert status == 400 and b"missing.ics" in body and b"plan.csv" not in body


def test_meeting_pattern_per_file_comes_from_the_register(tmp_path: Path) -> None:
    register = tmp_path / "register.toml"
    register.write_text('[meeting_patterns]\n"simrishamn-budgetprocess-2026.ics" = "^KF "\n')
    app = make_app(FeedConfig(meetings_dir=FIXTURES, register=register))
    status, _, body = wsgi(app, "/feeds/1103.ics",
                           "election=2023&meetings=simrishamn-budgetprocess-2026.ics")
    assert status == 200
    assert b"DTSTART;VALUE=DATE:20251215" in body


def test_cache_is_bounded_and_hit_on_repeat() -> None:
    app = make_app(FeedConfig(cache_size=2))
    for number in ("1103", "4601", "5001", "1103"):
        assert wsgi(app, f"/feeds/{number}.ics")[0] == 200
    assert len(app.cache) == 2
    before = app.cache.hits
    wsgi(app, "/feeds/1103.ics")
    assert app.cache.hits == before + 1


def test_index_lists_every_feed_with_webcal_and_https_links() -> None:
    status, headers, body = wsgi(application, "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'sha256-" in headers["Content-Security-Policy"]
    assert page.count("<tr data-search=") == 357 + 14
    assert 'href="webcal://127.0.0.1/feeds/1103.ics"' in page
    assert 'href="http://127.0.0.1/feeds/1103.ics"' in page
    assert 'href="webcal://127.0.0.1/feeds/fylke/46.ics"' in page
    assert '<html lang="nb">' in page and "Søk etter kommune eller fylke" in page


def test_index_search_and_options_without_javascript() -> None:
    app = make_app(FeedConfig(base_url="https://plan.example.no/kalender"))
    _, _, body = wsgi(app, "/", "q=tromsø&model=classic&lang=en&alarms=7")
    page = body.decode("utf-8")
    assert "Tromsø" in page and "Bergen" not in page
    assert ('href="https://plan.example.no/kalender/feeds/5501.ics?model=classic&amp;lang=en'
            '&amp;alarms=7"') in page
    assert 'href="webcal://plan.example.no/kalender/feeds/5501.ics?' in page
    assert '<html lang="en">' in page and "Calendars: 1<" in page


def test_garbage_and_concurrent_requests_over_a_real_socket(server: str) -> None:
    host, port = server.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
        raw.recv(1024)
    targets = ["/feeds/1103.ics", "/feeds/4601.ics?lang=en", "/feeds/fylke/46.ics?alarms=7",
               "/feeds/9999.ics", "/feeds/1103.ics?model=nope", "/healthz",
               "/feeds/5001.ics?meetings=plan.csv", "/?q=bergen"]
    expected = {target: fetch(server, target) for target in targets}
    assert [expected[t][0] for t in targets] == [200, 200, 200, 404, 400, 200, 200, 200]
    jobs = targets * 12
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda t: fetch(server, t), jobs))
    for target, (status, headers, body) in zip(jobs, results, strict=True):
        assert (status, body) == (expected[target][0], expected[target][2])
        assert headers.get("ETag") == expected[target][1].get("ETag")
    status, _, body = fetch(server, "/feeds/1103.ics", "HEAD")
    assert status == 200 and body == b""


def test_serve_command_refuses_a_missing_meetings_dir(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from plancycle.cli import run

    missing = tmp_path / "no-such-folder"  # never a path of the machine: it may exist there
    assert not missing.exists()
    assert run(["serve", "--meetings-dir", str(missing), "--port", "0", "--lang", "en",
                "--database", f"sqlite:///{tmp_path / 'service.db'}"]) == 2
    assert "is not a folder" in capsys.readouterr().err
