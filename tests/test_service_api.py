"""The JSON API: the status is ``plancycle status --format json`` byte for byte; every write
(and the audit trail) goes through the auth matrix; a repeated fact is recorded once; conflicts
are 409, invalid facts 422, big bodies 413, other media 415; a token in a URL is refused."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from plancycle.cli import run
from plancycle.service import ServiceConfig, create_app
from plancycle.service.settings import RedactQuery
from plancycle.termfile import load_term

NOW = dt.datetime(2028, 3, 10, 9, 0, tzinfo=dt.UTC)
TERM = """\
election_year = 2027
municipality = "1103"

[[fact]]
milestone = "election.constituent_meeting"
date = 2027-10-19
recorded = 2027-10-20T08:00:00Z

[[fact]]
milestone = "planstrategi.consultation"
date = 2027-12-16
end = 2028-02-03
recorded = 2028-02-04T08:00:00Z
"""
FACTS = "/api/v1/terms/1103/2027/facts"
ADOPTED = {"milestone": "planstrategi.adopted", "date": "2028-03-09",
           "source": "https://stavanger.kommune.no/sak/2028-17"}


@pytest.fixture
def api(store: Any) -> Iterator[tuple[TestClient, Any]]:
    with TestClient(create_app(ServiceConfig(clock=lambda: NOW, today=dt.date(2028, 3, 1)),
                               store)) as client:
        yield client, store


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def one_line_error(response: Any, status: int, *parts: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert set(data) == {"error"} and "\n" not in data["error"]
    for part in parts:
        assert part in data["error"], data["error"]
    return str(data["error"])


def test_status_is_the_json_of_plancycle_status(api: tuple[TestClient, Any], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    client, store = api
    path = tmp_path / "stavanger.toml"
    path.write_text(TERM, encoding="utf-8")
    store.put_term(load_term(path), now=NOW)
    for today, lang in (("2028-03-01", "nb"), ("2028-06-30", "en")):
        assert run(["status", str(path), "--today", today, "--format", "json",
                    "--lang", lang]) == 0
        expected = capsys.readouterr().out.encode("utf-8")
        response = client.get(f"/api/v1/terms/1103/2027?today={today}&lang={lang}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.content == expected
    # without ?today= the configured day; an unknown owner or year is a 404
    assert client.get("/api/v1/terms/1103/2027").json()["today"] == "2028-03-01"
    one_line_error(client.get("/api/v1/terms/9999/2027?lang=en"), 404, "9999")
    one_line_error(client.get("/api/v1/terms/1103/2026?lang=en"), 404, "2026")
    one_line_error(client.get("/api/v1/terms/stavanger/2027?lang=en"), 404, "stavanger")
    one_line_error(client.get("/api/v1/terms/1103/2027?today=01.03.2028&lang=en"), 400,
                   "01.03.2028")
    one_line_error(client.get("/api/v1/terms/1103/2027?colour=red&lang=en"), 400, "colour")


def test_the_auth_matrix_for_writes_and_the_audit_trail(api: tuple[TestClient, Any]) -> None:
    client, store = api
    mine, _ = store.create_token("municipality", "1103", label="Stavanger saksbehandler", now=NOW)
    other, _ = store.create_token("municipality", "4601", label="Bergen", now=NOW)
    county, _ = store.create_token("county", "11", label="Rogaland", now=NOW)
    admin, _ = store.create_token("admin", label="drift", now=NOW)
    revoked, info = store.create_token("municipality", "1103", label="gammel", now=NOW)
    store.revoke_token(info.id, now=NOW)
    refused = {
        "none": ({}, 401), "not bearer": ({"Authorization": f"Basic {mine}"}, 401),
        "unknown": (bearer("x" * 43), 401), "revoked": (bearer(revoked), 401),
        "other owner": (bearer(other), 403), "a county": (bearer(county), 403),
    }
    for route in ("post", "audit"):
        for name, (headers, status) in refused.items():
            if route == "post":
                response = client.post(FACTS + "?lang=en", json=ADOPTED, headers=headers)
            else:
                response = client.get("/api/v1/terms/1103/2027/audit?lang=en", headers=headers)
            one_line_error(response, status)
            assert ("www-authenticate" in response.headers) == (status == 401), name
            if status == 401:
                assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.get(FACTS).json()["facts"] == []  # nothing refused was written
    right = client.post(FACTS, json=ADOPTED, headers=bearer(mine))
    assert right.status_code == 201
    fact = right.json()
    assert (fact["milestone"], fact["date"], fact["recorded"]) == (
        "planstrategi.adopted", "2028-03-09", "2028-03-10T09:00:00Z")
    assert "token_id" not in fact
    by_admin = client.post(FACTS, json={"milestone": "planstrategi.adopted", "date": "2028-03-16",
                                        "replace": True}, headers=bearer(admin))
    assert by_admin.status_code == 201 and by_admin.json()["replaces"] == fact["id"]
    county_term = client.post("/api/v1/terms/fylke-11/2027/facts",
                              json={"milestone": "election.constituent_meeting",
                                    "date": "2027-10-20"}, headers=bearer(county))
    assert county_term.status_code == 201, county_term.text
    for token in (mine, admin):
        audit = client.get("/api/v1/terms/1103/2027/audit", headers=bearer(token))
        assert audit.status_code == 200
        entries = audit.json()["entries"]
        assert [(e["action"], e["token_label"], e["milestone"]) for e in entries] == [
            ("record", "Stavanger saksbehandler", "planstrategi.adopted"),
            ("replace", "drift", "planstrategi.adopted")]
    current = client.get(FACTS).json()["facts"]
    assert [(f["milestone"], f["date"]) for f in current] == [("planstrategi.adopted",
                                                                "2028-03-16")]


def test_the_same_fact_twice_is_recorded_once_and_a_conflict_is_409(
        api: tuple[TestClient, Any]) -> None:
    client, store = api
    token, _ = store.create_token("municipality", "1103", now=NOW)
    first = client.post(FACTS, json=ADOPTED, headers=bearer(token))
    again = client.post(FACTS, json=ADOPTED, headers=bearer(token))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert len(client.get(FACTS).json()["facts"]) == 1
    assert len(store.history("1103", 2027)) == 1
    conflict = client.post(FACTS + "?lang=en", json={**ADOPTED, "date": "2028-03-16"},
                           headers=bearer(token))
    one_line_error(conflict, 409, "planstrategi.adopted", "2028-03-09", "2028-03-16")
    assert len(store.history("1103", 2027)) == 1


@pytest.mark.parametrize(("body", "parts"), [
    ({"milestone": "planstrategi.nope", "date": "2028-03-09"}, ("planstrategi.nope",)),
    ({"milestone": "planstrategi.adopted", "date": "2035-01-01"}, ("2035-01-01",)),
    ({"milestone": "planstrategi.adopted", "date": "2028-03-09", "end": "2028-04-01"},
     ("planstrategi.adopted",)),
    ({"milestone": "planstrategi.consultation", "date": "2028-01-10", "end": "2028-01-01"},
     ("2028-01-01",)),
    ({"milestone": "planstrategi.adopted"}, ("date",)),
    ({"milestone": "planstrategi.adopted", "date": "9 March 2028"}, ("date",)),
    ({"milestone": "planstrategi.adopted", "date": "2028-03-09", "colour": "red"}, ("colour",)),
    ({"milestone": "planstrategi.adopted", "date": "2028-03-09", "source": "x" * 501},
     ("source",)),
    ([1, 2], ("body",)),
])
def test_invalid_facts_are_422_and_write_nothing(api: tuple[TestClient, Any], body: Any,
                                                 parts: tuple[str, ...]) -> None:
    client, store = api
    token, _ = store.create_token("admin", now=NOW)
    one_line_error(client.post(FACTS + "?lang=en", json=body, headers=bearer(token)), 422, *parts)
    broken = client.post(FACTS + "?lang=en", content=b'{"milestone": ', headers={
        **bearer(token), "Content-Type": "application/json"})
    one_line_error(broken, 422)
    assert store.history("1103", 2027) == []


def test_big_bodies_are_413_and_other_media_415(api: tuple[TestClient, Any]) -> None:
    client, store = api
    token, _ = store.create_token("admin", now=NOW)
    big = b'{"milestone": "' + b"x" * 20_000 + b'"}'
    headers = {**bearer(token), "Content-Type": "application/json"}
    one_line_error(client.post(FACTS + "?lang=en", content=big, headers=headers), 413, "16384")

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while it streams
        for _ in range(100):
            yield b" " * 1000

    one_line_error(client.post(FACTS + "?lang=en", content=chunks(), headers=headers), 413)
    form = client.post(FACTS + "?lang=en", data={"milestone": "planstrategi.adopted"},
                       headers=bearer(token))
    one_line_error(form, 415, "application/x-www-form-urlencoded")
    assert store.history("1103", 2027) == []


def test_a_token_in_the_query_string_is_refused_and_not_logged(
        api: tuple[TestClient, Any]) -> None:
    client, store = api
    token, _ = store.create_token("municipality", "1103", now=NOW)
    for key in ("token", "access_token", "Authorization"):
        response = client.post(f"{FACTS}?{key}={token}&lang=en", json=ADOPTED)
        one_line_error(response, 400, key)
        assert token not in response.text
    assert store.history("1103", 2027) == []
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5", "POST",
                                                           f"{FACTS}?token={token}", "1.1", 400),
                               None)
    assert RedactQuery().filter(record)
    assert token not in record.getMessage() and FACTS in record.getMessage()


def test_errors_outside_routes_are_one_json_line(api: tuple[TestClient, Any]) -> None:
    client, _ = api
    one_line_error(client.get("/api/v1/nothing?lang=en"), 404, "/api/v1/nothing")
    one_line_error(client.delete(FACTS + "?lang=en"), 405, "DELETE")
    assert client.get("/healthz").text == "ok\n"
    document = client.get("/openapi.json").json()
    assert set(document["paths"]) >= {"/api/v1/terms/{owner}/{election_year}",
                                      "/api/v1/terms/{owner}/{election_year}/facts",
                                      "/api/v1/terms/{owner}/{election_year}/audit"}
    assert client.get("/docs").status_code == 200


def test_feed_links_name_the_term(api: tuple[TestClient, Any]) -> None:
    client, _ = api
    service = client.app.state.service  # type: ignore[attr-defined]
    assert service.feed_links("fylke-46", 2027, "https://plan.example.no/") == {
        "https": "https://plan.example.no/feeds/fylke/46.ics?election=2027",
        "webcal": "webcal://plan.example.no/feeds/fylke/46.ics?election=2027"}
    links = service.feed_links("1103", 2027, "http://plan.example.no")
    assert client.get(links["https"].removeprefix("http://plan.example.no")).status_code == 200
