"""The planner's page of the plan service (issue 9, item 4): what it shows for facts a person can
check (Stavanger's planstrategi adopted 15 June 2028; the constituent meeting, due by 31 October
2027 under koml § 7-1, overdue in November 2027 when nothing is recorded), the token and record
forms end to end (store and JSON status), the auth outcomes, the CSRF refusals and the cookie."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from typing import Any, ClassVar

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from plancycle.service import ServiceConfig, create_app
from plancycle.service.page import TOKEN_COOKIE

NOW = dt.datetime(2028, 9, 1, 12, 0, tzinfo=dt.UTC)
PAGE = "/terms/1103/2027"
HOST = "http://testserver"


def _app(store: Any, base: str = HOST) -> TestClient:
    config = ServiceConfig(clock=lambda: NOW, today=dt.date(2028, 9, 1))
    return TestClient(create_app(config, store), base_url=base, follow_redirects=False)


@pytest.fixture
def client(sqlite_store: Any) -> Iterator[TestClient]:
    with _app(sqlite_store) as test_client:
        yield test_client


def _section(html: str, name: str) -> str:
    found = re.search(rf'<section id="{name}".*?</section>', html, re.S)
    assert found, f"no section {name}"
    return found.group(0)


def _row(html: str, section: str, milestone: str) -> str | None:
    found = re.search(rf'<tr id="m-{re.escape(milestone)}".*?</tr>', _section(html, section), re.S)
    return found.group(0) if found else None


def _message(html: str) -> str:
    """The page's one error line, as a person reads it."""
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', html)
    assert found, "no error line"
    return unescape(found.group(1))


def _token(store: Any, owner: str | None = "1103", scope: str = "municipality",
           label: str | None = "Plankontoret") -> str:
    plain, _ = store.create_token(scope, owner, label=label, now=NOW)
    return str(plain)


def _post(client: TestClient, path: str, data: dict[str, str], **headers: str) -> Any:
    headers = {"Origin": HOST, **headers}
    return client.post(path, data=data, headers=headers)


def _sign_in(client: TestClient, token: str) -> None:
    answer = _post(client, PAGE + "/token", {"token": token})
    assert answer.status_code == 303, answer.text


# -- what the page shows -----------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "heading", "title", "day"), [
    ("nb", "Stavanger kommune: valgperioden 2027–2031",
     "Kommunal planstrategi vedtatt i kommunestyret", "15. juni 2028"),
    ("nn", "Stavanger kommune: valperioden 2027–2031",
     "Kommunal planstrategi vedteken i kommunestyret", "15. juni 2028"),
    ("en", "Stavanger municipality: the term 2027–2031",
     "Planning strategy adopted by the council", "15 June 2028"),
])
def test_an_adopted_planstrategi_shows_under_done_with_its_date(
        sqlite_store: Any, lang: str, heading: str, title: str, day: str) -> None:
    sqlite_store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 6, 15), now=NOW)
    with _app(sqlite_store) as client:
        answer = client.get(f"{PAGE}?lang={lang}&today=2028-09-01")
    assert answer.status_code == 200
    html = answer.text
    assert f'<html lang="{lang}">' in html and f"<h1>{heading}</h1>" in html
    row = _row(html, "done", "planstrategi.adopted")
    assert row is not None and title in row and day in row
    assert _row(html, "overdue", "planstrategi.adopted") is None
    assert _row(html, "next", "planstrategi.adopted") is None


def test_without_the_planstrategi_it_is_not_done(client: TestClient) -> None:
    html = client.get(f"{PAGE}?today=2028-09-01").text
    assert _row(html, "done", "planstrategi.adopted") is None


def test_the_constituent_meeting_is_overdue_after_its_day_when_nothing_is_recorded(
        client: TestClient) -> None:
    before = client.get(f"{PAGE}?today=2027-10-01").text
    after = client.get(f"{PAGE}?today=2027-11-15").text
    assert _row(before, "overdue", "election.constituent_meeting") is None
    assert _row(before, "next", "election.constituent_meeting") is not None
    row = _row(after, "overdue", "election.constituent_meeting")
    assert row is not None and "21. oktober 2027" in row and "31. oktober 2027" in row
    assert "Status per 15. november 2027" in after
    # and the forecast says the rule (koml § 7-1) will be broken
    assert 'data-rule="constitution"' in _section(after, "forecast")


def test_the_subscribe_links_are_the_terms_feed(client: TestClient) -> None:
    html = _section(client.get(PAGE).text, "subscribe")
    assert 'href="webcal://testserver/feeds/1103.ics?election=2027"' in html
    assert 'href="http://testserver/feeds/1103.ics?election=2027"' in html


def test_a_county_authority_has_its_page(client: TestClient) -> None:
    answer = client.get("/terms/fylke-11/2027?lang=en")
    assert answer.status_code == 200
    assert "<h1>Rogaland county authority: the term 2027–2031</h1>" in answer.text
    assert "/feeds/fylke/11.ics?election=2027" in answer.text


class _Checker(HTMLParser):
    """Every non-void element closed in order; no script, no external resource."""

    VOID: ClassVar[set[str]] = {"meta", "br", "input", "link", "img", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" or any(name in values for name in ("src", "srcset")):
            self.problems.append(f"resource or script: <{tag}>")
        if tag == "link" or values.get("style") is not None:
            self.problems.append(f"external style or inline style attribute: <{tag}>")
        ident = values.get("id")
        if ident is not None:
            if ident in self.ids:
                self.problems.append(f"duplicate id {ident}")
            self.ids.add(ident)
        if (tag in ("input", "select") and values.get("type") not in ("hidden", "checkbox")
                and values.get("id") is None):
            self.problems.append(f"<{tag}> without an id for its label")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def _check_html(html: str) -> _Checker:
    assert html.startswith("<!doctype html>\n<html lang=")
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.problems == [] and checker.stack == []
    return checker


def test_the_page_is_well_formed_with_a_strict_policy_and_no_script(sqlite_store: Any) -> None:
    token = _token(sqlite_store)
    with _app(sqlite_store) as client:
        plain = client.get(f"{PAGE}?today=2027-11-15")
        _sign_in(client, token)
        writing = client.get(f"{PAGE}?today=2027-11-15")
    for answer in (plain, writing):
        checker = _check_html(answer.text)
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
        assert "script-src" not in policy  # nothing may run
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"
    assert {"milestone", "date", "end", "source", "replace"} <= checker.ids
    assert '<label for="milestone">' in writing.text and '<label for="token">' in plain.text


# -- the forms ---------------------------------------------------------------------------------
def test_a_fact_posted_through_the_form_shows_in_the_store_the_json_and_the_page(
        store: Any) -> None:
    token = _token(store)
    with _app(store) as client:
        _sign_in(client, token)
        page = client.get(f"{PAGE}?today=2028-09-01").text
        assert "Du skriver med nøkkelen «Plankontoret»." in page
        assert '<option value="planstrategi.adopted"' in page
        answer = _post(client, f"{PAGE}/record?today=2028-09-01",
                       {"milestone": "planstrategi.adopted", "date": "2028-06-15",
                        "source": "sak 2028/123"})
        assert answer.status_code == 303, answer.text
        location = answer.headers["location"]
        assert location == (f"{PAGE}?today=2028-09-01&outcome=recorded"
                            "&milestone=planstrategi.adopted")
        shown = client.get(location).text
        again = _post(client, f"{PAGE}/record?today=2028-09-01",
                      {"milestone": "planstrategi.adopted", "date": "2028-06-15"})
        status = client.get("/api/v1/terms/1103/2027?today=2028-09-01").json()
    assert ('<p class="notice" role="status">Registrert: Kommunal planstrategi vedtatt i '
            "kommunestyret, 15. juni 2028.</p>") in shown
    row = _row(shown, "done", "planstrategi.adopted")
    assert row is not None and "15. juni 2028" in row
    assert again.status_code == 303 and "outcome=already" in again.headers["location"]
    facts = store.facts("1103", 2027)
    assert [(f.milestone, f.date, f.source) for f in facts] == [
        ("planstrategi.adopted", dt.date(2028, 6, 15), "sak 2028/123")]
    assert facts[0].token_id is not None and facts[0].recorded == NOW
    adopted = next(m for m in status["milestones"] if m["id"] == "planstrategi.adopted")
    assert adopted["status"] == "done" and adopted["actual_start"] == "2028-06-15"


def test_a_phase_is_recorded_with_its_end(sqlite_store: Any) -> None:
    token = _token(sqlite_store)
    with _app(sqlite_store) as client:
        _sign_in(client, token)
        answer = _post(client, f"{PAGE}/record", {"milestone": "planstrategi.consultation",
                                                  "date": "2027-12-16", "end": "2028-02-03"})
        assert answer.status_code == 303, answer.text
        shown = client.get(answer.headers["location"]).text
    fact = sqlite_store.facts("1103", 2027)[0]
    assert (fact.date, fact.end) == (dt.date(2027, 12, 16), dt.date(2028, 2, 3))
    assert "16. desember 2027–3. februar 2028" in shown


def test_without_a_token_the_form_is_not_shown_and_a_post_is_401(client: TestClient,
                                                                 sqlite_store: Any) -> None:
    page = client.get(PAGE).text
    assert 'name="milestone"' not in page and 'name="token"' in page
    answer = _post(client, f"{PAGE}/record", {"milestone": "planstrategi.adopted",
                                             "date": "2028-06-15"})
    assert answer.status_code == 401
    assert "du har ikke lagt inn en skrivenøkkel" in answer.text
    assert sqlite_store.facts("1103", 2027) == []


def test_an_unknown_token_is_refused_and_not_kept(client: TestClient) -> None:
    answer = _post(client, f"{PAGE}/token?lang=en", {"token": "not-a-token"})
    assert answer.status_code == 401
    assert "the write token was not accepted" in answer.text
    assert "set-cookie" not in answer.headers


def test_another_owners_token_is_403_when_entered_and_when_used(sqlite_store: Any) -> None:
    other = _token(sqlite_store, owner="1101", label="Eigersund")
    with _app(sqlite_store) as client:
        entered = _post(client, f"{PAGE}/token", {"token": other})
        client.cookies.set(TOKEN_COOKIE, other)
        page = client.get(PAGE)
        used = _post(client, f"{PAGE}/record", {"milestone": "planstrategi.adopted",
                                                "date": "2028-06-15"})
    assert entered.status_code == 403 and "set-cookie" not in entered.headers
    assert "skrivenøkkelen gjelder ikke 1103" in entered.text
    assert page.status_code == 200 and 'name="milestone"' not in page.text
    assert used.status_code == 403
    assert sqlite_store.facts("1103", 2027) == []


def test_a_revoked_token_is_401(sqlite_store: Any) -> None:
    plain, info = sqlite_store.create_token("municipality", "1103", label="gammel", now=NOW)
    with _app(sqlite_store) as client:
        _sign_in(client, plain)
        sqlite_store.revoke_token(info.id, now=NOW)
        answer = _post(client, f"{PAGE}/record", {"milestone": "planstrategi.adopted",
                                                  "date": "2028-06-15"})
    assert answer.status_code == 401 and "trukket tilbake" in answer.text
    assert sqlite_store.facts("1103", 2027) == []


def test_an_admin_token_writes_for_any_owner(sqlite_store: Any) -> None:
    token = _token(sqlite_store, owner=None, scope="admin", label=None)
    with _app(sqlite_store) as client:
        _sign_in(client, token)
        answer = _post(client, "/terms/fylke-11/2027/record",
                       {"milestone": "regional_planstrategi.adopted", "date": "2028-06-15"})
    assert answer.status_code == 303, answer.text
    assert [f.milestone for f in sqlite_store.facts("fylke-11", 2027)] == [
        "regional_planstrategi.adopted"]


def test_a_contradicting_fact_is_409_and_replace_records_it(sqlite_store: Any) -> None:
    token = _token(sqlite_store)
    with _app(sqlite_store) as client:
        _sign_in(client, token)
        first = _post(client, f"{PAGE}/record", {"milestone": "planstrategi.adopted",
                                                 "date": "2028-06-15"})
        clash = _post(client, f"{PAGE}/record?lang=en", {"milestone": "planstrategi.adopted",
                                                         "date": "2028-06-20"})
        replaced = _post(client, f"{PAGE}/record", {"milestone": "planstrategi.adopted",
                                                    "date": "2028-06-20", "replace": "1"})
    assert first.status_code == 303
    assert clash.status_code == 409
    assert '<p class="error" role="alert">' in clash.text and "2028-06-15" in clash.text
    assert 'value="2028-06-20"' in clash.text  # the refused form is filled in again
    assert replaced.status_code == 303 and "outcome=recorded" in replaced.headers["location"]
    assert [f.date for f in sqlite_store.facts("1103", 2027)] == [dt.date(2028, 6, 20)]


@pytest.mark.parametrize(("data", "words"), [
    ({"milestone": "planstrategi.adopted", "date": "2035-01-01"}, "2035-01-01"),
    ({"milestone": "planstrategi.adopted", "date": "2028-13-01"}, "is not a date"),
    ({"milestone": "planstrategi.adopted", "date": ""}, "the field 'date' is missing"),
    ({"milestone": "no.such.step", "date": "2028-06-15"}, "no.such.step"),
    ({"milestone": "planstrategi.adopted", "date": "2028-06-15", "end": "2028-06-20"},
     "planstrategi.adopted"),
])
def test_an_invalid_fact_is_422_with_the_reason(sqlite_store: Any, data: dict[str, str],
                                                words: str) -> None:
    token = _token(sqlite_store)
    with _app(sqlite_store) as client:
        _sign_in(client, token)
        answer = _post(client, f"{PAGE}/record?lang=en", data)
    assert answer.status_code == 422, answer.text
    assert words in _message(answer.text)
    assert sqlite_store.facts("1103", 2027) == []


# -- CSRF, cookie, bounds ----------------------------------------------------------------------
def test_a_post_from_another_site_is_refused(sqlite_store: Any) -> None:
    token = _token(sqlite_store)
    with _app(sqlite_store) as client:
        _sign_in(client, token)
        data = {"milestone": "planstrategi.adopted", "date": "2028-06-15"}
        evil = _post(client, f"{PAGE}/record", data, Origin="https://evil.example")
        bare = client.post(f"{PAGE}/record", data=data)
        token_elsewhere = _post(client, f"{PAGE}/token", {"token": token},
                                Origin="http://testserver.evil.example")
        by_referer = client.post(f"{PAGE}/record", data=data,
                                 headers={"Referer": f"{HOST}{PAGE}"})
    assert evil.status_code == 403 and "evil.example" in evil.text
    assert bare.status_code == 403 and token_elsewhere.status_code == 403
    assert by_referer.status_code == 303  # the same host by Referer when Origin is absent
    assert len(sqlite_store.facts("1103", 2027)) == 1


def test_the_cookie_is_httponly_strict_and_secure_over_https(sqlite_store: Any) -> None:
    token = _token(sqlite_store)
    with _app(sqlite_store) as client:
        plain = _post(client, f"{PAGE}/token", {"token": token})
    with _app(sqlite_store, base="https://testserver") as client:
        secure = _post(client, f"{PAGE}/token", {"token": token}, Origin="https://testserver")
        forgotten = _post(client, f"{PAGE}/logout", {}, Origin="https://testserver")
    for answer in (plain, secure):
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith(f"{TOKEN_COOKIE}={token};")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        assert token not in answer.headers["location"]
    assert "Secure" not in plain.headers["set-cookie"]
    assert "Secure" in secure.headers["set-cookie"]
    assert forgotten.status_code == 303
    assert re.search(rf'{TOKEN_COOKIE}="?"?;.*Max-Age=0', forgotten.headers["set-cookie"])


def test_after_logout_the_form_is_gone(sqlite_store: Any) -> None:
    token = _token(sqlite_store)
    with _app(sqlite_store) as client:
        _sign_in(client, token)
        assert 'name="milestone"' in client.get(PAGE).text
        answer = _post(client, f"{PAGE}/logout?lang=en", {})
        page = client.get(answer.headers["location"]).text
    assert "The write token is forgotten in this browser." in page
    assert 'name="milestone"' not in page and 'name="token"' in page


def test_form_bodies_are_bounded_and_must_be_url_encoded(client: TestClient) -> None:
    big = client.post(f"{PAGE}/token", content=b"token=" + b"x" * 20_000,
                      headers={"Origin": HOST,
                               "Content-Type": "application/x-www-form-urlencoded"})
    long_field = _post(client, f"{PAGE}/token", {"token": "x" * 300})
    as_json = client.post(f"{PAGE}/token", json={"token": "x"}, headers={"Origin": HOST})
    assert big.status_code == 413
    assert long_field.status_code == 400 and "200" in long_field.text
    assert as_json.status_code == 415 and "application/x-www-form-urlencoded" in as_json.text


@pytest.mark.parametrize(("path", "code", "words"), [
    ("/terms/9999/2027?lang=en", 404, "9999"),
    ("/terms/fylke-99/2027", 404, "99"),
    ("/terms/oslo/2027?lang=en", 400, "oslo"),
    ("/terms/1103/2026?lang=en", 400, "2026"),
    ("/terms/1103/abcd?lang=en", 400, "the election year 'abcd' is not a number"),
    ("/terms/1103/2027?today=2027-02-30&lang=en", 400, "today '2027-02-30' is not a date"),
    ("/terms/1103/2027?lang=de", 400, "de"),
])
def test_bad_addresses_get_a_one_line_page(client: TestClient, path: str, code: int,
                                           words: str) -> None:
    answer = client.get(path)
    assert answer.status_code == code
    assert words in _message(answer.text)
    _check_html(answer.text)


def test_what_the_request_carries_is_escaped(client: TestClient) -> None:
    bad_day = client.get(f"{PAGE}?today=<script>x")
    outcome = client.get(f"{PAGE}?outcome=recorded&milestone=<script>")
    assert bad_day.status_code == 400
    assert "<script" not in bad_day.text and "&lt;script&gt;" in bad_day.text
    assert outcome.status_code == 200 and "<script" not in outcome.text
    assert 'class="notice"' not in outcome.text
