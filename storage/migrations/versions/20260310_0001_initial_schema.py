"""Initial schema: tenants, users, thread memory, findings, commitments and delivery records.

Written out in full rather than imported from `storage.models`, so this revision keeps
creating the same tables however the models change later.

Revision ID: 0001
Revises:
Create Date: 2026-03-10
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_NOW = sa.text("CURRENT_TIMESTAMP")
_PLATFORMS = ("console", "slack", "teams")


def _one_of(column: str, values: Sequence[str], table: str) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=op.f(f"ck_{table}_{column}"))


def _id(table: str) -> tuple[sa.Column[int], sa.PrimaryKeyConstraint]:
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint(
        "id", name=f"pk_{table}"
    )


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    default = None if nullable else _NOW
    return sa.Column(name, sa.DateTime(timezone=True), server_default=default, nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def _create_tenants_and_users() -> None:
    op.create_table(
        "tenants",
        *_id("tenants"),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=True),
        _timestamp("created_at"),
        sa.UniqueConstraint("platform", "external_id", name="uq_tenants_platform_external_id"),
        _one_of("platform", _PLATFORMS, "tenants"),
    )
    op.create_table(
        "users",
        *_id("users"),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("platform_user_id", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(255), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _fk("users", "tenant_id", "tenants", "CASCADE"),
        _fk("users", "manager_id", "users", "SET NULL"),
        sa.UniqueConstraint(
            "tenant_id", "platform_user_id", name="uq_users_tenant_id_platform_user_id"
        ),
        _one_of("role", ("rep", "manager", "admin"), "users"),
    )
    op.create_index("ix_users_manager_id", "users", ["manager_id"])


def _create_turns_and_findings() -> None:
    op.create_table(
        "conversation_turns",
        *_id("conversation_turns"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_key", sa.String(255), nullable=True),
        sa.Column("speaker", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _fk("conversation_turns", "user_id", "users", "CASCADE"),
        _one_of("speaker", ("user", "coach"), "conversation_turns"),
    )
    op.create_index(
        "ix_conversation_turns_user_id_thread_key_created_at",
        "conversation_turns",
        ["user_id", "thread_key", "created_at"],
    )
    op.create_table(
        "findings",
        *_id("findings"),
        sa.Column("turn_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("category", sa.String(64), nullable=True),
        _timestamp("created_at"),
        _fk("findings", "turn_id", "conversation_turns", "CASCADE"),
        _fk("findings", "user_id", "users", "CASCADE"),
        _one_of("severity", ("high", "medium", "low"), "findings"),
    )
    op.create_index("ix_findings_turn_id", "findings", ["turn_id"])
    op.create_index("ix_findings_user_id_created_at", "findings", ["user_id", "created_at"])


def _create_commitments() -> None:
    kinds = ("p3_request", "follow_up", "introduction", "send_material", "meeting", "other")
    statuses = ("suggested", "open", "done", "snoozed", "cancelled")
    op.create_table(
        "commitments",
        *_id("commitments"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source_turn_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("counterpart", sa.String(255), nullable=True),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("reminded_day_before_at", nullable=True),
        _timestamp("reminded_due_at", nullable=True),
        sa.Column("idempotency_key", sa.String(320), nullable=True),
        _fk("commitments", "user_id", "users", "CASCADE"),
        _fk("commitments", "source_turn_id", "conversation_turns", "SET NULL"),
        sa.UniqueConstraint("idempotency_key", name="uq_commitments_idempotency_key"),
        _one_of("kind", kinds, "commitments"),
        _one_of("party", ("rep", "customer"), "commitments"),
        _one_of("status", statuses, "commitments"),
    )
    op.create_index("ix_commitments_source_turn_id", "commitments", ["source_turn_id"])
    op.create_index(
        "ix_commitments_user_id_status_due", "commitments", ["user_id", "status", "due"]
    )


def _create_assessments_and_reviews() -> None:
    op.create_table(
        "trust_assessments",
        *_id("trust_assessments"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Float(), nullable=False)
            for name in ("credibility", "reliability", "intimacy", "self_orientation", "trust")
        ),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("answers", _JSON, nullable=True),
        _timestamp("created_at"),
        _fk("trust_assessments", "user_id", "users", "CASCADE"),
        _one_of("source", ("self", "coach"), "trust_assessments"),
    )
    op.create_index(
        "ix_trust_assessments_user_id_created_at", "trust_assessments", ["user_id", "created_at"]
    )
    op.create_table(
        "proposal_reviews",
        *_id("proposal_reviews"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(255), nullable=True),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("findings", _JSON, nullable=False),
        sa.Column("scorecard", _JSON, nullable=True),
        _timestamp("created_at"),
        _fk("proposal_reviews", "user_id", "users", "CASCADE"),
    )
    op.create_index(
        "ix_proposal_reviews_user_id_created_at", "proposal_reviews", ["user_id", "created_at"]
    )


def _create_processed_events() -> None:
    op.create_table(
        "processed_events",
        *_id("processed_events"),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("event_key", sa.String(255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("result", _JSON, nullable=False),
        _timestamp("created_at"),
        _fk("processed_events", "user_id", "users", "SET NULL"),
        sa.UniqueConstraint("platform", "event_key", name="uq_processed_events_platform_event_key"),
        _one_of("platform", _PLATFORMS, "processed_events"),
    )
    op.create_index("ix_processed_events_user_id", "processed_events", ["user_id"])


def _create_proactive_records() -> None:
    op.create_table(
        "nudge_deliveries",
        *_id("nudge_deliveries"),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("iso_week", sa.String(8), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("digest", _JSON, nullable=False),
        _timestamp("created_at"),
        _timestamp("sent_at", nullable=True),
        _fk("nudge_deliveries", "manager_id", "users", "CASCADE"),
        sa.UniqueConstraint(
            "manager_id", "iso_week", name="uq_nudge_deliveries_manager_id_iso_week"
        ),
        _one_of("status", ("pending", "sent", "failed"), "nudge_deliveries"),
    )
    op.create_table(
        "conversation_references",
        *_id("conversation_references"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("reference", _JSON, nullable=False),
        sa.Column("stale", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        _timestamp("updated_at"),
        _fk("conversation_references", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("user_id", name="uq_conversation_references_user_id"),
        _one_of("platform", _PLATFORMS, "conversation_references"),
    )


def _create_audit_log() -> None:
    op.create_table(
        "audit_log",
        *_id("audit_log"),
        sa.Column("tenant_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255), nullable=True),
        sa.Column("details", _JSON, nullable=True),
        _timestamp("created_at"),
        _fk("audit_log", "tenant_id", "tenants", "SET NULL"),
        _fk("audit_log", "actor_id", "users", "SET NULL"),
    )
    op.create_index("ix_audit_log_tenant_id_created_at", "audit_log", ["tenant_id", "created_at"])
    op.create_index("ix_audit_log_actor_id", "audit_log", ["actor_id"])


def upgrade() -> None:
    _create_tenants_and_users()
    _create_turns_and_findings()
    _create_commitments()
    _create_assessments_and_reviews()
    _create_processed_events()
    _create_proactive_records()
    _create_audit_log()


def downgrade() -> None:
    for table in (
        "audit_log",
        "conversation_references",
        "nudge_deliveries",
        "processed_events",
        "proposal_reviews",
        "trust_assessments",
        "commitments",
        "findings",
        "conversation_turns",
        "users",
        "tenants",
    ):
        op.drop_table(table)
