"""The public plan overview page in headless Chromium (selenium + chromedriver): it renders,
every plan of the example register is on it, and it fits a 390-pixel-wide phone (no sideways
scrolling). Skipped without chromium/chromedriver unless ``PLANCYCLE_REQUIRE_BROWSER=1``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plancycle.plans import load_plan_register
from plancycle.plans.overview import render_overview
from plancycle.plans.report import next_steps

CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium")
EXAMPLE = Path(__file__).parents[1] / "examples" / "plans" / "planregister.csv"

if CHROMEDRIVER is None or CHROMIUM is None:
    if os.environ.get("PLANCYCLE_REQUIRE_BROWSER") == "1":
        raise RuntimeError("PLANCYCLE_REQUIRE_BROWSER=1 but chromium or chromedriver is missing "
                           "(apt-get install -y chromium chromium-driver)")
    pytestmark = pytest.mark.skip(reason="chromium and chromedriver are not installed "
                                         "(apt-get install -y chromium chromium-driver)")

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900"):
        options.add_argument(argument)
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=DriverService(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(tmp_path: Path) -> Path:
    register = load_plan_register(EXAMPLE)
    body = render_overview(register, owner="Gjøvik kommune", today=dt.date(2029, 6, 1),
                           steps=next_steps(register, ()), lang="nb")
    path = tmp_path / "index.html"
    path.write_bytes(body)
    return path


def test_the_overview_renders_every_plan_and_fits_a_phone(browser: Any, page: Path) -> None:
    register = load_plan_register(EXAMPLE)
    browser.get(page.as_uri())
    assert browser.title == "Planoversikt: Gjøvik kommune"
    rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [row.get_attribute("id") for row in rows] == [f"plan-{p.id}" for p in register.plans]
    text = browser.find_element(By.TAG_NAME, "body").text
    for plan in register.plans:
        assert plan.title in text
    assert "Kommunedelplan" in text and "Gjeldende" in text
    links = browser.find_elements(By.LINK_TEXT, "Plandokumenter")
    assert len(links) == sum(1 for p in register.plans if p.url)
    # the inline style applies under its CSP hash: the table header is styled
    header = browser.find_element(By.CSS_SELECTOR, "th")
    assert header.value_of_css_property("background-color") == "rgba(246, 248, 250, 1)"
    browser.set_window_size(390, 844)
    browser.get(page.as_uri())
    width = int(browser.execute_script("return document.documentElement.scrollWidth"))
    viewport = int(browser.execute_script("return window.innerWidth"))
    assert viewport <= 390
    assert width <= 390
    assert "Kulturminneplan" in browser.find_element(By.TAG_NAME, "body").text
