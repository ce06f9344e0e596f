"""The thread report's HTML page in headless Chromium (selenium + chromedriver): the SVG flow and
the SDG grid render, nothing is wider than a 390-pixel phone, the CSP blocks nothing the page
needs (no script at all). The browser is the ``browser`` fixture of conftest.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plancycle.cli import run

ROOT = Path(__file__).parents[1]
FILES = sorted((ROOT / "examples" / "content").glob("*.toml"))

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture
def page(tmp_path: Path) -> Path:
    out = tmp_path / "thread.html"
    assert run(["thread", *map(str, FILES), "--format", "html", "--output", str(out)]) == 0
    return out


def _metrics(driver: Any, width: int, mobile: bool) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 844, "deviceScaleFactor": 1, "mobile": mobile})


def test_the_report_renders_its_svgs_and_fits_a_phone(browser: Any, page: Path,
                                                      tmp_path: Path) -> None:
    _metrics(browser, 390, True)
    browser.get(page.as_uri())
    assert "Den røde tråden – Fjordvik" in browser.find_element(By.TAG_NAME, "h1").text
    flow = browser.find_element(By.CSS_SELECTOR, "svg.flow")
    assert 300 <= flow.size["width"] <= 390 and flow.size["height"] > 200
    nodes = browser.find_elements(By.CSS_SELECTOR, "svg.flow g.node")
    assert len(nodes) == 6 + 6 + 6 + 4  # themes, guidelines, focus areas, budget years
    broken = browser.find_elements(By.CSS_SELECTOR, "svg.flow g.node.broken")
    assert [b.get_attribute("data-node") for b in broken] == ["f:naering"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.flow path.edge")) > 20
    rect = browser.find_element(By.CSS_SELECTOR, "svg.flow g.node rect")
    assert rect.size["width"] > 50 and rect.size["height"] > 10  # drawn, not collapsed
    goals = browser.find_elements(By.CSS_SELECTOR, "svg.sdgs g.goal")
    assert len(goals) == 17
    covered = [g.get_attribute("data-goal") for g in goals
               if "covered" in (g.get_attribute("class") or "")]
    assert covered == ["1", "3", "4", "8", "9", "10", "11", "13"]
    scroll = int(browser.execute_script("return document.documentElement.scrollWidth"))
    assert scroll <= 390
    # the CSP blocked nothing: the style applied (the broken card is dashed)
    card = browser.find_element(By.CSS_SELECTOR, "section.card.broken")
    assert card.value_of_css_property("border-top-style") == "dashed"
    browser.save_screenshot(str(tmp_path / "phone.png"))


def test_the_report_at_desktop_width_keeps_its_column(browser: Any, page: Path) -> None:
    _metrics(browser, 1280, False)
    browser.get(page.as_uri())
    flow = browser.find_element(By.CSS_SELECTOR, "svg.flow")
    assert 600 <= flow.size["width"] <= 760
    assert int(browser.execute_script("return document.documentElement.scrollWidth")) <= 1280
    assert not browser.find_elements(By.TAG_NAME, "script")
