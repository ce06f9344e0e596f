"""The public plan overview page in headless Chromium (selenium + chromedriver): it renders,
every plan of the example register is on it, and it fits a 390-pixel-wide phone (no sideways
scrolling). The browser is the ``browser`` fixture of conftest.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from plancycle.plans import load_plan_register
from plancycle.plans.overview import render_overview
from plancycle.plans.report import next_steps

EXAMPLE = Path(__file__).parents[1] / "examples" / "plans" / "planregister.csv"

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402


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
