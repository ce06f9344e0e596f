"""The store's Alembic migrations (issue 9): an empty database is upgraded to the newest
revision, a database at the previous revision keeps its data through the upgrade, and a
database at another revision (or with no schema) is refused with one line naming both
revisions and the command to run."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text

from plancycle.store import SchemaMismatchError, Store, tables
from plancycle.store.schema import head, upgrade

NOW = dt.datetime(2028, 10, 20, 8, 15, tzinfo=dt.UTC)


def test_an_empty_database_is_upgraded_to_the_head(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        assert store.revision() is None
        assert store.upgrade() == head() == "0002"
        store.check_revision()
        assert store.upgrade() == "0002"  # again: nothing to do
        found = inspect(store.engine)
        for table in tables.metadata.sorted_tables:  # the code's tables are the schema's
            columns = {column["name"] for column in found.get_columns(table.name)}
            assert columns == set(table.columns.keys()), table.name
    finally:
        store.close()


def test_a_database_at_0001_keeps_its_data_through_the_upgrade(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        assert upgrade(store.engine, "0001") == "0001"
        with store.engine.begin() as connection:  # a term and a replaced fact, as 0001 held them
            connection.execute(text(
                "INSERT INTO terms (owner, election_year, settings, version, created, updated)"
                " VALUES ('1103', 2027, NULL, 2, :now, :now)"), {"now": NOW})
            term = connection.execute(text("SELECT id FROM terms")).scalar_one()
            ids = []
            for day, source, replaces in ((dt.date(2028, 10, 19), "sak", None),
                                          (dt.date(2028, 10, 26), None, "old")):
                connection.execute(text(
                    'INSERT INTO facts (term_id, milestone, date, "end", source, recorded,'
                    " replaces, superseded_by) VALUES"
                    " (:term, 'planstrategi.adopted', :day, NULL, :source, :now, :replaces, NULL)"),
                    {"term": term, "day": day, "source": source, "now": NOW,
                     "replaces": ids[0] if replaces else None})
                ids.append(connection.execute(text("SELECT max(id) FROM facts")).scalar_one())
            connection.execute(text("UPDATE facts SET superseded_by = :new WHERE id = :old"),
                               {"new": ids[1], "old": ids[0]})
        with pytest.raises(SchemaMismatchError):
            store.check_revision()
        assert store.upgrade() == "0002"
        store.check_revision()
        history = store.history("1103", 2027)
        assert [(f.id, f.date, f.source, f.replaces, f.superseded_by, f.token_id)
                for f in history] == [
            (ids[0], dt.date(2028, 10, 19), "sak", None, ids[1], None),
            (ids[1], dt.date(2028, 10, 26), None, ids[0], None, None)]
        assert history[0].recorded == NOW
        assert store.version("1103", 2027) == 2
        assert store.term("1103", 2027).fact("planstrategi.adopted").date == dt.date(2028, 10, 26)
        # and the upgraded database takes what 0002 added
        _, info = store.create_token("municipality", "1103", now=NOW)
        outcome = store.record("1103", 2027, "planstrategi.consultation", dt.date(2027, 12, 16),
                               token=info, now=NOW)
        assert outcome.fact.token_id == info.id and store.version("1103", 2027) == 3
        assert store.register_version() == 0
    finally:
        store.close()


def test_check_revision_refuses_0001_and_no_schema(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with pytest.raises(SchemaMismatchError) as empty:
            store.check_revision()
        assert str(empty.value) == (
            f"database {store.url} is at schema revision none, this plancycle needs 0002: "
            f"run plancycle db upgrade --database {store.url}")
        assert "ingen" in empty.value.in_language("nb")
        upgrade(store.engine, "0001")
        with pytest.raises(SchemaMismatchError) as old:
            store.check_revision()
        assert "revision 0001" in str(old.value) and "needs 0002" in str(old.value)
        assert "\n" not in str(old.value)
    finally:
        store.close()


def test_a_revision_this_plancycle_does_not_know_is_refused(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        store.upgrade()
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        for call in (store.check_revision, store.upgrade):
            with pytest.raises(SchemaMismatchError) as caught:
                call()
            assert caught.value.key == "store_unknown_revision" and "0099" in str(caught.value)
    finally:
        store.close()
