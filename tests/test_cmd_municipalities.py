"""plancycle municipalities and the search behind it: by number, name or parallel name, without
diacritics (``tromso``, ``baerum``, ``Nord Fron``, ``Raade``), in the CLI, in
find_municipality and in the feed index page (on the server and in headless Chromium)."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from plancycle.cli import run
from plancycle.errors import UnknownMunicipalityError
from plancycle.feed import FeedConfig, make_app, serve_in_thread
from plancycle.folding import fold
from plancycle.municipalities import County, find_municipality, search_municipalities


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def _found(query: str | None, year: int | None = 2023) -> list[str]:
    return [f"{owner.number} {owner.name}" for owner in search_municipalities(query, year)]


# -- folding and the library search ---------------------------------------------------------------

@pytest.mark.parametrize(("typed", "spelled"), [
    ("tromso", "Tromsø"), ("baerum", "Bærum"), ("Nord Fron", "Nord-Fron"), ("Raade", "Råde"),
    ("BAERUM", "Bærum"), ("karasjohka", "Kárášjohka"), ("nord-fron", "Nord Fron"), ("Troms og", "troms-og")])
def test_fold_makes_what_is_typed_equal_to_what_is_spelled(typed: str, spelled: str) -> None:
    assert fold(typed) == fold(spelled)


def test_fold_keeps_different_names_apart() -> None:
    assert fold("Bø") != fold("Bærum") and fold("Os") != fold("Oslo")
    assert fold("Nord-Fron") != fold("Sør-Fron")
    assert fold("tromso") not in fold("Troms og Finnmark")  # no match across words


@pytest.mark.parametrize(("query", "expected"), [
    ("tromso", "5501 Tromsø"), ("baerum", "3201 Bærum"), ("Nord Fron", "3436 Nord-Fron"),
    ("Raade", "3112 Råde"), ("  TROMSØ ", "5501 Tromsø"),
    ("kautokeino", "5612 Guovdageaidnu - Kautokeino"),
    ("guovdageaidnu", "5612 Guovdageaidnu - Kautokeino")])
def test_the_issue_s_searches_find_the_one_municipality_of_2023(query: str, expected: str) -> None:
    assert _found(query) == [expected]


def test_a_search_uses_the_asked_term_s_list() -> None:
    assert _found("tromso", 2015) == ["1902 Tromsø"]  # Troms fylke was 19 before 2020
    assert _found("tromso", 2019) == ["5401 Tromsø"]  # Troms og Finnmark, 2020-2023


def test_no_search_lists_every_municipality_then_every_county_authority() -> None:
    found = search_municipalities(None, 2011)
    kinds = [isinstance(owner, County) for owner in found]
    assert kinds == sorted(kinds)  # municipalities first
    assert kinds.count(False) == 429 and kinds.count(True) == 18  # the 2011 term
    today = search_municipalities("", None)
    assert sum(isinstance(o, County) for o in today) == 14  # 15 fylker, Oslo has no authority
    assert len(today) == 357 + 14


def test_a_number_finds_by_its_first_digits() -> None:
    found = _found("46")
    assert "46 Vestland" in found and "4601 Bergen" in found
    assert all(entry.startswith("46") for entry in found)
    assert _found("1103") == ["1103 Stavanger"]


def test_a_part_of_a_name_finds_every_name_with_it() -> None:
    found = _found("fron")
    assert found == ["3436 Nord-Fron", "3438 Sør-Fron"]


def test_find_municipality_folds_the_same_way_and_stays_strict() -> None:
    assert find_municipality("tromso", 2023).number == "5501"
    assert find_municipality("Nord Fron").number == "3436"
    assert find_municipality("raade").number == "3112"
    with pytest.raises(UnknownMunicipalityError, match=r"1515 Herøy.*1818 Herøy"):
        find_municipality("heroy")  # two municipalities, as with "Herøy"
    with pytest.raises(UnknownMunicipalityError, match="Tromsø"):
        find_municipality("tromsoe")  # a suggestion, not a guess


def test_a_search_too_long_is_refused() -> None:
    with pytest.raises(ValueError, match="100"):
        search_municipalities("x" * 101)


# -- the command -----------------------------------------------------------------------------------

def test_cli_table_finds_tromso(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["municipalities", "tromso", "--election-year", "2023"], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["nummer", "type", "fylke", "navn"]
    assert lines[1].split() == ["5501", "kommune", "Troms", "Tromsø"]
    assert len(lines) == 2


def test_cli_json_and_csv_parse(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["municipalities", "Nord Fron", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["search"] == "Nord Fron" and data["election_year"] is None
    assert data["items"] == [{"number": "3436", "name": "Nord-Fron", "kind": "municipality",
                              "county_number": "34", "county_name": "Innlandet"}]
    code, out, _ = _run(["municipalities", "vestland", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows == [{"number": "46", "name": "Vestland", "kind": "county",
                                   "county_number": "46", "county_name": "Vestland"}]


def test_cli_english_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["municipalities", "vestland", "--lang", "en"], capsys)
    assert code == 0 and out.splitlines()[1].split() == ["46", "county", "authority", "Vestland",
                                                          "Vestland"]


@pytest.mark.parametrize(("args", "words"), [
    (["municipalities", "xyzzy"], ["ingen kommune", "«xyzzy»", "plancycle municipalities"]),
    (["municipalities", "xyzzy", "--election-year", "2019"],
     ["valgperioden 2019–2023", "--election-year 2019"]),
    (["municipalities", "bergen", "--election-year", "2016"], ["ikke et år med kommunestyrevalg"]),
    (["municipalities", "x" * 101], ["høyst 100 tegn"]),
])
def test_cli_bad_input_is_one_line_in_bokmal_exit_2(args: list[str], words: list[str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(args, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("plancycle: feil: ")
    for word in words:
        assert word in err


# -- the feed index page ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server, thread = serve_in_thread(make_app(FeedConfig()))
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


def _rows(html: str) -> int:
    return html.count("<tr data-search=")


@pytest.mark.parametrize(("query", "name"), [("tromso", "Tromsø"), ("baerum", "Bærum"),
                                              ("Nord Fron", "Nord-Fron"), ("Raade", "Råde")])
def test_the_index_filters_on_the_server_the_same_way(base_url: str, query: str,
                                                      name: str) -> None:
    url = f"{base_url}/?q={urllib.parse.quote(query)}"
    with urllib.request.urlopen(url, timeout=20) as response:
        html = response.read().decode()
    assert _rows(html) == 1 and f"<td>{name}</td>" in html


def _visible_names(browser: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [row.find_elements(By.TAG_NAME, "td")[1].text
            for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-search]")
            if row.is_displayed()]


def test_the_index_page_s_script_folds_what_is_typed(base_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{base_url}/")
    box = browser.find_element(By.ID, "q")
    assert len(_visible_names(browser)) == 357 + 14
    for typed, names in (("tromso", ["Tromsø"]), ("baerum", ["Bærum"]),
                         ("Nord Fron", ["Nord-Fron"]), ("fron", ["Nord-Fron", "Sør-Fron"])):
        box.clear()
        box.send_keys(typed)
        assert _visible_names(browser) == names, typed
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
