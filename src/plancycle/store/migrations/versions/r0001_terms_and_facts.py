"""Revision 0001: followed terms and their append-only facts."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "terms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner", sa.String(16), nullable=False),
        sa.Column("election_year", sa.Integer, nullable=False),
        sa.Column("settings", sa.JSON, nullable=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner", "election_year", name="uq_terms_owner_year"),
    )
    op.create_table(
        "facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("term_id", sa.Integer, sa.ForeignKey("terms.id", name="fk_facts_term"),
                  nullable=False),
        sa.Column("milestone", sa.String(200), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=True),
        sa.Column("source", sa.String(2000), nullable=True),
        sa.Column("recorded", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaces", sa.Integer, sa.ForeignKey("facts.id", name="fk_facts_replaces"),
                  nullable=True),
        sa.Column("superseded_by", sa.Integer,
                  sa.ForeignKey("facts.id", name="fk_facts_superseded_by"), nullable=True),
    )
    op.create_index("ix_facts_term_id", "facts", ["term_id"])


def downgrade() -> None:
    op.drop_index("ix_facts_term_id", "facts")
    op.drop_table("facts")
    op.drop_table("terms")
