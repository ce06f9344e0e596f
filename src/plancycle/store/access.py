"""Tokens and the audit trail in the database: made, listed, revoked, looked up by hash."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Connection, Row, insert, select, update

from plancycle.errors import InputError
from plancycle.municipalities import County, Municipality
from plancycle.store import tables
from plancycle.store.facts import check_text
from plancycle.store.owners import COUNTY_PREFIX, owner_segment, parse_owner
from plancycle.store.records import SCOPES, AuditEntry, Scope, TokenInfo
from plancycle.store.tokens import new_token, same_hash, token_hash


def token_owner(scope: Scope, owner: str | None) -> str | None:
    """The owner a token of ``scope`` is for, checked and in its one spelling: a kommunenummer
    for ``municipality``, ``fylke-NN`` (or ``NN``) for ``county``, none for ``admin``."""
    if scope not in SCOPES:
        raise InputError(key="store_token_scope", scope=repr(scope)[:40],
                         allowed=", ".join(SCOPES))
    if scope == "admin":
        if owner is not None:
            raise InputError(key="store_token_admin_owner")
        return None
    if owner is None:
        raise InputError(key="store_token_no_owner", scope=scope)
    if scope == "county" and isinstance(owner, str) and not owner.startswith(COUNTY_PREFIX):
        owner = COUNTY_PREFIX + owner
    entity = parse_owner(owner, any_term=True)
    wanted = Municipality if scope == "municipality" else County
    if not isinstance(entity, wanted):
        raise InputError(key="store_token_scope_owner", scope=scope, owner=owner)
    return owner_segment(entity)


def token_info(row: Row[Any]) -> TokenInfo:
    return TokenInfo(id=row.id, scope=cast(Scope, row.scope), owner=row.owner, label=row.label,
                     created=row.created, revoked=row.revoked)


def create_token(connection: Connection, scope: Scope, owner: str | None, label: str | None,
                 now: dt.datetime) -> tuple[str, TokenInfo]:
    owner = token_owner(scope, owner)
    check_text(label, "label", tables.LABEL_LENGTH)
    token = new_token()
    digest = token_hash(token)
    assert digest is not None
    row = connection.execute(insert(tables.tokens).values(
        token_hash=digest, scope=scope, owner=owner, label=label, created=now, revoked=None,
    ).returning(*tables.tokens.c)).one()
    info = token_info(row)
    audit(connection, "token_create", now, info, owner=owner, detail=scope)
    return token, info


def revoke_token(connection: Connection, token_id: int, now: dt.datetime) -> TokenInfo:
    row = connection.execute(select(tables.tokens).where(tables.tokens.c.id == token_id)
                             ).one_or_none()
    if row is None:
        raise InputError(key="store_unknown_token", id=token_id)
    if row.revoked is not None:
        return token_info(row)  # revoked already: nothing to write
    connection.execute(update(tables.tokens).where(tables.tokens.c.id == token_id)
                       .values(revoked=now))
    info = token_info(row)
    info = TokenInfo(info.id, info.scope, info.owner, info.label, info.created, now)
    audit(connection, "token_revoke", now, info, owner=info.owner, detail=info.scope)
    return info


def authenticate(connection: Connection, token: str | None) -> TokenInfo | None:
    """The live token ``token`` is, or None (missing, unknown, revoked, oversized)."""
    if token is None:
        return None
    digest = token_hash(token)
    if digest is None:
        return None
    row = connection.execute(select(tables.tokens).where(tables.tokens.c.token_hash == digest)
                             ).one_or_none()
    if row is None or not same_hash(row.token_hash, digest) or row.revoked is not None:
        return None
    return token_info(row)


def audit(connection: Connection, action: str, now: dt.datetime, token: TokenInfo | None, *,
          owner: str | None = None, election_year: int | None = None,
          detail: str | None = None) -> None:
    """One audit entry that names no fact (a token made or revoked, a register imported)."""
    connection.execute(insert(tables.audit).values(
        at=now, action=action, token_id=token.id if token else None,
        token_label=token.label if token else None, owner=owner, election_year=election_year,
        milestone=None, fact_id=None, detail=detail))


def audit_entries(connection: Connection, owner: str, election_year: int) -> list[AuditEntry]:
    rows = connection.execute(select(tables.audit).where(
        tables.audit.c.owner == owner, tables.audit.c.election_year == election_year,
    ).order_by(tables.audit.c.id))
    return [AuditEntry(id=row.id, at=row.at, action=row.action, token_id=row.token_id,
                       token_label=row.token_label, owner=row.owner,
                       election_year=row.election_year, milestone=row.milestone,
                       fact_id=row.fact_id, detail=row.detail) for row in rows]
