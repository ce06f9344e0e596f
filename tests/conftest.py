from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

import plancycle.ical
import plancycle.schedule
from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.models import Schedule

#: ``fresh_process(code, stdin=b"")``: what ``code`` writes to stdout in a new interpreter.
FreshProcess = Callable[..., bytes]


@pytest.fixture(scope="session")
def stavanger_2027() -> Schedule:
    period = ElectionPeriod.for_year(2027, constituted=dt.date(2027, 10, 21))
    return build_schedule(period, find_municipality("Stavanger"), "samskaping", lang="en")


def _in_a_fresh_process(code: str, stdin: bytes = b"") -> bytes:
    """What ``code`` writes to stdout when run by a new interpreter: none of this process's
    caches, and another hash seed (so set and dict order cannot leak into the bytes)."""
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    done = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True,
                          timeout=50, check=False, env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def _clear_caches() -> None:
    """Forget what this process has computed, so the second call computes again."""
    plancycle.schedule.clear_caches()
    plancycle.ical.describe.cache_clear()


@pytest.fixture
def fresh_process() -> FreshProcess:
    """Run code in a new interpreter (see :func:`_in_a_fresh_process`)."""
    return _in_a_fresh_process


@pytest.fixture
def clear_caches() -> Callable[[], None]:
    """Forget this process's cached plans and descriptions."""
    return _clear_caches


# -- databases for the plan service's store (plancycle.store) -----------------------------------
# ``database_url`` runs a test on SQLite (a file in tmp_path) and on PostgreSQL: a fresh database
# per test in a throwaway cluster started here on a Unix socket (no port), or on the server of
# PLANCYCLE_TEST_POSTGRES_URL when set. Without PostgreSQL binaries the postgresql case skips,
# unless PLANCYCLE_REQUIRE_POSTGRES=1, when it fails.

import glob as _glob  # noqa: E402
import itertools as _itertools  # noqa: E402
import shutil as _shutil  # noqa: E402
import tempfile as _tempfile  # noqa: E402
from collections.abc import Iterator as _Iterator  # noqa: E402
from pathlib import Path as _Path  # noqa: E402
from typing import Any as _Any  # noqa: E402


def _postgres_bin() -> _Path | None:
    """The folder of PostgreSQL's server binaries: on PATH, or Debian's /usr/lib/postgresql."""
    found = _shutil.which("initdb")
    if found:
        return _Path(found).parent
    for folder in sorted(_glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (_Path(folder) / "initdb").exists() and (_Path(folder) / "pg_ctl").exists():
            return _Path(folder)
    return None


def _no_postgres(reason: str) -> None:
    if os.environ.get("PLANCYCLE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (PLANCYCLE_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"no PostgreSQL: {reason}")


class _PostgresCluster:
    """A PostgreSQL server for the tests: its base URL and a counter for database names."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.names = _itertools.count(1)

    def url(self, database: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.base).set(database=database).render_as_string(hide_password=False)

    def admin(self, statement: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()


def _run_as_postgres(command: list[str]) -> list[str]:
    return (["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command)


@pytest.fixture(scope="session")
def postgres_cluster() -> _Iterator[_PostgresCluster]:
    """A PostgreSQL server for the whole session (see the comment above)."""
    given = os.environ.get("PLANCYCLE_TEST_POSTGRES_URL")
    if given:
        yield _PostgresCluster(given)
        return
    binaries = _postgres_bin()
    if binaries is None:
        _no_postgres("initdb and pg_ctl not found")
    assert binaries is not None
    if os.geteuid() == 0 and _shutil.which("runuser") is None:
        _no_postgres("running as root without runuser")
    top = _Path(_tempfile.mkdtemp(prefix="plancycle-pg-"))
    data, socket = top / "data", top / "socket"
    socket.mkdir()
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the cluster belongs to postgres
        _shutil.chown(top, "postgres", "postgres")
        _shutil.chown(socket, "postgres", "postgres")
    log = top / "server.log"

    def run(*args: str) -> None:
        done = subprocess.run(_run_as_postgres(list(args)), capture_output=True, timeout=50,
                              check=False)
        if done.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(f"{args[0]} failed: {done.stderr.decode(errors='replace')}{tail}")

    started = False
    try:
        run(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
            "--no-sync", "-E", "UTF8", "--locale", "C")
        run(str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "40",
            "-o", f"-c listen_addresses='' -k {socket} -c fsync=off -c full_page_writes=off "
                  "-c synchronous_commit=off -c max_connections=60", "start")
        started = True
        yield _PostgresCluster(f"postgresql+psycopg://postgres@/postgres?host={socket}")
    finally:
        if started:
            subprocess.run(_run_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m",
                                             "immediate", "-w", "stop"]),
                           capture_output=True, timeout=50, check=False)
        _shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: _Path) -> _Iterator[str]:
    """The URL of an empty database: SQLite in ``tmp_path``, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plancycle.db'}"
        return
    cluster: _PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = f"plancycle_test_{os.getpid()}_{next(cluster.names)}"
    cluster.admin(f'CREATE DATABASE "{name}"')
    try:
        yield cluster.url(name)
    finally:
        cluster.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store(database_url: str) -> _Iterator[_Any]:
    """A :class:`plancycle.store.Store` at the newest schema revision, on ``database_url``."""
    from plancycle.store import Store

    opened = Store.open(database_url)
    opened.upgrade()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def sqlite_store(tmp_path: _Path) -> _Iterator[_Any]:
    """A :class:`plancycle.store.Store` at the newest revision on SQLite only."""
    from plancycle.store import Store

    opened = Store.open(f"sqlite:///{tmp_path / 'plancycle.db'}")
    opened.upgrade()
    try:
        yield opened
    finally:
        opened.close()


# -- headless Chromium for the page tests (selenium + chromedriver) -------------------------------
# ``browser`` is a selenium driver on Debian's chromium and chromedriver (apt-get install
# chromium chromium-driver), desktop-sized, with a fresh profile in tmp_path and the browser's
# console log kept. Without them the test skips, unless PLANCYCLE_REQUIRE_BROWSER=1 (CI): then
# it fails.

_BROWSER_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                  "--window-size=1280,900")


@pytest.fixture
def browser_flags() -> tuple[str, ...]:
    """More Chromium flags for ``browser``: a test module overrides this fixture to add some."""
    return ()


@pytest.fixture
def browser(tmp_path: _Path, browser_flags: tuple[str, ...]) -> _Iterator[_Any]:
    """A headless Chromium driven by selenium (see the comment above)."""
    chromedriver, chromium = _shutil.which("chromedriver"), _shutil.which("chromium")
    if chromedriver is None or chromium is None:
        reason = "chromium and chromedriver are not installed (apt-get install -y chromium " \
                 "chromium-driver)"
        if os.environ.get("PLANCYCLE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PLANCYCLE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    for argument in (*_BROWSER_FLAGS, *browser_flags, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(argument)
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=DriverService(chromedriver), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
