"""The plan service serves the feed server's routes with the same behaviour: the same requests
give the same status, bytes and headers as the WSGI feed server (:mod:`plancycle.feed.app`),
a stored term replaces its owner's plan feed as a term file did (the same bytes for the same
facts), and a recorded fact reaches the feed on the next request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from fastapi.testclient import TestClient
from ical.calendar_stream import IcsCalendarStream

from plancycle.feed import FeedConfig, make_app
from plancycle.feed.register import load_register
from plancycle.service import ServiceConfig, create_app
from plancycle.termfile import load_term

FIXTURES = Path(__file__).parent / "fixtures" / "meetings"
NOW = dt.datetime(2028, 3, 10, 9, 0, tzinfo=dt.UTC)
#: The headers both servers must agree on (Date and Server are the server's own).
COMPARED = ("content-type", "content-length", "etag", "last-modified", "cache-control",
            "content-disposition", "allow", "content-security-policy", "x-content-type-options")
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
REGISTER = """\
[[decision]]
municipality = "4601"
election_year = 2027
recorded = 2027-06-10T12:00:00Z
constituted = 2027-10-19
"""


def wsgi(app: Any, method: str, path: str, query: str = "",
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "wsgi.url_scheme": "http",
        "HTTP_HOST": "testserver"}
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()})
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]],
                       exc_info: Any = None) -> Any:
        seen["status"] = int(status.split()[0])
        seen["headers"] = {k.lower(): v for k, v in response_headers}
        return lambda data: None

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def asgi(client: TestClient, method: str, path: str, query: str = "",
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    response = client.request(method, path + ("?" + query if query else ""),
                              headers=headers or {})
    return response.status_code, {k.lower(): v for k, v in response.headers.items()}, \
        response.content


def service(store: Any, **config: Any) -> TestClient:
    return TestClient(create_app(ServiceConfig(clock=lambda: NOW, **config), store))


@pytest.fixture
def client(sqlite_store: Any) -> Iterator[TestClient]:
    with service(sqlite_store, meetings_dir=FIXTURES, cache_size=64) as test_client:
        yield test_client


REQUESTS = [
    ("GET", "/feeds/1103.ics", ""),
    ("GET", "/feeds/0301.ics", "model=classic&lang=nn&alarms=14,1"),
    ("GET", "/feeds/fylke/46.ics", "lang=en&election=2023"),
    ("HEAD", "/feeds/fylke/46.ics", ""),
    ("GET", "/feeds/4601.ics", "meetings=portal-2027-2029.ics&constituted=2027-10-21&lang=en"),
    ("GET", "/feeds/9999.ics", "lang=en"),
    ("GET", "/feeds/fylke/03.ics", "lang=en"),
    ("GET", "/feeds/1103.ics/x", "lang=en"),
    ("GET", "/feeds/1103.ics", "model=agile&lang=en"),
    ("GET", "/feeds/1103.ics", "election=2026&lang=nn"),
    ("GET", "/feeds/1103.ics", "meetings=..%2F..%2Fetc%2Fpasswd&lang=en"),
    ("GET", "/feeds/1103.ics", "meetings=simrishamn-budgetprocess-2026.ics&lang=en"),
    ("GET", "/feeds/1103.ics", "%ff=1"),
    ("GET", "/feeds/1103.ics", "q=" + "x" * 2000),
    ("POST", "/feeds/1103.ics", ""),
    ("GET", "/healthz", ""),
    ("GET", "/", ""),
    ("GET", "/index.html", "q=tromsø&model=classic&lang=en&alarms=7"),
    ("GET", "/", "lang=en&color=red"),
]


@pytest.mark.parametrize(("method", "path", "query"), REQUESTS)
def test_the_service_answers_feed_routes_as_the_wsgi_feed_server(
        client: TestClient, method: str, path: str, query: str) -> None:
    feed_app = make_app(FeedConfig(meetings_dir=FIXTURES, cache_size=64))
    expected = wsgi(feed_app, method, path, query)
    got = asgi(client, method, path, query)
    assert got[0] == expected[0]
    assert got[2] == expected[2]
    assert {k: got[1].get(k) for k in COMPARED} == {k: expected[1].get(k) for k in COMPARED}


def test_validators_give_304_on_the_service(client: TestClient) -> None:
    status, headers, body = asgi(client, "GET", "/feeds/1103.ics")
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    for value in (headers["etag"], f"W/{headers['etag']}", "*"):
        again = asgi(client, "GET", "/feeds/1103.ics", headers={"If-None-Match": value})
        assert (again[0], again[2]) == (304, b"")
    later = asgi(client, "GET", "/feeds/1103.ics",
                 headers={"If-Modified-Since": headers["last-modified"]})
    assert later[0] == 304


def test_a_stored_term_gives_the_bytes_of_the_same_term_file(sqlite_store: Any,
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "terms"
    folder.mkdir()
    (folder / "stavanger.toml").write_text(STAVANGER_TERM, encoding="utf-8")
    sqlite_store.put_term(load_term(folder / "stavanger.toml"), now=NOW)
    files = make_app(FeedConfig(terms_dir=folder, today=dt.date(2028, 6, 1)))
    with service(sqlite_store, today=dt.date(2028, 6, 1)) as client:
        for query in ("election=2027", "election=2027&lang=en&alarms=7"):
            expected = wsgi(files, "GET", "/feeds/1103.ics", query)
            got = asgi(client, "GET", "/feeds/1103.ics", query)
            assert expected[0] == got[0] == 200
            assert got[2] == expected[2]
            assert got[1]["etag"] == expected[1]["etag"]
        # the plan of an owner without a stored term is unchanged
        assert asgi(client, "GET", "/feeds/4601.ics", "election=2027")[2] == \
            wsgi(make_app(FeedConfig()), "GET", "/feeds/4601.ics", "election=2027")[2]


def test_the_register_comes_from_the_database(sqlite_store: Any, tmp_path: Path) -> None:
    path = tmp_path / "register.toml"
    path.write_text(REGISTER, encoding="utf-8")
    sqlite_store.import_register(load_register(path), now=NOW)
    files = make_app(FeedConfig(register=path))
    with service(sqlite_store) as client:
        expected = wsgi(files, "GET", "/feeds/4601.ics", "election=2027")
        got = asgi(client, "GET", "/feeds/4601.ics", "election=2027")
    assert got[2] == expected[2] and b"SEQUENCE:1" in got[2]


def test_a_recorded_fact_reaches_the_feed_on_the_next_request(sqlite_store: Any) -> None:
    plain, info = sqlite_store.create_token("municipality", "1103", now=NOW)
    with service(sqlite_store) as client:
        before = asgi(client, "GET", "/feeds/1103.ics", "election=2027")
        assert before[0] == 200
        posted = client.post("/api/v1/terms/1103/2027/facts",
                             json={"milestone": "planstrategi.adopted", "date": "2028-03-09"},
                             headers={"Authorization": f"Bearer {plain}"})
        assert posted.status_code == 201, posted.text
        after = asgi(client, "GET", "/feeds/1103.ics", "election=2027")
        stale = asgi(client, "GET", "/feeds/1103.ics", "election=2027",
                     headers={"If-None-Match": before[1]["etag"]})
    assert after[1]["etag"] != before[1]["etag"] and stale[0] == 200
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(after[2]).walk("VEVENT")}
    adopted = events["k1103-t2027-planstrategi.adopted@plancycle.no"]
    assert adopted.decoded("DTSTART") == dt.date(2028, 3, 9)
    assert str(adopted["SUMMARY"]).startswith("✓ ")
    IcsCalendarStream.calendar_from_ics(after[2].decode("utf-8"))
    assert info.owner == "1103"


BLOCKED = '''
import importlib.abc, sys

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"fastapi", "starlette", "sqlalchemy", "uvicorn", "alembic",
                                  "psycopg"}:
            raise ImportError(f"blocked: {name}")
        return None

sys.meta_path.insert(0, Blocker())
import plancycle, plancycle.feed, plancycle.cli
plancycle.cli.build_parser()
print("ok", "plancycle.service" in sys.modules, "plancycle.store" in sys.modules)
'''


def test_the_library_and_the_cli_import_without_the_service_extra(fresh_process: Any) -> None:
    assert fresh_process(BLOCKED).split() == [b"ok", b"False", b"False"]
