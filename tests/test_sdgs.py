"""The UN sustainable development goals as data (plancycle.sdgs) and ``plancycle sdgs``.

The counts per goal are the UN's (the global indicator framework, A/RES/71/313, annex: goal 1
has targets 1.1–1.5, 1.a, 1.b, goal 17 has 17.1–17.19, ...), checked by hand; the texts checked
word for word are the UN's English text (A/RES/70/1) and FN-sambandet's bokmål (fn.no).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

import plancycle.sdgs as sdgs
from plancycle.cli import run
from plancycle.errors import DataError, InputError
from plancycle.i18n import label, load_data_toml

#: Targets per goal in the UN framework (169 in all).
TARGETS_PER_GOAL = {1: 7, 2: 8, 3: 13, 4: 10, 5: 9, 6: 8, 7: 5, 8: 12, 9: 8, 10: 10, 11: 10,
                    12: 11, 13: 5, 14: 10, 15: 12, 16: 12, 17: 19}
NUMBER = re.compile(r"([1-9]|1[0-7])\.([1-9]|1[0-9]|[a-d])")


def _all_targets() -> list[sdgs.Target]:
    return [target for goal in sdgs.goals() for target in goal.targets]


# -- the data --------------------------------------------------------------------------------------

def test_seventeen_goals_in_order_with_169_targets() -> None:
    goals = sdgs.goals()
    assert [goal.number for goal in goals] == list(range(1, 18))
    assert sum(TARGETS_PER_GOAL.values()) == 169
    assert {goal.number: len(goal.targets) for goal in goals} == TARGETS_PER_GOAL
    assert len(_all_targets()) == 169


def test_target_numbers_are_unique_well_formed_and_of_their_goal() -> None:
    numbers = [target.number for target in _all_targets()]
    assert len(set(numbers)) == 169
    for goal in sdgs.goals():
        for target in goal.targets:
            found = NUMBER.fullmatch(target.number)
            assert found, target.number
            assert int(found[1]) == target.goal == goal.number
    # numbered targets first, then the lettered ones (the means of implementation)
    assert [t.number for t in sdgs.goal(1).targets] == ["1.1", "1.2", "1.3", "1.4", "1.5",
                                                         "1.a", "1.b"]
    assert [t.number for t in sdgs.goal(17).targets] == [f"17.{n}" for n in range(1, 20)]
    assert [t.number for t in sdgs.goal(13).targets][-2:] == ["13.a", "13.b"]


def test_every_goal_is_named_in_three_languages() -> None:
    for goal in sdgs.goals():
        assert set(goal.names) == {"nb", "nn", "en"}
        assert all(name.strip() for name in goal.names.values())
    assert sdgs.goal(11).names == {"nb": "Bærekraftige byer og lokalsamfunn",
                                   "nn": "Berekraftige byar og lokalsamfunn",
                                   "en": "Sustainable cities and communities"}
    assert sdgs.goal(13).name("nb") == "Stoppe klimaendringene"


def test_every_target_has_its_english_text_and_a_norwegian_one_or_is_marked_missing() -> None:
    raw = load_data_toml("sdgs.toml")
    rows = {row["number"]: row for goal in raw["goal"] for row in goal["target"]}
    for target in _all_targets():
        assert target.text_en.strip()
        row = rows[target.number]
        if target.text_nb is None:
            assert target.missing_nb and row["missing_nb"].strip()
            assert target.text("nb") == target.text_en
        else:
            assert not target.missing_nb and "missing_nb" not in row
            assert 0 <= row["source_nb"] < len(sdgs.SOURCES)
            assert target.text("nb") == target.text("nn") == target.text_nb
            assert target.text_nb != target.text_en
        assert target.text("en") == target.text_en


def test_texts_word_for_word_as_the_sources_give_them() -> None:
    assert sdgs.target("11.3").text_en == (
        "By 2030, enhance inclusive and sustainable urbanization and capacity for participatory, "
        "integrated and sustainable human settlement planning and management in all countries")
    assert sdgs.target("3.8").text_en == (
        "Achieve universal health coverage, including financial risk protection, access to "
        "quality essential health-care services and access to safe, effective, quality and "
        "affordable essential medicines and vaccines for all")
    assert sdgs.target("17.19").text_en.startswith("By 2030, build on existing initiatives to "
                                                   "develop measurements of progress")
    assert sdgs.target("11.3").text_nb == (
        "Innen 2030 styrke inkluderende og bærekraftig urbanisering og muligheten for en "
        "deltakende, integrert og bærekraftig samfunnsplanlegging og forvaltning i alle land")
    assert sdgs.target("11.1").text_nb == (
        "Innen 2030 sikre at alle har tilgang til tilfredsstillende og trygge boliger og "
        "grunnleggende tjenester til en overkommelig pris, og bedre forholdene i slumområder")
    # fn.no, goal 13; regjeringen.no, goal 8
    assert sdgs.target("13.2").text_nb == ("Innarbeide tiltak mot klimaendringer i politikk, "
                                           "strategier og planlegging på nasjonalt nivå")
    assert sdgs.target("8.6").text_nb == ("Innen 2020 betydelig redusere andelen unge som verken "
                                          "er i arbeid eller under utdanning eller opplæring.")
    # not found whole in any source: said so, not translated
    assert sdgs.target("17.1").text_nb is None and sdgs.target("5.1").text_nb is None


def test_sources_are_urls_and_name_the_un_and_fn_sambandet() -> None:
    assert sdgs.SOURCES and all(source.startswith("https://") for source in sdgs.SOURCES)
    assert any("undocs.org/A/RES/70/1" in source for source in sdgs.SOURCES)
    assert any("fn.no" in source for source in sdgs.SOURCES)
    with pytest.raises(AttributeError):
        _ = sdgs.NO_SUCH_NAME


def test_norwegian_texts_are_counted_and_never_silently_filled() -> None:
    with_nb = [t for t in _all_targets() if t.text_nb is not None]
    assert len(with_nb) >= 86  # the goals FN-sambandet's texts were found for, at the least
    assert all(t.text_nb is None or t.text_nb.strip() for t in _all_targets())


# -- look-ups --------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [0, 18, -1, "x", "11", True, 11.0, None])
def test_goal_outside_1_to_17_is_an_input_error(bad: Any) -> None:
    with pytest.raises(InputError) as caught:
        sdgs.goal(bad)
    assert caught.value.key == "sdg_unknown_goal"
    assert "1" in str(caught.value) and "17" in str(caught.value)


def test_target_look_up_and_its_errors() -> None:
    assert sdgs.target("11.a").number == "11.a"
    assert sdgs.target(" 11.A ").number == "11.a"
    with pytest.raises(InputError) as caught:
        sdgs.target("11.z")
    assert caught.value.key == "sdg_unknown_target"
    assert str(caught.value) == "goal 11 has no target 11.z: its targets are 11.1 to 11.c"
    with pytest.raises(InputError) as caught:
        sdgs.target("11.8")
    assert caught.value.key == "sdg_unknown_target"
    for malformed in ("11", "11.", "eleven", "11-3", "11.3.1", "", 11.3):
        with pytest.raises(InputError) as caught:
            sdgs.target(malformed)  # type: ignore[arg-type]
        assert caught.value.key == "sdg_bad_target"
        assert "11.3, 11.a" in str(caught.value)
    with pytest.raises(InputError) as caught:
        sdgs.target("18.1")
    assert caught.value.key == "sdg_unknown_goal"


# -- search ----------------------------------------------------------------------------------------

def _numbers(found: tuple[sdgs.Goal, ...]) -> list[str]:
    return [target.number for goal in found for target in goal.targets]


def test_search_by_goal_and_target_number() -> None:
    assert sdgs.search("") == sdgs.goals()
    assert sdgs.search("   ") == sdgs.goals()
    assert sdgs.search("11") == (sdgs.goal(11),)
    found = sdgs.search("11.3")
    assert [goal.number for goal in found] == [11] and _numbers(found) == ["11.3"]
    assert found[0].names == sdgs.goal(11).names
    with pytest.raises(InputError):
        sdgs.search("18")
    with pytest.raises(InputError):
        sdgs.search("11.z")


def test_search_by_words_is_case_and_diacritics_insensitive() -> None:
    # 11.3 is the only target on "participatory" planning
    assert _numbers(sdgs.search("PARTICIPATORY planning")) == ["11.3"]
    # every word must occur: urbanization and heritage are in different targets
    assert sdgs.search("urbanization heritage") == ()
    # a goal's name brings all its targets
    assert _numbers(sdgs.search("life below water")) == [t.number for t in sdgs.goal(14).targets]
    # Norwegian, with and without its letters (æ as ae, ø as o, å as a)
    assert sdgs.search("bærekraftige byer") == sdgs.search("BAEREKRAFTIGE BYER")
    assert sdgs.search("Stoppe klimaendringene") == (sdgs.goal(13),)
    assert sdgs.search("slumområder") == sdgs.search("slumomrader")
    assert "11.1" in _numbers(sdgs.search("slumområder"))
    assert sdgs.search("résilience") == sdgs.search("resilience")


def test_search_is_bounded_and_checks_its_language() -> None:
    with pytest.raises(InputError) as caught:
        sdgs.search("x" * (sdgs.MAX_SEARCH + 1))
    assert caught.value.key == "sdg_search_too_long"
    with pytest.raises(InputError) as caught:
        sdgs.search("klima", "de")  # type: ignore[arg-type]
    assert caught.value.key == "unknown_language"


def test_folding() -> None:
    assert sdgs.folded("Bærekraft på Ørland, café") == "baerekraft pa orland, cafe"


# -- validation at load ----------------------------------------------------------------------------

@pytest.fixture
def shipped() -> Iterator[dict[str, Any]]:
    """A copy of the shipped data to break; the cache is cleared before and after."""
    sdgs.goals.cache_clear()
    yield copy.deepcopy(load_data_toml("sdgs.toml"))
    sdgs.goals.cache_clear()


def _load(monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]) -> DataError:
    monkeypatch.setattr(sdgs, "load_data_toml", lambda name: data)
    sdgs.goals.cache_clear()
    with pytest.raises(DataError) as caught:
        sdgs.goals()
    assert caught.value.key == "sdg_data"
    assert "\n" not in str(caught.value)
    return caught.value


def test_the_shipped_file_loads_and_each_break_is_found(monkeypatch: pytest.MonkeyPatch,
                                                        shipped: dict[str, Any]) -> None:
    assert len(sdgs.goals()) == 17
    breaks = []
    data = copy.deepcopy(shipped)
    data["goal"][10]["target"][2]["number"] = "11.2"  # a repeated number
    breaks.append(data)
    data = copy.deepcopy(shipped)
    data["goal"][10]["target"][2]["number"] = "12.3"  # of another goal
    breaks.append(data)
    data = copy.deepcopy(shipped)
    del data["goal"][16]  # 16 goals
    breaks.append(data)
    data = copy.deepcopy(shipped)
    row = data["goal"][0]["target"][0]
    row.pop("text_nb", None), row.pop("source_nb", None), row.pop("missing_nb", None)
    breaks.append(data)  # neither a Norwegian text nor a note
    data = copy.deepcopy(shipped)
    data["goal"][0]["target"][0].update(text_nb="tekst", source_nb=99)  # unknown source
    data["goal"][0]["target"][0].pop("missing_nb", None)
    breaks.append(data)
    data = copy.deepcopy(shipped)
    data["goal"][0]["target"][0]["text_en"] = "  "  # empty
    breaks.append(data)
    data = copy.deepcopy(shipped)
    data["schema_version"] = 2
    breaks.append(data)
    data = copy.deepcopy(shipped)
    data["goal"][0]["colour"] = "red"  # unknown field
    breaks.append(data)
    for broken in breaks:
        _load(monkeypatch, broken)


# -- the command -----------------------------------------------------------------------------------

def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(["sdgs", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table_lists_all_goals_and_fits_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--width", "100")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "Mål 1: Utrydde fattigdom" in out and "Mål 17: Samarbeid for å nå målene" in out
    assert len(re.findall(r"^  \d+\.[0-9a-z]+ ", out, re.MULTILINE)) == 169
    assert label("sdg_count", "nb", goals=17, targets=169) in out
    code, out, _ = _run(capsys, "--lang", "en", "--width", "100")
    assert "Goal 11: Sustainable cities and communities" in out
    assert " *" not in out  # nothing is marked missing in English
    assert max(len(line) for line in out.splitlines()) <= 100


def test_table_marks_english_texts_shown_for_want_of_norwegian(
        capsys: pytest.CaptureFixture[str]) -> None:
    missing = next((t for t in _all_targets() if t.missing_nb), None)
    if missing is None:
        pytest.skip("every target has a Norwegian text")
    _, out, _ = _run(capsys, missing.number, "--lang", "nn")
    assert out.startswith(label("sdg_goal", "nn", number=missing.goal,
                                name=sdgs.goal(missing.goal).name("nn")))
    assert out.rstrip().endswith(label("sdg_missing_nb", "nn"))


def test_json_has_goals_names_and_targets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "11.3", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"goals": [{"number": 11, "name": "Bærekraftige byer og lokalsamfunn",
                                          "targets": [{"number": "11.3",
                                                       "text": sdgs.target("11.3").text_nb}]}]}
    _, out, _ = _run(capsys, "--format", "json", "--lang", "en")
    document = json.loads(out)
    assert [goal["number"] for goal in document["goals"]] == list(range(1, 18))
    assert sum(len(goal["targets"]) for goal in document["goals"]) == 169
    assert all("missing_nb" not in t for goal in document["goals"] for t in goal["targets"])
    _, out, _ = _run(capsys, "--format", "json", "--lang", "nb")
    for goal in json.loads(out)["goals"]:
        for row in goal["targets"]:
            target = sdgs.target(row["number"])
            assert row.get("missing_nb", False) == target.missing_nb
            assert row["text"] == (target.text_en if target.missing_nb else target.text_nb)


def test_search_words_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "participatory", "planning", "--format", "json")
    assert code == 0
    assert [t["number"] for g in json.loads(out)["goals"] for t in g["targets"]] == ["11.3"]
    code, out, _ = _run(capsys, "nothing-matches-this", "--lang", "en")
    assert code == 0
    assert out == "No sustainable development goal or target matches 'nothing-matches-this'.\n"
    code, out, _ = _run(capsys, "nothing-matches-this", "--format", "json")
    assert json.loads(out) == {"goals": []}


@pytest.mark.parametrize("argv", [["--format", "x"], ["11.z"], ["18"], ["1.1.1"],
                                  ["x" * 300], ["--lang", "de"]])
def test_bad_input_exits_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                         argv: list[str]) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("plancycle: feil: ")


def test_unknown_target_message_in_the_asked_language(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = _run(capsys, "11.z", "--lang", "nn")
    assert err == "plancycle: feil: mål 11 har ikkje delmål 11.z: delmåla er 11.1 til 11.c\n"


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    target = tmp_path / "sdgs.json"
    code, out, _ = _run(capsys, "13", "--format", "json", "--output", str(target))
    assert code == 0 and out == ""
    assert [g["number"] for g in json.loads(target.read_text("utf-8"))["goals"]] == [13]
