"""The compiled message catalogue (data/texts.json) is the TOML files' merge, and never used stale."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from plancycle import textfiles
from plancycle.errors import DataError
from plancycle.i18n import LANGUAGES, catalogue, label

DATA = Path(__file__).parents[1] / "src/plancycle/data"
FIX = "stale: regenerate with `python -m plancycle.textfiles` and commit the result"


def _sources() -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in sorted(DATA.glob("texts*.toml"))]


def test_committed_compiled_catalogue_is_the_merge_of_the_toml_files() -> None:
    committed = (DATA / textfiles.COMPILED).read_text(encoding="utf-8")
    assert committed == textfiles.compiled_text(_sources()), f"data/{textfiles.COMPILED} is {FIX}"


def test_catalogue_holds_every_label_of_every_toml_file_in_three_languages() -> None:
    loaded = catalogue()
    count = 0
    for path in sorted(DATA.glob("texts*.toml")):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        for key, value in raw.get("label", {}).items():
            assert {lang: loaded.label[key][lang] for lang in LANGUAGES} == value, key
            count += 1
        for key, entry in raw.get("milestone", {}).items():
            assert loaded.milestone[key] == entry, key
    assert count == len(loaded.label) > 900


def test_a_known_label_reads_in_each_language() -> None:
    # texts_i13_messages.toml: the reminder of a milestone one day ahead
    assert label("ical_alarm_tomorrow", "nb", title="X") == "I morgen: X"
    assert label("ical_alarm_tomorrow", "nn", title="X") == "I morgon: X"
    assert label("ical_alarm_tomorrow", "en", title="X") == "Tomorrow: X"


def test_digest_changes_with_any_byte_or_name() -> None:
    sources = [("texts.toml", b'[label.a]\nnb = "A"\nnn = "A"\nen = "A"\n')]
    base = textfiles.digest(sources)
    assert textfiles.digest([("texts.toml", sources[0][1].replace(b'"A"', b'"B"', 1))]) != base
    assert textfiles.digest([("texts_x.toml", sources[0][1])]) != base
    assert textfiles.digest([*sources, ("texts_x.toml", b"")]) != base


def test_a_stale_compiled_file_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited TOML file wins over the compiled file until it is regenerated."""
    sources = _sources()
    edited = [(name, raw + b'\n[label.zz_only_in_toml]\nnb = "b"\nnn = "n"\nen = "e"\n')
              if name == "texts.toml" else (name, raw) for name, raw in sources]
    monkeypatch.setattr(textfiles, "_sources", lambda: edited)
    tables = textfiles.load_texts()
    assert tables["label"]["zz_only_in_toml"] == {"nb": "b", "nn": "n", "en": "e"}
    monkeypatch.setattr(textfiles, "_sources", lambda: sources)
    assert "zz_only_in_toml" not in textfiles.load_texts()["label"]


def test_the_current_compiled_file_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parse(sources: object) -> None:
        raise AssertionError("parsed the TOML files although texts.json is current")

    monkeypatch.setattr(textfiles, "merge", no_parse)
    assert "ical_alarm_tomorrow" in textfiles.load_texts()["label"]


def test_a_key_in_two_files_is_an_error() -> None:
    text = b'[label.same]\nnb = "a"\nnn = "a"\nen = "a"\n'
    with pytest.raises(DataError, match=r"texts_b\.toml defines label .same. again"):
        textfiles.merge([("texts_a.toml", text), ("texts_b.toml", text)])


def test_a_broken_file_is_named() -> None:
    with pytest.raises(DataError, match=r"texts_bad\.toml"):
        textfiles.merge([("texts_bad.toml", b"[label.x\n")])


def test_compiled_text_is_sorted_json_with_the_digest() -> None:
    sources = [("texts.toml", b'[label.b]\nnb = "B"\nnn = "B"\nen = "B"\n'
                              b'[label.a]\nnb = "\xc3\xa6"\nnn = "A"\nen = "A"\n')]
    text = textfiles.compiled_text(sources)
    document = json.loads(text)
    assert document["digest"] == textfiles.digest(sources)
    assert list(document["label"]) == ["a", "b"] and "æ" in text
