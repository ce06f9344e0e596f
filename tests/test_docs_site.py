"""The documentation site: it builds strictly in English and bokmål, the bokmål pages are there
under /nb/, and the state diagrams render as SVG with no network (mermaid is served by the site
itself, not loaded from a CDN). The site is built once for the module by ``mkdocs build --strict``
in a subprocess, as CI does."""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
MKDOCS = Path(sys.executable).parent / "mkdocs"
#: the mermaid release in docs/javascripts/mermaid.min.js (docs/javascripts/refresh-mermaid.sh)
MERMAID_VERSION = "11.17.2"

#: pages written in bokmål (``*.nb.md``), at least these (issue 13)
BOKMAL_PAGES = ("index", "getting-started", "concepts/election-cycle", "concepts/process-models",
                "concepts/year-one", "how-to/subscribe", "how-to/meeting-plan", "how-to/scenario",
                "how-to/follow-a-term", "how-to/run-the-service", "how-to/web-app")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as ``mkdocs build --strict`` builds it (both languages), in a temporary folder."""
    if not MKDOCS.exists():
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")
    out = tmp_path_factory.mktemp("docs") / "site"
    proc = subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=55, check=False,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(MKDOCS.parent)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_the_site_builds_strictly_with_the_generated_and_api_pages(site: Path) -> None:
    for page in ("reference/rules", "reference/diagrams", "reference/api", "getting-started"):
        assert (site / page / "index.html").exists()
    api = (site / "reference/api/index.html").read_text(encoding="utf-8")
    assert 'id="plancycle.schedule.build_schedule"' in api


def test_every_bokmal_source_page_has_its_english_original() -> None:
    for page in BOKMAL_PAGES:
        assert (DOCS / f"{page}.nb.md").exists(), page
    for nb in DOCS.rglob("*.nb.md"):
        assert nb.with_name(nb.name.replace(".nb.md", ".md")).exists(), nb


def test_the_bokmal_pages_are_built_under_nb_in_bokmal(site: Path) -> None:
    home = (site / "nb/index.html").read_text(encoding="utf-8")
    assert '<html lang="nb"' in home
    assert "valgperiode" in home and "planstrategi" in home
    assert "Kom i gang" in home  # the translated navigation
    getting_started = (site / "nb/getting-started/index.html").read_text(encoding="utf-8")
    assert "Installer" in getting_started
    english = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and "Kom i gang" not in english
    for page in BOKMAL_PAGES:
        assert (site / "nb" / ("" if page == "index" else page) / "index.html").exists(), page


def test_untranslated_reference_pages_fall_back_to_english_under_nb(site: Path) -> None:
    rules = (site / "nb/reference/rules/index.html").read_text(encoding="utf-8")
    assert '<html lang="nb"' in rules
    assert "Rule table" in (site / "reference/rules/index.html").read_text(encoding="utf-8")
    assert "Rule table" in rules  # the English text, in the bokmål site's frame


def test_each_page_links_to_its_other_language(site: Path) -> None:
    english = (site / "how-to/subscribe/index.html").read_text(encoding="utf-8")
    bokmal = (site / "nb/how-to/subscribe/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[./]*nb/how-to/subscribe/"[^>]*hreflang="nb"', english)
    assert re.search(r'href="[./]*how-to/subscribe/"[^>]*hreflang="en"', bokmal)


def test_mermaid_is_served_by_the_site_in_the_pinned_version(site: Path) -> None:
    served = site / "javascripts/mermaid.min.js"
    assert f'"{MERMAID_VERSION}"' in served.read_text(encoding="utf-8")
    assert (site / "javascripts/mermaid.LICENSE.txt").read_text(encoding="utf-8").startswith(
        "The MIT License")
    assert not (site / "javascripts/refresh-mermaid.sh").exists()
    for page in ("reference/diagrams", "nb/reference/diagrams"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<script src="(\.\./)+javascripts/mermaid\.min\.js"', html), page


# -- the diagrams in headless Chromium with no network ----------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    """The built site on 127.0.0.1, on a port the system picks, in a thread."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=20)
        server.server_close()


@pytest.fixture
def browser_flags() -> tuple[str, ...]:
    """No network but the local server: every other host name fails to resolve."""
    return ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",)


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A DOM node of the DevTools protocol and every node below it, shadow roots included."""
    yield node
    for child in (*node.get("children", ()), *node.get("shadowRoots", ())):
        yield from _walk(child)


def _class(node: dict[str, Any]) -> str:
    attributes = node.get("attributes", [])
    pairs = dict(zip(attributes[::2], attributes[1::2], strict=True))
    return str(pairs.get("class", ""))


def _rendered_diagrams(driver: Any) -> list[list[str]]:
    """For each mermaid container of the page, the texts inside the SVG drawn into it.

    Material draws each diagram into a *closed* shadow root, which page scripts and selenium
    cannot enter; the DevTools protocol's ``pierce`` can."""
    document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    drawings = []
    for node in _walk(document):
        if node.get("localName") in ("div", "pre") and "mermaid" in _class(node).split():
            svgs = [n for n in _walk(node) if n.get("localName") == "svg"]
            drawings.append([str(n.get("nodeValue", "")).strip() for svg in svgs for n in _walk(svg)
                             if n.get("nodeType") == 3 and str(n.get("nodeValue", "")).strip()])
    return drawings


@pytest.mark.parametrize("page", ["reference/diagrams/", "nb/reference/diagrams/"])
def test_the_state_diagrams_render_as_svg_with_no_network(served: str, browser: Any,
                                                          page: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    expected = (DOCS / "reference/diagrams.md").read_text(encoding="utf-8").count("```mermaid")
    assert expected >= 10
    browser.get(f"{served}/{page}")

    def all_drawn(driver: Any) -> list[list[str]] | None:
        drawings = _rendered_diagrams(driver)
        return drawings if len(drawings) == expected and all(drawings) else None

    drawings = WebDriverWait(browser, 40, poll_frequency=0.5).until(all_drawn)
    election = drawings[0]
    assert {"campaign", "constituted", "governing"} <= set(election)  # states, drawn as SVG text
    body = browser.find_element("tag name", "body").text
    assert "stateDiagram-v2" not in body and "[*] -->" not in body  # no mermaid source shown
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert any(name.endswith("/javascripts/mermaid.min.js") for name in loaded)
    assert all(name.startswith(served) for name in loaded), loaded


def test_without_network_a_cdn_would_fail(served: str, browser: Any) -> None:
    """The blocked network is really blocked, so the test above proves the diagrams need none."""
    browser.get(f"{served}/reference/diagrams/")
    fetched = browser.execute_async_script(
        "const done = arguments[0];"
        "fetch('https://unpkg.com/mermaid@11/dist/mermaid.min.js').then(() => done('fetched'),"
        " () => done('failed'));")
    assert fetched == "failed"

