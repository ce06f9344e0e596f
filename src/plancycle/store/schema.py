"""The schema's revision: Alembic run from code on the migrations shipped in this package
(issue 9: applied by ``plancycle db upgrade``, checked at start-up)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from plancycle.errors import DataError
from plancycle.store.engine import shown_url, transaction

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaMismatchError(DataError):
    """The database is at another Alembic revision than this plancycle's (or has none)."""


def alembic_config() -> Config:
    """Alembic's configuration for the shipped migrations (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


def head() -> str:
    """The newest revision of the shipped migrations."""
    found = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert found is not None  # the package ships its revisions
    return found


def upgrade(engine: Engine, target: str = "head") -> str:
    """Migrate the database to ``target`` (default: the newest); the revision it is at then."""
    found = revision(engine)
    if found is not None and found not in known_revisions():
        raise SchemaMismatchError(key="store_unknown_revision", url=shown_url(engine.url),
                                  found=found, expected=head())
    config = alembic_config()
    with transaction(engine, migrating=True) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)
    found = revision(engine)
    assert found is not None
    return found


def revision(engine: Engine) -> str | None:
    """The database's revision (None: no schema made by plancycle)."""
    with transaction(engine) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_revision(engine: Engine) -> None:
    """Raise :class:`SchemaMismatchError` unless the database is at :func:`head`: one line naming
    the revision found, the one expected and the command that migrates it."""
    found, expected = revision(engine), head()
    if found != expected:
        url = shown_url(engine.url)
        shown: dict[str, str] = {"found": found} if found else {"found_label": "store_no_revision"}
        if found is not None and found not in known_revisions():
            raise SchemaMismatchError(key="store_unknown_revision", url=url, found=found,
                                      expected=expected)
        raise SchemaMismatchError(key="store_schema_mismatch", url=url, expected=expected,
                                  command=f"plancycle db upgrade --database {url}", **shown)


def known_revisions() -> set[str]:
    """Every revision the shipped migrations know."""
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()
                                                                      ).walk_revisions()}
