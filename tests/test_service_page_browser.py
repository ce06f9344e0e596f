"""The planner's page in headless Chromium (selenium + chromedriver) on a real uvicorn server:
enter the token, record a fact through the form and see it as done; the page and the index fit a
390-pixel-wide phone (no sideways scrolling); screenshots at phone and desktop width."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn")
import uvicorn

from plancycle.service import ServiceConfig, create_app

NOW = dt.datetime(2028, 9, 1, 12, 0, tzinfo=dt.UTC)
PHONE = (390, 844)

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture
def server(sqlite_store: Any) -> Iterator[str]:
    """The plan service on uvicorn, on a port the system picks, in a thread."""
    config = ServiceConfig(clock=lambda: NOW, today=dt.date(2028, 9, 1))
    app = create_app(config, sqlite_store)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        uv.should_exit = True
        thread.join(timeout=20)
        sock.close()




def _phone(driver: Any) -> None:
    width, height = PHONE
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})


def _desktop(driver: Any) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def _submit(driver: Any, selector: str) -> None:
    """Click the button and wait (bounded) until the answer page has replaced this one."""
    button = driver.find_element(By.CSS_SELECTOR, selector)
    button.click()
    WebDriverWait(driver, 30).until(staleness_of(button))


def _scroll_width(driver: Any) -> int:
    return int(driver.execute_script("return document.documentElement.scrollWidth"))


def test_enter_the_token_record_a_fact_and_see_it_done(server: str, browser: Any,
                                                       sqlite_store: Any) -> None:
    token, _ = sqlite_store.create_token("municipality", "1103", label="Plankontoret", now=NOW)
    browser.get(f"{server}/terms/1103/2027?today=2028-09-01")
    assert "Stavanger kommune: valgperioden 2027–2031" in browser.find_element(By.TAG_NAME, "h1").text
    assert not browser.find_elements(By.ID, "milestone")  # no form before the token
    browser.find_element(By.ID, "token").send_keys(token)
    _submit(browser, "#write form button[type=submit]")
    assert token not in browser.current_url
    assert "Skrivenøkkelen er lagret" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    cookie = browser.get_cookie("plancycle_token")
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    Select(browser.find_element(By.ID, "milestone")).select_by_value("planstrategi.adopted")
    date_field = browser.find_element(By.ID, "date")
    browser.execute_script("arguments[0].value = '2028-06-15'", date_field)
    browser.find_element(By.ID, "source").send_keys("sak 2028/123")
    _submit(browser, "#record button[type=submit]")

    notice = browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert notice == "Registrert: Kommunal planstrategi vedtatt i kommunestyret, 15. juni 2028."
    row = browser.find_element(By.CSS_SELECTOR, "#done tr[id='m-planstrategi.adopted']")
    assert "15. juni 2028" in row.text
    assert [(f.milestone, f.date) for f in sqlite_store.facts("1103", 2027)] == [
        ("planstrategi.adopted", dt.date(2028, 6, 15))]


def test_the_page_and_the_index_fit_a_phone(server: str, browser: Any, sqlite_store: Any,
                                            tmp_path: Path) -> None:
    token, _ = sqlite_store.create_token("municipality", "1103", label="Plankontoret", now=NOW)
    sqlite_store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 6, 15), now=NOW)
    _phone(browser)
    browser.get(f"{server}/terms/1103/2027?today=2028-09-01")
    field = browser.find_element(By.ID, "token")
    field.send_keys(token + Keys.ENTER)  # a phone's "Go" key submits the form
    WebDriverWait(browser, 30).until(staleness_of(field))
    assert browser.find_elements(By.ID, "milestone")  # the record form, with its long <select>
    widths = {"page": _scroll_width(browser)}
    browser.save_screenshot(str(tmp_path / "page-phone.png"))
    for lang in ("nn", "en"):
        browser.get(f"{server}/terms/1103/2027?today=2028-09-01&lang={lang}")
        widths[f"page-{lang}"] = _scroll_width(browser)
    browser.get(f"{server}/?q=berg")
    widths["index"] = _scroll_width(browser)
    browser.get(f"{server}/")
    widths["index-all"] = _scroll_width(browser)
    browser.save_screenshot(str(tmp_path / "index-phone.png"))
    assert max(widths.values()) <= PHONE[0], widths
    _desktop(browser)
    browser.get(f"{server}/terms/1103/2027?today=2028-09-01")
    assert _scroll_width(browser) <= 1280
    browser.save_screenshot(str(tmp_path / "page-desktop.png"))
    for name in ("page-phone.png", "index-phone.png", "page-desktop.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
