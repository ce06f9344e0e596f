"""Revision 0002: tokens (their hashes), the audit trail, the feed register in the database,
the register's version counter, and who recorded each fact (``facts.token_id``)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(16), nullable=True),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_tokens_hash"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("token_id", sa.Integer, sa.ForeignKey("tokens.id", name="fk_audit_token"),
                  nullable=True),
        sa.Column("token_label", sa.String(200), nullable=True),
        sa.Column("owner", sa.String(16), nullable=True),
        sa.Column("election_year", sa.Integer, nullable=True),
        sa.Column("milestone", sa.String(200), nullable=True),
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("facts.id", name="fk_audit_fact"),
                  nullable=True),
        sa.Column("detail", sa.String(2000), nullable=True),
    )
    op.create_index("ix_audit_owner_year", "audit", ["owner", "election_year"])
    op.create_table(
        "register_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_key", sa.String(8), nullable=False),
        sa.Column("election_year", sa.Integer, nullable=False),
        sa.Column("recorded", sa.DateTime(timezone=True), nullable=False),
        sa.Column("constituted", sa.Date, nullable=True),
        sa.Column("election_day", sa.Date, nullable=True),
        sa.Column("meetings", sa.String(255), nullable=True),
        sa.UniqueConstraint("owner_key", "election_year", "recorded", name="uq_register_state"),
    )
    op.create_table(
        "meeting_patterns",
        sa.Column("plan", sa.String(255), primary_key=True),
        sa.Column("pattern", sa.String(2000), nullable=False),
    )
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.bulk_insert(counters, [{"name": "register", "value": 0}])
    with op.batch_alter_table("facts") as batch:
        batch.add_column(sa.Column("token_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_facts_token", "tokens", ["token_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("facts") as batch:
        batch.drop_constraint("fk_facts_token", type_="foreignkey")
        batch.drop_column("token_id")
    op.drop_table("counters")
    op.drop_table("meeting_patterns")
    op.drop_table("register_decisions")
    op.drop_index("ix_audit_owner_year", "audit")
    op.drop_table("audit")
    op.drop_table("tokens")
