"""Leases on digest and reminder claims, so a run that dies after claiming loses nothing.

A digest record gets `claimed_at` (when the run holding a `pending` record took it); a
reminder gets a `*_pending` flag next to its `reminded_*_at` claim time, true until the
claiming run records the reminder delivered. Existing claims count as delivered (the flag
defaults to false) and existing digest records have no claim time, which the code treats
as a long-expired lease.

Revision ID: 0005
Revises: 0004
Create Date: 2026-03-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PENDING_FLAGS = ("reminded_day_before_pending", "reminded_due_pending")


def upgrade() -> None:
    op.add_column(
        "nudge_deliveries", sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True)
    )
    for name in _PENDING_FLAGS:
        op.add_column(
            "commitments",
            sa.Column(name, sa.Boolean(), server_default=sa.text("false"), nullable=False),
        )


def downgrade() -> None:
    for name in _PENDING_FLAGS:
        op.drop_column("commitments", name)
    op.drop_column("nudge_deliveries", "claimed_at")
