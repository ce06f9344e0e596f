"""Issue 14, items 6, 8 and 13 (the feed server): numbers are ASCII digits, a base URL has a
host, plan names never reach files outside the meetings folder nor list the server's files,
idle connections time out, and the feed cache is bounded by bytes."""

from __future__ import annotations

import datetime as dt
import io
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from plancycle.errors import InputError
from plancycle.feed import FeedConfig, make_app, serve_in_thread
from plancycle.feed.cache import LRUCache
from plancycle.feed.index import render_index
from plancycle.feed.names import check_base_url, plan_path
from plancycle.feed.query import FeedOptions, is_ascii_number, parse_alarms
from plancycle.feed.render import make_document
from plancycle.feed.server import feed_server

FIXTURES = Path(__file__).parent / "fixtures" / "meetings"


def wsgi(app: Any, path: str, query: str = "", headers: dict[str, str] | None = None,
         ) -> tuple[int, bytes, str]:
    """Status, body and error log of one request straight into the WSGI callable."""
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": "GET",
                               "SCRIPT_NAME": ""}
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()})
    setup_testing_defaults(environ)
    errors = environ["wsgi.errors"] = io.StringIO()
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]],
                       exc_info: Any = None) -> Any:
        seen["status"] = int(status.split()[0])
        return lambda data: None

    iterable = validator(app)(environ, start_response)
    try:
        body = b"".join(iterable)
    finally:
        iterable.close()  # type: ignore[attr-defined]
    return seen["status"], body, errors.getvalue()


def assert_one_line_400(answer: tuple[int, bytes, str], *parts: bytes) -> None:
    status, body, log = answer
    assert status == 400, (status, body)
    assert body.count(b"\n") == 1 and b"Traceback" not in body and "Traceback" not in log
    for part in parts:
        assert part in body, body


# -- item 6: ASCII digits only -----------------------------------------------------------------

@pytest.mark.parametrize("path", ["/feeds/fylke/46.ics", "/feeds/1103.ics"])
@pytest.mark.parametrize("query", [
    "alarms=%C2%B2",                          # ² (superscript two)
    "alarms=1,%D9%A3",                        # ٣ (Arabic-Indic three)
    "alarms=%EF%BC%91",                       # １ (full-width one)
    "election=%C2%B2%C2%B2%C2%B2%C2%B2",
    "election=%D9%A2%D9%A0%D9%A2%D9%A7",      # ٢٠٢٧
    "election=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%97",
])
def test_unicode_digits_are_a_one_line_400(path: str, query: str) -> None:
    app = make_app(FeedConfig(election_year=2027))
    assert_one_line_400(wsgi(app, path, query + "&lang=en"), b"=")


def test_the_index_also_takes_ascii_digits_only() -> None:
    app = make_app(FeedConfig(election_year=2027))
    assert_one_line_400(wsgi(app, "/", "alarms=%C2%B2&lang=en"), b"alarms=")
    assert_one_line_400(wsgi(app, "/", "election=%C2%B2%C2%B2%C2%B2%C2%B2&lang=en"), b"election=")


def test_ascii_numbers() -> None:
    assert is_ascii_number("2027") and is_ascii_number("0")
    for text in ("", "²", "٣", "１", "2027\n", " 1", "-1", "+1", "1_000", "1.0"):
        assert not is_ascii_number(text), text
    assert parse_alarms("14,1") == (14, 1)
    with pytest.raises(InputError):
        parse_alarms("²")


# -- item 8: the base URL ----------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://", "https://", "http:///x", "https://:80",
                                 "http://a b", "https://host:port", "https://h/?q=1",
                                 "ftp://host", "https://h/#x", "https://[::1"])
def test_a_base_url_without_a_host_is_an_input_error(url: str) -> None:
    with pytest.raises(InputError) as caught:
        check_base_url(url)
    assert "\n" not in caught.value.in_language("en")
    options = FeedOptions(election_year=2027)
    with pytest.raises(InputError):
        render_index(options, "", base_url=url, default_year=2027, revised=dt.date(2026, 1, 1))


def test_a_good_base_url_gives_https_and_webcal_links() -> None:
    assert check_base_url("https://plan.example.no/") == "https://plan.example.no"
    page = render_index(FeedOptions(election_year=2027), "Stavanger",
                        base_url="https://plan.example.no/sub/", default_year=2027,
                        revised=dt.date(2026, 1, 1)).decode()
    assert 'href="https://plan.example.no/sub/feeds/1103.ics"' in page
    assert 'href="webcal://plan.example.no/sub/feeds/1103.ics"' in page


def test_a_bad_host_header_is_a_400_not_a_500() -> None:
    app = make_app(FeedConfig(election_year=2027))
    assert_one_line_400(wsgi(app, "/", "lang=en", headers={"Host": "a b"}), b"base URL")
    assert wsgi(app, "/", "lang=en", headers={"Host": "plan.example.no"})[0] == 200


# -- item 13: plan names stay inside the meetings folder ---------------------------------------

@pytest.fixture
def meetings_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "meetings"
    folder.mkdir()
    (folder / "plan.csv").write_bytes((FIXTURES / "plan.csv").read_bytes())
    (folder / "secret-plan.toml").write_bytes((FIXTURES / "plan-list.toml").read_bytes())
    outside = tmp_path / "outside.csv"
    outside.write_bytes((FIXTURES / "plan.csv").read_bytes())
    (folder / "outside.csv").symlink_to(outside)
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    (folder / "dotdot.csv").symlink_to("../outside.csv")
    (folder / "current.csv").symlink_to("plan.csv")  # a link inside the folder is fine
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.csv").write_bytes((FIXTURES / "plan.csv").read_bytes())
    (folder / "deeper.csv").symlink_to("sub/deep.csv")
    (folder / "loop.csv").symlink_to("loop.csv")
    (folder / "dangling.csv").symlink_to("nowhere.csv")
    (folder / "folder.csv").mkdir()
    return folder


@pytest.mark.parametrize("name", ["outside.csv", "passwd.csv", "dotdot.csv", "deeper.csv",
                                  "loop.csv", "dangling.csv", "folder.csv", "missing.csv"])
def test_symlinks_out_of_the_meetings_dir_are_not_followed(meetings_dir: Path, name: str) -> None:
    with pytest.raises(InputError) as caught:
        plan_path(meetings_dir, name)
    message = caught.value.in_language("en")
    assert name in message and "plan.csv" not in message and "secret" not in message
    app = make_app(FeedConfig(meetings_dir=meetings_dir, election_year=2027))
    answer = wsgi(app, "/feeds/1103.ics", f"meetings={name}&lang=en")
    assert_one_line_400(answer, name.encode())
    assert b"secret-plan" not in answer[1] and b"plan.csv" not in answer[1]


def test_plans_inside_the_folder_are_served(meetings_dir: Path) -> None:
    assert plan_path(meetings_dir, "current.csv") == (meetings_dir / "plan.csv").resolve()
    app = make_app(FeedConfig(meetings_dir=meetings_dir, election_year=2027))
    for name in ("plan.csv", "current.csv", "secret-plan.toml"):
        status, body, _ = wsgi(app, "/feeds/1103.ics", f"meetings={name}")
        assert status == 200 and body.startswith(b"BEGIN:VCALENDAR"), name


# -- item 13: idle connections time out --------------------------------------------------------

@pytest.fixture
def short_timeout_server() -> Iterator[int]:
    server, thread = serve_in_thread(make_app(FeedConfig(election_year=2027)), timeout=0.5)
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(10)


def _closed_within(port: int, send: bytes, seconds: float) -> bytes:
    """What the server sends before it closes the connection (at most ``seconds`` waited)."""
    started = time.monotonic()
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as connection:
        if send:
            connection.sendall(send)
        while True:
            chunk = connection.recv(65536)  # socket.timeout here: the server held on
            if not chunk:
                break
            received += chunk
    assert time.monotonic() - started < seconds
    return received


def test_an_http_0_9_request_does_not_hold_a_thread(short_timeout_server: int) -> None:
    _closed_within(short_timeout_server, b"GET /healthz\r\n", 15)


def test_a_silent_client_is_dropped(short_timeout_server: int) -> None:
    assert _closed_within(short_timeout_server, b"", 15) == b""
    _closed_within(short_timeout_server, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", 15)  # no end


def test_the_server_answers_others_while_clients_idle(short_timeout_server: int) -> None:
    idle = [socket.create_connection(("127.0.0.1", short_timeout_server), timeout=15)
            for _ in range(5)]
    try:
        answer = _closed_within(short_timeout_server,
                                b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n", 15)
        assert answer.startswith(b"HTTP/1.0 200")
    finally:
        for connection in idle:
            connection.close()


def test_the_timeout_is_checked_and_has_a_default() -> None:
    app = make_app(FeedConfig(election_year=2027))
    for bad in (0, -1, float("nan")):
        with pytest.raises(InputError):
            feed_server(app, port=0, timeout=bad)
    server = feed_server(app, port=0)
    try:
        assert server.RequestHandlerClass.timeout == 30.0  # type: ignore[attr-defined]
    finally:
        server.server_close()


# -- item 13: the cache is bounded by bytes ----------------------------------------------------

def _document(size: int, tag: int) -> Any:
    return make_document(bytes([tag % 256]) * size, "text/calendar",
                         dt.datetime(2027, 1, 1, tzinfo=dt.UTC))


def test_the_cache_is_bounded_by_bytes_not_only_entries() -> None:
    cache: LRUCache[Any] = LRUCache(100, max_bytes=10_000)
    for n in range(50):
        cache.put(n, _document(1000, n))
        assert cache.nbytes <= 10_000
    assert len(cache) == 10 and cache.get(49) is not None and cache.get(0) is None
    cache.put("huge", _document(20_000, 1))  # bigger than the whole cache: not kept
    assert cache.get("huge") is None and cache.nbytes <= 10_000
    cache.put(49, _document(5000, 2))  # replacing an entry counts its new size only
    assert cache.nbytes <= 10_000 and cache.get(49) is not None


def test_the_feed_cache_has_a_byte_bound_by_default() -> None:
    app = make_app(FeedConfig(election_year=2027, cache_size=512))
    assert 0 < app.cache.max_bytes <= 256 * 1024 * 1024
    assert wsgi(app, "/feeds/1103.ics")[0] == 200
    assert 0 < app.cache.nbytes <= app.cache.max_bytes


def test_a_negative_bound_is_an_input_error() -> None:
    with pytest.raises(InputError):
        LRUCache(-1)
    with pytest.raises(InputError):
        LRUCache(10, max_bytes=-1)
