"""``plancycle token``: create prints the token once, alone on the first line, and stores only its
hash; list never shows a token; revoke ends one. Bad input is one line and exit code 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.store import Store


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    database = f"sqlite:///{tmp_path / 'service.db'}"
    assert _run(capsys, "db", "upgrade", "--database", database)[0] == 0
    return database


def test_create_list_revoke(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, err = _run(capsys, "token", "create", "--municipality", "1103", "--label",
                          "WebSak Stavanger", "--database", url, "--lang", "en")
    assert (code, err) == (0, "")
    token, note = out.splitlines()
    assert re.fullmatch(r"plancycle_[A-Za-z0-9_-]{43}", token)
    assert note.startswith("token 1 (municipality 1103) created")
    assert _run(capsys, "token", "create", "--county", "46", "--database", url)[0] == 0
    assert _run(capsys, "token", "create", "--admin", "--database", url)[0] == 0
    with Store.open(url) as store:
        info = store.authenticate(token)
        assert info is not None and info.owner == "1103" and info.may_write("1103")
    code, out, _ = _run(capsys, "token", "list", "--database", url, "--lang", "en")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "id\tscope\towner\tlabel\tcreated\trevoked"
    assert [line.split("\t")[:4] for line in lines[1:]] == [
        ["1", "municipality", "1103", "WebSak Stavanger"], ["2", "county", "fylke-46", ""],
        ["3", "admin", "*", ""]]
    assert token not in out
    code, out, _ = _run(capsys, "token", "revoke", "1", "--database", url, "--lang", "en")
    assert code == 0 and out.startswith("token 1 (municipality 1103) is revoked as of ")
    with Store.open(url) as store:
        assert store.authenticate(token) is None
    out = _run(capsys, "token", "list", "--database", url)[1]
    assert out.splitlines()[1].split("\t")[5] != ""


def test_an_empty_list_says_how_to_make_one(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert _run(capsys, "token", "list", "--database", url, "--lang", "en") == (
        0, f"no tokens in {url}: plancycle token create makes one\n", "")


@pytest.mark.parametrize(("argv", "expected"), [
    (("token", "create"), "one of these arguments is required: --municipality --county --admin"),
    (("token", "create", "--municipality", "9999"), "9999"),
    (("token", "create", "--municipality", "1103", "--county", "46"), "not allowed with"),
    (("token", "create", "--admin", "--label", "two\nlines"), "label contains control"),
    (("token", "revoke", "7"), "there is no token with id 7"),
    (("token", "revoke", "seven"), "'seven' is not a whole number"),
])
def test_bad_input_is_one_line(capsys: pytest.CaptureFixture[str], url: str,
                               argv: tuple[str, ...], expected: str) -> None:
    code, out, err = _run(capsys, *argv, "--database", url, "--lang", "en")
    assert (code, out) == (2, "")
    assert err.startswith("plancycle: error: ") and err.count("\n") == 1 and expected in err
    with Store.open(url) as store:
        assert store.tokens() == []


def test_a_database_without_schema_is_refused(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    code, out, err = _run(capsys, "token", "create", "--admin", "--database", url, "--lang", "en")
    assert (code, out) == (2, "")
    assert f"run plancycle db upgrade --database {url}" in err
