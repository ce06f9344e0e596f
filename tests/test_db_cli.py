"""``plancycle db``: upgrade, current and import (idempotent; a bad file writes nothing), each a
one-line message in the user's language and exit code 2 for anything wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plancycle.cli import run
from plancycle.store import Store

EXAMPLE = Path(__file__).parent.parent / "examples" / "terms" / "stavanger-2027.toml"
REGISTER = """
[[decision]]
municipality = "1103"
election_year = 2027
recorded = 2027-06-10T12:00:00Z
constituted = 2027-10-21
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'service.db'}"


def test_upgrade_and_current(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert _run(capsys, "db", "current", "--database", url, "--lang", "en") == (
        0, f"database {url} has no plancycle schema yet: run plancycle db upgrade\n", "")
    assert _run(capsys, "db", "upgrade", "--database", url, "--lang", "en") == (
        0, f"database {url} is at schema revision 0002\n", "")
    code, out, _ = _run(capsys, "db", "current", "--database", url)
    assert code == 0 and out == f"databasen {url} har skjemarevisjon 0002 (nyeste: 0002)\n"


def test_the_database_defaults_to_the_environment(capsys: pytest.CaptureFixture[str], url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANCYCLE_DATABASE", url)
    code, out, _ = _run(capsys, "db", "upgrade", "--lang", "en")
    assert code == 0 and url in out


def test_import_is_idempotent(capsys: pytest.CaptureFixture[str], url: str,
                              tmp_path: Path) -> None:
    register = tmp_path / "register.toml"
    register.write_text(REGISTER, encoding="utf-8")
    folder = tmp_path / "terms"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "stavanger-2027.toml")
    (folder / "rogaland-2027.toml").write_text('election_year = 2027\ncounty = "11"\n',
                                               encoding="utf-8")
    _run(capsys, "db", "upgrade", "--database", url)
    argv = ("db", "import", "--register", str(register), "--terms-dir", str(folder),
            "--database", url, "--lang", "en")
    code, out, err = _run(capsys, *argv)
    assert (code, err) == (0, "")
    assert out == f"imported into {url}: 2 facts from 2 term files and 1 register rows\n"
    assert _run(capsys, *argv) == (0, f"nothing new to import into {url}: everything in the 2 "
                                      "term files and the register is there already\n", "")
    with Store.open(url) as store:
        assert len(store.facts("1103", 2027)) == 2
        assert store.owners() == [("1103", 2027), ("fylke-11", 2027)]
        assert store.register().decisions == 1


def test_a_bad_file_writes_nothing(capsys: pytest.CaptureFixture[str], url: str,
                                   tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    shutil.copy(EXAMPLE, good)
    bad = tmp_path / "bad.toml"
    bad.write_text('election_year = 2027\nmunicipality = "9999"\n', encoding="utf-8")
    _run(capsys, "db", "upgrade", "--database", url)
    code, out, err = _run(capsys, "db", "import", str(good), str(bad), "--database", url,
                          "--lang", "en")
    assert (code, out) == (2, "")
    assert err.startswith(f"plancycle: error: {bad}: municipality:") and err.count("\n") == 1
    with Store.open(url) as store:
        assert store.owners() == [] and store.version("1103", 2027) == 0


def test_a_term_that_contradicts_the_database_writes_nothing(
        capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path) -> None:
    _run(capsys, "db", "upgrade", "--database", url)
    first = tmp_path / "first.toml"
    shutil.copy(EXAMPLE, first)
    other = tmp_path / "other.toml"
    other.write_text('election_year = 2027\ncounty = "46"\n', encoding="utf-8")
    changed = tmp_path / "changed.toml"
    changed.write_text(EXAMPLE.read_text(encoding="utf-8").replace("end = 2028-02-03",
                                                                   "end = 2028-02-10"),
                       encoding="utf-8")
    assert _run(capsys, "db", "import", str(first), "--database", url)[0] == 0
    code, _, err = _run(capsys, "db", "import", str(other), str(changed), "--database", url,
                        "--lang", "en")
    assert code == 2 and "2028-02-03" in err and "2028-02-10" in err
    with Store.open(url) as store:
        assert store.owners() == [("1103", 2027)]  # fylke-46 was not written either


@pytest.mark.parametrize(("argv", "expected"), [
    (("db", "import"), "nothing to import: give --register FILE, --terms-dir DIR or term files"),
    (("db", "current", "--database", "mysql://db.example.no/plan"),
     "mysql://db.example.no/plan is not a database URL plancycle can use"),
    (("db", "import", "--terms-dir", "no-such-folder"), "--terms-dir no-such-folder is not a "
                                                         "folder"),
])
def test_bad_input_is_one_line(capsys: pytest.CaptureFixture[str], url: str,
                               argv: tuple[str, ...], expected: str,
                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, *argv, "--lang", "en")
    assert (code, out) == (2, "")
    assert err.startswith(f"plancycle: error: {expected}") and err.count("\n") == 1


def test_import_refuses_a_database_at_another_revision(capsys: pytest.CaptureFixture[str],
                                                       url: str) -> None:
    code, _, err = _run(capsys, "db", "import", str(EXAMPLE), "--database", url, "--lang", "en")
    assert code == 2
    assert err == (f"plancycle: error: database {url} is at schema revision none, this plancycle "
                   f"needs 0002: run plancycle db upgrade --database {url}\n")


def test_upgrade_on_postgresql_too(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    code, out, _ = _run(capsys, "db", "upgrade", "--database", database_url, "--lang", "en")
    assert code == 0 and out.endswith("is at schema revision 0002\n")
    code, out, _ = _run(capsys, "db", "import", str(EXAMPLE), "--database", database_url,
                        "--lang", "en")
    assert code == 0 and "2 facts from 1 term files" in out
