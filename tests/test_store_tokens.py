"""Tokens (issue 9): made at random and shown once, stored only as a hash, looked up in constant
time, revoked; who may write which owner's terms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from plancycle.errors import InputError
from plancycle.store import Store, TokenInfo, tables

NOW = dt.datetime(2028, 10, 20, 8, 15, tzinfo=dt.UTC)


def test_a_created_token_authenticates_and_is_listed(store: Store) -> None:
    token, info = store.create_token("municipality", "1103", label="WebSak", now=NOW)
    assert token.startswith("plancycle_") and len(token) > 40
    assert (info.scope, info.owner, info.label, info.created, info.revoked) == (
        "municipality", "1103", "WebSak", NOW, None)
    assert store.authenticate(token) == info
    assert store.tokens() == [info]
    other, _ = store.create_token("municipality", "1103", now=NOW)
    assert other != token  # random, not derived from the owner


def test_a_revoked_token_no_longer_authenticates(store: Store) -> None:
    token, info = store.create_token("county", "46", now=NOW)
    assert info.owner == "fylke-46"
    later = NOW + dt.timedelta(days=1)
    revoked = store.revoke_token(info.id, now=later)
    assert revoked.revoked == later and not revoked.may_write("fylke-46")
    assert store.authenticate(token) is None
    assert store.revoke_token(info.id, now=later + dt.timedelta(days=1)).revoked == later
    with pytest.raises(InputError) as caught:
        store.revoke_token(info.id + 100, now=later)
    assert caught.value.key == "store_unknown_token"


@pytest.mark.parametrize("presented", [None, "", "plancycle_unknown", "x" * 100_000, "\ud800",
                                       "plancycle_" + "A" * 43])
def test_anything_but_a_live_token_is_none(store: Store, presented: str | None) -> None:
    store.create_token("admin", now=NOW)
    assert store.authenticate(presented) is None


def _info(scope: str, owner: str | None, revoked: dt.datetime | None = None) -> TokenInfo:
    return TokenInfo(id=1, scope=scope, owner=owner, label=None,  # type: ignore[arg-type]
                     created=NOW, revoked=revoked)


@pytest.mark.parametrize(("info", "owner", "allowed"), [
    (_info("admin", None), "1103", True),
    (_info("admin", None), "fylke-46", True),
    (_info("municipality", "1103"), "1103", True),
    (_info("municipality", "1103"), "4601", False),
    (_info("municipality", "1103"), "fylke-11", False),
    (_info("county", "fylke-46"), "fylke-46", True),
    (_info("county", "fylke-46"), "4601", False),  # Bergen is in Vestland, but is not the county
    (_info("municipality", "1103", NOW), "1103", False),
    (_info("admin", None, NOW), "1103", False),
])
def test_may_write(info: TokenInfo, owner: str, allowed: bool) -> None:
    assert info.may_write(owner) is allowed


@pytest.mark.parametrize(("scope", "owner", "key"), [
    ("root", None, "store_token_scope"),
    ("admin", "1103", "store_token_admin_owner"),
    ("municipality", None, "store_token_no_owner"),
    ("municipality", "fylke-46", "store_token_scope_owner"),
    ("county", "1103", "store_owner"),
])
def test_token_scopes_and_owners_are_checked(store: Store, scope: str, owner: str | None,
                                             key: str) -> None:
    with pytest.raises(InputError) as caught:
        store.create_token(scope, owner, now=NOW)  # type: ignore[arg-type]
    assert caught.value.key == key
    assert store.tokens() == []


def test_a_label_is_one_bounded_line(store: Store) -> None:
    for label in ("a" * 201, "two\nlines"):
        with pytest.raises(InputError):
            store.create_token("admin", label=label, now=NOW)


def test_the_plain_token_is_stored_nowhere(database_url: str, tmp_path: Path) -> None:
    store = Store.open(database_url)
    store.upgrade()
    try:
        token, info = store.create_token("municipality", "1103", label="WebSak", now=NOW)
        store.record("1103", 2027, "planstrategi.adopted", dt.date(2028, 10, 19), token=info,
                     now=NOW)
        store.revoke_token(info.id, now=NOW)
        with store.engine.connect() as connection:
            rows = [tuple(row) for table in (tables.tokens, tables.audit, tables.facts)
                    for row in connection.execute(select(table))]
        assert rows and not any(token in str(value) for row in rows for value in row)
        hashes = [row for row in rows if any(len(str(v)) == 64 for v in row)]
        assert hashes  # the hash is there instead
    finally:
        store.close()
    if database_url.startswith("sqlite"):
        files = list(tmp_path.glob("plancycle.db*"))
        assert files
        secret = token.encode()
        assert not any(secret in path.read_bytes() for path in files)
