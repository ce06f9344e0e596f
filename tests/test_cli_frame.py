"""The command line's own frame (issue 13): lazy commands, the list of commands with no
arguments, lazy public names, ``--version`` with the rule data's date, argparse's words in the
CLI language, and shell completion."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import plancycle
import plancycle.commands
from plancycle.cli import run
from plancycle.commands import COMMANDS, available_commands
from plancycle.commands._options import DEFAULT_PATTERN
from plancycle.i18n import LANGUAGES, label
from plancycle.rules import rule_table


class _Recorder:
    """Stands for argparse's sub-parsers object: records the commands a module registers."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._real = argparse.ArgumentParser().add_subparsers()

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        self.names.append(name)
        return self._real.add_parser(name, **kwargs)


def _registered(module: str) -> list[str]:
    recorder = _Recorder()
    importlib.import_module(f"plancycle.commands.{module}").register(recorder)
    return recorder.names


def test_the_table_names_what_each_module_registers() -> None:
    modules = {m.name for m in pkgutil.iter_modules(plancycle.commands.__path__)
               if not m.name.startswith("_")}
    assert modules <= set(COMMANDS.values())  # every command module is in the table
    for module in modules:
        expected = [command for command, owner in COMMANDS.items() if owner == module]
        assert sorted(_registered(module)) == sorted(expected), module
    assert _registered("schedule") == ["schedule", "ics"]


def test_commands_whose_module_is_missing_are_left_out() -> None:
    available = available_commands()
    for command, module in COMMANDS.items():
        present = (Path(plancycle.commands.__path__[0]) / f"{module}.py").exists()
        assert (command in available) == present, command
    assert {"schedule", "ics", "simulate", "serve"} <= set(available)


def test_every_command_has_a_summary_in_three_languages() -> None:
    for command in COMMANDS:
        texts = {lang: label(f"help_command_{command}", lang) for lang in LANGUAGES}
        assert all(texts.values()) and texts["nb"] != texts["en"], command


def _fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=50,
                          check=False, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode()


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    target = tmp_path / "stavanger.ics"
    out = _fresh(
        "import sys\nfrom plancycle.cli import run\n"
        f"assert run(['ics', '--election-year', '2027', '--municipality', 'Stavanger', "
        f"'--output', {str(target)!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('plancycle.commands.')))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', 'fastapi', "
        "'sqlalchemy', 'argcomplete', 'recurring_ical_events'}))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('plancycle.simulation', "
        "'plancycle.service', 'plancycle.store', 'plancycle.svg', 'plancycle.feed'))))\n")
    assert out.splitlines() == [
        "['plancycle.commands._options', 'plancycle.commands._tables', "
        "'plancycle.commands._texts', 'plancycle.commands.schedule']", "[]", "[]"]
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_import_plancycle_does_no_work_and_schedule_needs_no_machines_nor_calendars() -> None:
    out = _fresh("import sys, plancycle\n"
                 "print(sorted(m for m in sys.modules if 'plancycle' in m or 'pydantic' in m))\n"
                 "import plancycle.schedule\n"
                 "print([m for m in ('transitions', 'icalendar') if m in sys.modules])\n")
    assert out.splitlines() == ["['plancycle']", "[]"]


def test_public_names_resolve_on_first_use() -> None:
    out = _fresh("import plancycle, plancycle.municipalities\n"
                 "from plancycle import municipalities, build_schedule, to_ical\n"
                 "print(callable(municipalities), plancycle.municipalities is municipalities,\n"
                 "      build_schedule.__module__, to_ical.__module__)\n")
    assert out.split() == ["True", "True", "plancycle.schedule", "plancycle.ical"]
    assert all(getattr(plancycle, name) is not None for name in plancycle.__all__)
    assert set(plancycle.__all__) <= set(dir(plancycle))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        plancycle.__getattr__("nothing")


def test_no_arguments_prints_the_usage_and_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run([]) == 2
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("bruk: plancycle [-h] [--version] [--lang nb|nn|en] KOMMANDO ...")
    for command in available_commands():
        summary = label(f"help_command_{command}", "nb")
        assert any(line.split() == [command, *summary.split()][:len(line.split())]
                   for line in out.splitlines()), command
    assert "fristene og milepælene i én valgperiode" in out  # schedule's summary in bokmål
    assert "the following arguments" not in out


def test_help_is_the_same_list_with_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run([]) == 2
    listing = capsys.readouterr().out
    with pytest.raises(SystemExit) as exited:
        run(["--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == listing


@pytest.mark.parametrize(("lang", "words"), [
    ("nb", ["bruk: plancycle schedule", "alternativer:", "vis denne hjelpeteksten og avslutt"]),
    ("nn", ["bruk: plancycle schedule", "alternativ:", "vis denne hjelpeteksten og avslutt"]),
    ("en", ["usage: plancycle schedule", "options:", "show this help message and exit"]),
])
def test_argparse_speaks_the_cli_language(lang: str, words: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["schedule", "--help", "--lang", lang])
    out = capsys.readouterr().out
    for word in words:
        assert word in out
    if lang != "en":
        assert "usage:" not in out and "options:" not in out and "show this" not in out


def test_version_names_the_rule_data_revision(capsys: pytest.CaptureFixture[str]) -> None:
    # rules.toml: revised = 2026-12-02
    assert rule_table().revised.isoformat() == "2026-12-02"
    for argv, expected in ((["--version"], "plancycle 0.1.0 (regeldata 2026-12-02)\n"),
                           (["--version", "--lang", "en"], "plancycle 0.1.0 (rule data 2026-12-02)\n")):
        with pytest.raises(SystemExit) as exited:
            run(argv)
        assert exited.value.code == 0
        assert capsys.readouterr().out == expected
    assert plancycle.__version__ == "0.1.0"


@pytest.mark.parametrize(("lang", "error", "warning"), [
    ("nb", "plancycle: feil: ", "plancycle: advarsel: "),
    ("nn", "plancycle: feil: ", "plancycle: åtvaring: "),
    ("en", "plancycle: error: ", "plancycle: warning: "),
])
def test_the_error_and_warning_prefixes(lang: str, error: str, warning: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schedule", "--election-year", "2026", "--lang", lang]) == 2
    assert capsys.readouterr().err.startswith(error)
    # no --constituted: the constituent meeting's date is assumed, with a warning
    assert run(["schedule", "--election-year", "2027", "--lang", lang,
                "--output", str(tmp_path / "s.txt")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines and all(line.startswith(warning) for line in lines)


def test_the_meeting_pattern_default_is_the_meeting_plans() -> None:
    from plancycle.meetings import DEFAULT_PATTERN as MEETINGS_DEFAULT

    assert DEFAULT_PATTERN == MEETINGS_DEFAULT


def _complete(line: str, tmp_path: Path) -> list[str]:
    """What argcomplete offers for ``line`` (the cursor at its end), as bash's hook asks."""
    answer = tmp_path / "completions"
    env = {**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_SHELL": "bash",
           "COMP_LINE": line, "COMP_POINT": str(len(line)), "COMP_TYPE": "9",
           "_ARGCOMPLETE_IFS": "\n", "_ARGCOMPLETE_STDOUT_FILENAME": str(answer)}
    done = subprocess.run([sys.executable, "-m", "plancycle"], capture_output=True, timeout=50,
                          check=False, env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return [word.strip() for word in answer.read_text(encoding="utf-8").split("\n")]


def test_shell_completion_of_commands_and_options(tmp_path: Path) -> None:
    assert _complete("plancycle sch", tmp_path) == ["schedule"]
    assert _complete("plancycle schedule --elec", tmp_path) == ["--election-year", "--election-day"]
    assert _complete("plancycle ics --election-y", tmp_path) == ["--election-year"]
    assert "simulate" in _complete("plancycle ", tmp_path)


def test_argcomplete_is_not_imported_to_run_a_command(tmp_path: Path) -> None:
    target = str(tmp_path / "election.mmd")
    out = _fresh("import sys\nfrom plancycle.cli import main\n"
                 f"sys.argv = ['plancycle', 'diagram', 'election', '--output', {target!r}]\n"
                 "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
                 "print('argcomplete' in sys.modules)\n")
    assert out == "False\n"


def test_a_top_level_lang_lists_the_commands_in_that_language(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--lang", "en"]) == 2  # nothing asked: the list, nothing done
    out = capsys.readouterr().out
    assert out.startswith("usage: plancycle") and "the milestones of one term" in out
    assert run(["--lang=nn"]) == 2
    assert "fristane og milepælane i éin valperiode" in capsys.readouterr().out


def test_a_top_level_lang_is_the_following_commands_language(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--lang", "en", "schedule", "--election-year", "2027", "--municipality", "Oslo",
                "--constituted", "2027-10-21", "--width", "200"]) == 0
    out, err = capsys.readouterr()
    # the planstrategi of the 2027 term is due a year after the constituent meeting
    line = next(row for row in out.splitlines() if "planning strategy adopted" in row.lower())
    assert "2028-10-21" in line and "statutory" in line
    assert err.startswith("plancycle: warning: ")


@pytest.mark.parametrize(("argv", "words"), [
    (["--lang"], "trenger én verdi"), (["--lang", "de"], "ugyldig valg: 'de'")])
def test_a_bad_top_level_lang_is_one_line(argv: list[str], words: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and words in err
