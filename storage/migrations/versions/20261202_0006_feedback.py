"""Feedback on answers: one thumbs up or down (and an optional comment) per answer and person.

`processed_events.turn_id` links an answer to what the rep said, so a rated answer can be
exported as an evaluation case; `reply_ref` names the posted answer message, which is all
a Teams feedback invoke carries. Events stored before this revision have neither.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOW = sa.text("CURRENT_TIMESTAMP")
_TURN_FK = "fk_processed_events_turn_id_conversation_turns"


def upgrade() -> None:
    # A batch rebuilds the table on SQLite, which cannot add a foreign key in place.
    with op.batch_alter_table("processed_events") as batch:
        batch.add_column(sa.Column("turn_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reply_ref", sa.String(64), nullable=True))
        batch.create_index("ix_processed_events_reply_ref", ["reply_ref"])
        batch.create_foreign_key(
            _TURN_FK, "conversation_turns", ["turn_id"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["processed_events.id"],
            name="fk_feedback_event_id_processed_events",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_feedback_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("event_id", "user_id", name="uq_feedback_event_id_user_id"),
        sa.CheckConstraint("verdict IN ('up', 'down')", name=op.f("ck_feedback_verdict")),
    )
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    op.create_index("ix_feedback_user_id", "feedback", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_user_id", "feedback")
    op.drop_index("ix_feedback_created_at", "feedback")
    op.drop_table("feedback")
    with op.batch_alter_table("processed_events") as batch:
        batch.drop_index("ix_processed_events_reply_ref")
        batch.drop_constraint(_TURN_FK, type_="foreignkey")
        batch.drop_column("reply_ref")
        batch.drop_column("turn_id")
