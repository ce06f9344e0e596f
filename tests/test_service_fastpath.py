"""The feed routes' answers kept in the event loop (:class:`plancycle.service.front.FrontMiddleware`)
are answered again only while nothing they depend on changed: a fact committed through another
connection (another process, here the store itself) reaches the very next request, on SQLite
and on PostgreSQL; a changed day or meeting plan does too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from plancycle.service import ServiceConfig, create_app

NOW = dt.datetime(2028, 3, 20, 9, 0, tzinfo=dt.UTC)
FEED = "/feeds/1103.ics?election=2027"


@pytest.fixture
def client(store: Any) -> Iterator[TestClient]:
    with TestClient(create_app(ServiceConfig(clock=lambda: NOW), store)) as client:
        yield client


def _front(client: TestClient) -> Any:
    return client.app.front  # type: ignore[attr-defined]


def test_an_unchanged_feed_is_answered_from_the_loop_and_a_commit_elsewhere_reaches_the_next(
        client: TestClient, store: Any) -> None:
    first = client.get(FEED)
    assert first.status_code == 200 and b"20280314" not in first.content
    front = _front(client)
    assert len(front.answers) == 1  # kept
    assert client.get(FEED).content == first.content
    store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 3, 14), now=NOW)
    after = client.get(FEED)
    assert after.status_code == 200
    assert b"DTSTART;VALUE=DATE:20280314" in after.content  # the fact, on the next request
    assert after.headers["etag"] != first.headers["etag"]
    assert client.get(FEED, headers={"If-None-Match": after.headers["etag"]}).status_code == 304
    assert client.get(FEED).content == after.content


def test_a_new_day_reaches_the_next_request(store: Any) -> None:
    day = [dt.date(2027, 11, 1)]
    config = ServiceConfig(clock=lambda: NOW, today_clock=lambda: day[0])
    store.record("1103", 2027, "election.constituent_meeting", dt.date(2027, 10, 21), now=NOW)
    with TestClient(create_app(config, store)) as client:
        before = client.get(FEED).content
        day[0] = dt.date(2029, 1, 10)  # the planstrategi is overdue now
        after = client.get(FEED).content
    flag = "⚠".encode()
    assert after.count(flag) > before.count(flag)  # more milestones overdue, flagged at once


def test_a_changed_meeting_plan_reaches_the_next_request(store: Any, tmp_path: Path) -> None:
    plans = tmp_path / "moter"
    plans.mkdir()
    (plans / "plan.csv").write_text("date\n2027-12-14\n", encoding="utf-8")
    config = ServiceConfig(clock=lambda: NOW, meetings_dir=plans)
    with TestClient(create_app(config, store)) as client:
        before = client.get(FEED + "&meetings=plan.csv").content
        (plans / "plan.csv").write_text("date\n2027-12-07\n2028-03-07\n", encoding="utf-8")
        after = client.get(FEED + "&meetings=plan.csv").content
    assert before != after


def test_identical_requests_while_a_feed_is_built_build_it_once(store: Any) -> None:
    """Twenty polls of one feed arriving together after a change: one build, twenty equal
    answers (the others wait for the one being built)."""
    import asyncio

    app = create_app(ServiceConfig(clock=lambda: NOW), store)
    front = app.front  # type: ignore[attr-defined]
    built = []
    feeds = front.feeds

    def counting(environ: dict[str, Any], start_response: Any) -> Any:
        built.append(environ["PATH_INFO"])
        return feeds(environ, start_response)

    front.feeds = counting
    scope = {"type": "http", "method": "GET", "path": "/feeds/1103.ics", "root_path": "",
             "query_string": b"election=2027", "headers": [(b"host", b"plan.example.no")],
             "http_version": "1.1", "scheme": "http", "server": ("plan.example.no", 80)}

    async def poll() -> bytes:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(dict(scope), receive, send)
        assert sent[0]["status"] == 200
        return bytes(sent[1]["body"])

    async def together() -> list[bytes]:
        return await asyncio.gather(*(poll() for _ in range(20)))

    bodies = asyncio.run(together())
    assert len(built) == 1 and len(set(bodies)) == 1 and bodies[0].startswith(b"BEGIN:VCALENDAR")
    store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 3, 14), now=NOW)
    again = asyncio.run(together())
    assert len(built) == 2 and len(set(again)) == 1 and again[0] != bodies[0]
