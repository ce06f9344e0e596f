"""The command-line reference (docs/reference/cli.md and its bokmål twin cli.nb.md) documents
every command and every long option the parser has, and no option it does not have."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from plancycle.cli import build_parser

DOCS = Path(__file__).parents[1] / "docs" / "reference"
PAGES = ("cli.md", "cli.nb.md")
#: Options of other programs the pages show (argcomplete's registration script).
FOREIGN = {"--shell"}


def _options(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Each command (``db import`` for a nested one) and its long options."""
    found: dict[str, set[str]] = {" ".join(path): set()}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_options(sub, (*path, name)))
        else:
            found[" ".join(path)] |= {o for o in action.option_strings if o.startswith("--")}
    return found


OPTIONS = _options(build_parser())


def _mentions(text: str, word: str) -> bool:
    return re.search(re.escape(word) + r"(?![\w-])", text) is not None


@pytest.mark.parametrize("page", PAGES)
def test_every_command_and_option_is_documented(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert len(OPTIONS) > 20  # the commands and the db and token actions
    missing = [f"{command} {option}" for command, options in OPTIONS.items()
               for option in sorted(options) if not _mentions(text, option)]
    assert not missing, missing


@pytest.mark.parametrize("page", PAGES)
def test_no_documented_option_is_unknown(page: str) -> None:
    known = set().union(*OPTIONS.values()) | FOREIGN
    text = (DOCS / page).read_text(encoding="utf-8")
    assert not sorted(set(re.findall(r"--[a-z][\w-]*", text)) - known)


def test_the_documented_commands_are_the_parser_s() -> None:
    commands = {command for command in OPTIONS if command and " " not in command}
    assert {"next", "municipalities", "rules", "schedule", "simulate"} <= commands
    for page in PAGES:
        headed = set(re.findall(r"^## .*", (DOCS / page).read_text(encoding="utf-8"), re.M))
        shown = {c for c in commands if any(f"`{c}`" in line for line in headed)}
        assert shown == commands, (page, commands - shown)
