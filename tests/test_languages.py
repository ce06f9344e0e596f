"""Every text a user reads exists in bokmål, nynorsk and English — in every texts file, in the rule
data, for every milestone a schedule can produce, and for every label key the code asks for.

``test_data_texts.py`` checks the shape of ``texts.toml`` and ``rules.toml``; this file checks the
other texts files, the texts as the program loads and uses them, and that English is translated.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from plancycle import ElectionPeriod, build_schedule, find_county, find_municipality
from plancycle.errors import DataError
from plancycle.i18n import LANGUAGES, catalogue, has_county_text, label, milestone_text
from plancycle.models import Schedule
from plancycle.processes import COUNTY_PROCESS_NAMES, PROCESS_MODELS, PROCESS_NAMES, definitions
from plancycle.rules import rule_table
from plancycle.schedule import ScheduleOptions

SRC = Path(__file__).parents[1] / "src/plancycle"
DATA = SRC / "data"
TEXT_FILES = sorted(DATA.glob("texts*.toml"))
# texts.toml is checked entry by entry in test_data_texts.py
OTHER_TEXT_FILES = [p for p in TEXT_FILES if p.name != "texts.toml"]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_trilingual(value: Any, where: str) -> None:
    assert isinstance(value, dict), f"{where}: expected a table with nb, nn and en"
    missing = [lang for lang in LANGUAGES if not str(value.get(lang, "")).strip()]
    assert not missing, f"{where}: missing or empty in {', '.join(missing)}"
    extra = set(value) - set(LANGUAGES)
    assert not extra, f"{where}: unknown languages {sorted(extra)}"
    fields = {lang: _placeholders(value[lang]) for lang in LANGUAGES}
    assert fields["nb"] == fields["nn"] == fields["en"], f"{where}: placeholders differ {fields}"


def _untranslated(text: Mapping[str, str]) -> bool:
    """English identical to bokmål in a text of two or more words: most likely not translated."""
    words = re.findall(r"[^\W\d_]{2,}", re.sub(r"\{[^}]*\}", "", text["en"]))
    return text["en"] == text["nb"] and len(words) >= 2


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as stream:
        return tomllib.load(stream)


# --- every texts file ---------------------------------------------------------------------------


def test_there_are_texts_files_besides_the_core_one() -> None:
    assert OTHER_TEXT_FILES, "expected feature texts files (texts_<topic>.toml)"


@pytest.mark.parametrize("path", OTHER_TEXT_FILES, ids=lambda p: p.name)
def test_every_label_of_a_feature_texts_file_is_in_three_languages(path: Path) -> None:
    raw = _load(path)
    assert set(raw) <= {"schema_version", "label", "milestone"}, f"{path.name}: unknown tables"
    for key, value in raw.get("label", {}).items():
        _check_trilingual(value, f"{path.name} label.{key}")


@pytest.mark.parametrize("path", OTHER_TEXT_FILES, ids=lambda p: p.name)
def test_every_milestone_of_a_feature_texts_file_has_title_and_todo_in_three_languages(
        path: Path) -> None:
    for key, entry in _load(path).get("milestone", {}).items():
        assert set(entry) == {"title", "todo"}, f"{path.name} milestone.{key}: {sorted(entry)}"
        for part in ("title", "todo"):
            _check_trilingual(entry[part], f"{path.name} milestone.{key}.{part}")


def test_every_loaded_text_is_translated_into_english() -> None:
    texts = catalogue()
    suspects = [f"label.{key}" for key, text in texts.label.items() if _untranslated(text)]
    suspects += [f"milestone.{key}.{part}" for key, entry in texts.milestone.items()
                 for part, text in entry.items() if _untranslated(text)]
    assert not suspects, f"English identical to bokmål: {suspects}"


def test_untranslated_check_catches_a_copied_text() -> None:
    assert _untranslated({"nb": "Planstrategi vedtatt", "nn": "Planstrategi vedteken",
                          "en": "Planstrategi vedtatt"})
    assert not _untranslated({"nb": "{process} – {model}", "nn": "{process} – {model}",
                              "en": "{process} – {model}"})
    assert not _untranslated({"nb": "Planstrategi", "nn": "Planstrategi", "en": "Planstrategi"})


# --- rule data ----------------------------------------------------------------------------------


def test_every_rule_version_and_law_reads_in_three_languages_and_is_translated() -> None:
    table = rule_table()
    for rule in table:
        where = f"rule {rule.id} v{rule.version}"
        _check_trilingual(rule.text.model_dump(), where)
        assert not _untranslated(rule.text.model_dump()), f"{where}: English identical to bokmål"
        for lang in LANGUAGES:
            assert rule.title(lang) == rule.text.get(lang)
    for key, law in table.laws.items():
        _check_trilingual(law.name.model_dump(), f"law {key}")


# --- every milestone a schedule can produce -----------------------------------------------------

OWNERS = {"municipality": find_municipality("1103"), "county": find_county("11")}


def _schedules() -> list[tuple[str, Schedule, Schedule, Schedule]]:
    out = []
    for owner_name, owner in OWNERS.items():
        for model in PROCESS_MODELS:
            for year, notice in ((2011, True), (2027, False)):
                period = ElectionPeriod.for_year(year)
                options = ScheduleOptions(handlingsdel_notice=notice)
                nb, nn, en = (build_schedule(period, owner, model, options, lang=lang)
                              for lang in LANGUAGES)
                out.append((f"{owner_name}-{model}-{year}", nb, nn, en))
    return out


SCHEDULES = _schedules()


@pytest.mark.parametrize("case", SCHEDULES, ids=lambda c: c[0])
def test_every_milestone_of_a_schedule_has_a_title_and_todo_in_every_language(
        case: tuple[str, Schedule, Schedule, Schedule]) -> None:
    _, nb, nn, en = case
    assert [m.id for m in nb.milestones] == [m.id for m in nn.milestones] == \
        [m.id for m in en.milestones]
    for by_lang in zip(nb.milestones, nn.milestones, en.milestones, strict=True):
        for milestone in by_lang:
            assert milestone.title.strip() and milestone.todo.strip(), milestone.id
            assert "{" not in milestone.title + milestone.todo, f"{milestone.id}: unfilled field"
        first, _, english = by_lang
        assert english.title != first.title, f"{first.id}: English title is the bokmål one"
        assert english.todo != first.todo, f"{first.id}: English to-do is the bokmål one"


def test_schedules_cover_every_process_a_municipality_and_a_county_run() -> None:
    produced = {m.process for _, nb, _, _ in SCHEDULES for m in nb.milestones}
    assert produced == set(PROCESS_NAMES) | set(COUNTY_PROCESS_NAMES)


@pytest.mark.parametrize("case", SCHEDULES, ids=lambda c: c[0])
def test_schedule_warnings_are_translated(case: tuple[str, Schedule, Schedule, Schedule]) -> None:
    _, nb, nn, en = case
    assert len(nb.warnings) == len(nn.warnings) == len(en.warnings)
    for pair in zip(nb.warnings, en.warnings, strict=True):
        assert pair[0] != pair[1], f"warning not translated: {pair[0]}"


def test_every_warning_a_period_can_cause_reads_in_three_languages() -> None:
    period = ElectionPeriod.for_year(2027, election_day_override=dt.date(2027, 9, 14),
                                     constituted=dt.date(2027, 11, 4))
    warnings = {lang: build_schedule(period, None, "reform", lang=lang).warnings
                for lang in LANGUAGES}
    assert len(warnings["nb"]) >= 3  # late constitution, not a Monday, reform
    assert len(set(warnings["nb"]) & set(warnings["en"])) == 0
    assert len(set(warnings["nn"]) & set(warnings["en"])) == 0


# --- every label key the code asks for ----------------------------------------------------------


def _literal_keys(function: str) -> set[tuple[str, str]]:
    """(file, key) of every call ``function("key", ...)`` with a literal key in src/."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == function and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add((path.relative_to(SRC).as_posix(), node.args[0].value))
    return found


def _error_keys() -> set[tuple[str, str]]:
    """(file, key) of every ``...Error(key="...")`` raised in src/."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if (keyword.arg == "key" and isinstance(keyword.value, ast.Constant)
                            and isinstance(keyword.value.value, str)
                            and isinstance(node.func, ast.Name)
                            and node.func.id.endswith("Error")):
                        found.add((path.relative_to(SRC).as_posix(), keyword.value.value))
    return found


def test_every_literal_label_key_in_the_code_exists() -> None:
    keys = _literal_keys("label")
    assert len(keys) > 5
    missing = sorted(f"{file}: {key}" for file, key in keys if key not in catalogue().label)
    assert not missing, f"labels used but not defined: {missing}"


def test_every_error_key_raised_in_the_code_has_a_message() -> None:
    keys = _error_keys()
    assert keys
    missing = sorted(f"{file}: error_{key}" for file, key in keys
                     if f"error_{key}" not in catalogue().label)
    assert not missing, f"error messages raised but not defined: {missing}"


def test_every_label_built_from_a_value_exists() -> None:
    wanted = [f"process_{name}" for name in (*PROCESS_NAMES, *COUNTY_PROCESS_NAMES)]
    wanted += [f"model_{model}" for model in PROCESS_MODELS]
    wanted += [f"kind_{kind}" for kind in ("deadline", "phase", "event")]
    wanted += [f"confidence_{c}" for c in ("L", "S", "P", "U")]
    wanted += ["statutory", "recommended", "practice"]
    for key in wanted:
        for lang in LANGUAGES:
            assert label(key, lang).strip(), f"{key}.{lang}"


def _milestone_text_keys() -> set[tuple[str, str]]:
    """(where, key) of every milestone text the code can ask for: keys written literally in a
    ``milestone_text("key", ...)`` call, and the key of every step of every process definition
    (``<process>.<step>``, and ``<key>@county`` where a county authority has its own texts),
    which is what a schedule asks for (``schedule._milestone``)."""
    found = set(_literal_keys("milestone_text"))
    for model in PROCESS_MODELS:
        for county in (False, True):
            for notice in (True, False):
                for item in definitions(model, handlingsdel_notice=notice, county=county):
                    for step in item.steps:
                        key = f"{item.name}.{step.milestone}"
                        found.add((f"{model} {item.name}", key))
                        if county and has_county_text(key):
                            found.add((f"{model} {item.name} (county)", f"{key}@county"))
    return found


def test_every_milestone_text_key_the_code_asks_for_exists() -> None:
    keys = _milestone_text_keys()
    processes = {key.partition(".")[0] for _, key in keys}
    assert processes == set(PROCESS_NAMES) | set(COUNTY_PROCESS_NAMES), processes
    assert any(key.endswith("@county") for _, key in keys)
    missing = []
    for where, key in sorted(keys):
        for part in ("title", "todo"):
            for lang in LANGUAGES:
                try:
                    text = milestone_text(key, part, lang, year=2027, next_year=2028,  # type: ignore[arg-type]
                                          prev_year=2026)
                except DataError:
                    text = ""
                if not text.strip():
                    missing.append(f"{where}: {key}.{part}.{lang}")
    assert not missing, f"milestone texts asked for but not defined: {missing}"


def test_the_milestone_text_key_check_finds_a_missing_key() -> None:
    with pytest.raises(DataError, match="no title for milestone"):
        milestone_text("planstrategi.no_such_step", "title", "en")


def test_trilingual_check_names_the_missing_language() -> None:
    with pytest.raises(AssertionError, match="missing or empty in nn"):
        _check_trilingual({"nb": "Frist", "nn": " ", "en": "Due"}, "label.due")
    with pytest.raises(AssertionError, match="placeholders differ"):
        _check_trilingual({"nb": "{days} dager", "nn": "{days} dagar", "en": "days"}, "label.x")
