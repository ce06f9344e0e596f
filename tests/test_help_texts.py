"""Every ``--help`` text of every command, in bokmål, nynorsk and English (issue 13, item 1).

The parser is built once per language, as :func:`plancycle.cli.run` builds it after reading
``--lang``, and every subcommand's summary, description, epilog and argument help is checked.
argparse's own frame ("usage:", "options:", "show this help message and exit") is not these
texts and is left out.
"""

from __future__ import annotations

import argparse
import re
import string
from collections.abc import Iterator

import pytest

from plancycle.cli import build_parser, run
from plancycle.commands._texts import CLI_LANGUAGE, help_text
from plancycle.i18n import LANGUAGES, Language, catalogue
from plancycle.simulation.batch import MAX_RUNS

#: Common English words that are not Norwegian words (so "for", "in", "to", "at", "by", "all",
#: "time", "plan", "per", "under", and nynorsk's "no" (now) and "same", are left out).
_ENGLISH = """
    the of with which when where is are was were this that these those from only each every
    write writes file files show shows given instead and or not an it its their them they
    on into than more after before without default if then there what who how one see
    use used will must can may should folder name names language municipality municipalities
    county meeting meetings run runs save read day days year years date dates term terms
    number process output also any other here been has have do does while until
"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())

#: Syntax inside a help text, the same in every language: options, URLs and paths, ids and
#: file names (``planstrategi.adopted``, ``action_economy_plan``, ``*.toml``).
_SYNTAX = re.compile(r"--?[\w-]+|\S+://\S*|\S*[/._*$\[=]\S*")
_WORD = re.compile(r"[^\W\d_]+")


def _parser(lang: Language) -> argparse.ArgumentParser:
    token = CLI_LANGUAGE.set(lang)
    try:
        return build_parser()
    finally:
        CLI_LANGUAGE.reset(token)


def _argparse_own(action: argparse.Action) -> bool:
    """argparse's own actions (``-h``, ``--version``): their texts are argparse's frame."""
    return isinstance(action, argparse._HelpAction | argparse._VersionAction)


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str | None,
                                                                    argparse.ArgumentParser]]:
    """(path, summary, parser) of every subcommand under ``parser``, depth first."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                path = f"{parser.prog.removeprefix('plancycle').strip()} {name}".strip()
                yield path, summaries.get(name), sub
                yield from _subcommands(sub)


def help_texts(lang: Language) -> list[tuple[str, str | None]]:
    """(where, text) of every help text of every subcommand, in ``lang``."""
    found: list[tuple[str, str | None]] = []
    for path, summary, sub in _subcommands(_parser(lang)):
        found.append((f"{path} (summary)", summary))
        found.append((f"{path} (description)", sub.description))
        if sub.epilog is not None:
            found.append((f"{path} (epilog)", sub.epilog))
        for action in sub._actions:
            if _argparse_own(action) or isinstance(action, argparse._SubParsersAction):
                continue
            name = action.option_strings[-1] if action.option_strings else action.metavar
            found.append((f"{path} {name}", action.help))
    return found


def english_words(text: str) -> set[str]:
    """The words of ``text`` in :data:`ENGLISH_WORDS`, syntax and metavars (FILE, YEAR) left out."""
    prose = _SYNTAX.sub(" ", text)
    return {word.lower() for word in _WORD.findall(prose)
            if not word.isupper() and word.lower() in ENGLISH_WORDS}


def test_the_walk_finds_every_command_and_option() -> None:
    where = dict(help_texts("en"))
    for expected in ("schedule --election-year", "ics --today", "simulate --force",
                     "compare --profile", "db import --terms-dir", "token create --admin",
                     "plans TERM_FILE", "wheel --term", "serve --port", "schedule (summary)"):
        assert expected in where, expected
    assert len(where) > 150


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_help_text_is_there(lang: Language) -> None:
    missing = [where for where, text in help_texts(lang) if not (text and text.strip())]
    assert missing == []


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_norwegian_help_has_no_english_words(lang: Language) -> None:
    english = {where: sorted(words) for where, text in help_texts(lang)
               if (words := english_words(text or ""))}
    assert english == {}


def test_the_word_check_finds_english() -> None:
    """The check above can fail: the English help is full of the words it looks for."""
    flagged = [where for where, text in help_texts("en") if english_words(text or "")]
    assert len(flagged) > 100
    assert english_words("write to FILE (atomically) instead of stdout") == {"write", "instead", "of"}
    assert english_words("skriv til FILE i stedet for --output, f.eks. planer.xlsx") == set()


def test_norwegian_help_is_not_the_english_one() -> None:
    texts = {lang: dict(help_texts(lang)) for lang in LANGUAGES}
    assert texts["nb"].keys() == texts["nn"].keys() == texts["en"].keys()
    same_nb = [where for where, text in texts["nb"].items() if text == texts["en"][where]]
    same_nn = [where for where, text in texts["nn"].items() if text == texts["en"][where]]
    assert same_nb == [] and same_nn == []


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_help_labels_have_the_same_placeholders_in_every_language() -> None:
    labels = {key: text for key, text in catalogue().label.items() if key.startswith("help_")}
    assert len(labels) > 100
    differ = {key: [sorted(_placeholders(text.get(lang))) for lang in LANGUAGES]
              for key, text in labels.items()
              if len({frozenset(_placeholders(text[lang])) for lang in LANGUAGES}) > 1}
    assert differ == {}


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        run([*argv, "--help"])
    assert stopped.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_schedule_help_is_in_bokmal_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys, "schedule")
    assert "valgåret for kommunevalget: 2011, 2015, … (hvert fjerde år)" in text
    assert "kommunenummer (f.eks. 1103) eller navn (f.eks. Stavanger)" in text
    assert "municipal election year" not in text


def test_help_follows_lang(capsys: pytest.CaptureFixture[str]) -> None:
    assert "valåret for kommunevalet" in _help(capsys, "schedule", "--lang", "nn")
    assert "municipal election year: 2011" in _help(capsys, "schedule", "--lang", "en")


def test_numbers_in_help_are_written_as_the_language_writes_them(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The run limit: 1,000,000 in English, 1 000 000 in Norwegian (a comma is a decimal sign)."""
    english = f"{MAX_RUNS:,}"
    norwegian = english.replace(",", " ")
    assert MAX_RUNS >= 1000 and english != norwegian
    assert f"more than {english} runs" in _help(capsys, "simulate", "--lang", "en")
    assert f"mer enn {norwegian} kjøringer" in _help(capsys, "simulate")
    assert f"meir enn {norwegian} køyringar" in _help(capsys, "compare", "--lang", "nn")


def test_help_with_a_percent_sign_is_shown_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    """A field with ``%`` (argparse's format sign) does not break the help."""
    token = CLI_LANGUAGE.set("en")
    try:
        assert help_text("diagram_process", processes="100% a") == "the process: 100%% a"
    finally:
        CLI_LANGUAGE.reset(token)
    assert "prosessen: " in _help(capsys, "diagram")
