"""plancycle rules: the rule table as a list, one rule in full (text, paragraph, Lovdata URL,
binding, confidence, periods in force), a search, and one line for what matches nothing.
Golden facts: pbl § 10-1 asks for a planstrategi within a year of the constituent meeting;
the constituent meeting rests on koml 1992 § 17 until the 2018 act's § 7-1 took over."""

from __future__ import annotations

import csv
import io
import json

import pytest

from plancycle.cli import run
from plancycle.rules import find_rules, rule_table


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_list_has_every_rule_once_with_the_revision_date(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["rules", "--width", "1000"], capsys)  # a rule a line
    assert (code, err) == (0, "")
    table = rule_table()
    lines = out.splitlines()
    assert lines[0] == (f"Regeltabellen, sist revidert {table.revised:%d.%m.%Y}: "
                        f"{len(table.ids)} regler")
    assert lines[2].split() == ["id", "bindingsgrad", "sikkerhet", "grunnlag", "regel"]
    ids = [line.split()[0] for line in lines[3:3 + len(table.ids)]]
    assert ids == list(table.ids)
    row = next(line for line in lines if line.startswith("planstrategi-deadline "))
    assert "lovpålagt" in row and "pbl § 10-1 første ledd" in row
    assert lines[-1] == "Vis én regel i sin helhet med plancycle rules REGEL-ID."


def test_one_rule_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["rules", "planstrategi-deadline", "--width", "200"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "planstrategi-deadline"
    assert "i hele perioden plancycle dekker" in out
    assert "senest innen ett år etter konstitueringen" in out
    assert "Bindingsgrad: lovpålagt" in out
    assert "Kildesikkerhet: S (verifisert i en sekundærkilde)" in out
    assert ("Grunnlag: pbl § 10-1 første ledd  https://lovdata.no/lov/2008-06-27-71/§10-1"
            in out)


def test_a_rule_with_two_versions_shows_both_periods(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["rules", "constitution", "--lang", "en"], capsys)
    assert code == 0
    assert "Version 1, in force until 2019-06-30" in out
    assert "Version 2, in force from 2019-07-01" in out
    assert "koml 1992 § 17 nr. 1  https://lovdata.no/lov/1992-09-25-107/§17" in out
    assert "koml § 7-1  https://lovdata.no/lov/2018-06-22-83/§7-1" in out
    assert out.index("Version 1") < out.index("koml 1992") < out.index("Version 2")


def test_a_proposal_is_said_not_to_be_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["rules", "reform-no-planprogram", "--lang", "nn"], capsys)
    assert code == 0 and "Versjon 1, ikkje i kraft" in out and "i heile perioden" not in out


def test_json_of_one_rule_and_of_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["rules", "constitution", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0 and [rule["id"] for rule in data["rules"]] == ["constitution"]
    versions = data["rules"][0]["versions"]
    assert [(v["valid_from"], v["valid_to"]) for v in versions] == [
        (None, "2019-06-30"), ("2019-07-01", None)]
    assert versions[1]["basis"] == [{"law": "koml", "section": "§ 7-1",
                                     "url": "https://lovdata.no/lov/2018-06-22-83/§7-1"}]
    code, out, _ = _run(["rules", "--format", "json"], capsys)
    assert code == 0 and len(json.loads(out)["rules"]) == len(rule_table().ids)


def test_csv_has_one_row_per_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["rules", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == len(rule_table().rules)
    constitution = [row for row in rows if row["id"] == "constitution"]
    assert [row["version"] for row in constitution] == ["1", "2"]


def test_a_search_by_paragraph_lists_the_rules_of_pbl_10_1(
        capsys: pytest.CaptureFixture[str]) -> None:
    found = find_rules("10-1")
    assert found[:5] == ("planstrategi-deadline", "planstrategi-notice",
                         "planstrategi-consultation", "planstrategi-decides",
                         "planstrategi-combine")
    code, out, _ = _run(["rules", "10-1"], capsys)
    assert code == 0 and f": {len(found)} regler" in out.splitlines()[0]


def test_a_search_is_folded_and_one_hit_is_shown_in_full(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert "kommuneplan-hearing" in find_rules("horing")  # høring, typed without ø
    assert find_rules("PLANSTRATEGI-DEADLINE") == ("planstrategi-deadline",)
    assert find_rules("oversikt over folkehelsen") == ("public-health-overview",)
    code, out, _ = _run(["rules", "Oversikt over folkehelsen"], capsys)
    assert code == 0 and out.splitlines()[0] == "public-health-overview"
    assert "Versjon 1" in out


@pytest.mark.parametrize("query", ["nonsense", "planstrategi-deadlin3", "x" * 101])
def test_what_matches_nothing_is_one_line_exit_2(query: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["rules", query], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("plancycle: feil: ")
    assert "plancycle rules" in err or "høyst 100 tegn" in err
