"""Alembic's environment: migrate the connection :func:`plancycle.store.schema.upgrade` passes
in ``config.attributes["connection"]`` (no ini file, no logging set-up)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

connection = context.config.attributes["connection"]
assert isinstance(connection, Connection)
# batch mode: SQLite can only change a table by copying it (adding a foreign key, for one)
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
