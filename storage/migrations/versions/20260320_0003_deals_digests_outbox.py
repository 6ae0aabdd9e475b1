"""Deals, weekly digest schedules and the console outbox.

Deals feed the digest's decay, presentation and revenue-mix nudges; a schedule row holds a
manager's own digest day and hour (none means Monday 09:00 in their zone); the outbox is
where the embedded default delivers digests and reminders. Written out in full, like 0001.

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-20
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_NOW = sa.text("CURRENT_TIMESTAMP")
_FALSE = sa.text("false")
_STAGES = ("discovery", "proposal", "negotiation", "won", "lost")


def _created(name: str) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=_NOW, nullable=False)


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=f"fk_{table}_{column}_users", ondelete="CASCADE"
    )


def _create_deals() -> None:
    stages = ", ".join(f"'{stage}'" for stage in _STAGES)
    op.create_table(
        "deals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("product_line", sa.String(255), nullable=True),
        sa.Column("peak_interest_at", sa.Date(), nullable=True),
        sa.Column("last_customer_action_at", sa.Date(), nullable=True),
        sa.Column("proposal_sent_at", sa.Date(), nullable=True),
        sa.Column("p3_requested", sa.Boolean(), server_default=_FALSE, nullable=False),
        sa.Column("p3_at", sa.Date(), nullable=True),
        sa.Column("decider_confirmed", sa.Boolean(), server_default=_FALSE, nullable=False),
        sa.Column("closed_at", sa.Date(), nullable=True),
        _created("created_at"),
        _created("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_deals"),
        _user_fk("deals", "user_id"),
        sa.UniqueConstraint("user_id", "name", name="uq_deals_user_id_name"),
        sa.CheckConstraint(f"stage IN ({stages})", name=op.f("ck_deals_stage")),
    )


def _create_digest_schedules() -> None:
    op.create_table(
        "digest_schedules",
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        _created("updated_at"),
        sa.PrimaryKeyConstraint("manager_id", name="pk_digest_schedules"),
        _user_fk("digest_schedules", "manager_id"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_digest_schedules_weekday")),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name=op.f("ck_digest_schedules_hour")),
    )


def _create_outbox() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("dedupe_key", sa.String(255), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("payload", _JSON, nullable=False),
        _created("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_messages"),
        _user_fk("outbox_messages", "recipient_id"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_messages_dedupe_key"),
        sa.CheckConstraint("kind IN ('digest', 'reminder')", name=op.f("ck_outbox_messages_kind")),
    )
    op.create_index("ix_outbox_messages_recipient_id", "outbox_messages", ["recipient_id"])


def upgrade() -> None:
    _create_deals()
    _create_digest_schedules()
    _create_outbox()


def downgrade() -> None:
    for table in ("outbox_messages", "digest_schedules", "deals"):
        op.drop_table(table)
