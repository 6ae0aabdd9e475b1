"""Usage counters: per-user turns per minute and per-tenant LLM tokens per day.

One small table shared by every worker, so limits hold across stateless processes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-03-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "usage_counters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(600), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_usage_counters"),
        sa.UniqueConstraint(
            "scope", "subject", "window_start", name="uq_usage_counters_scope_subject_window_start"
        ),
        sa.CheckConstraint("scope IN ('rate', 'tokens')", name=op.f("ck_usage_counters_scope")),
    )


def downgrade() -> None:
    op.drop_table("usage_counters")
