"""Read-only CRM sync: reps' work emails, CRM ids and fields on deals, and the sync cursor.

`users.email` matches a CRM deal owner to a rep; `deals.crm_id` is the key a sync upserts
by, with the CRM's expected close date and next step beside it; `crm_cursors` holds the
last modification time a sync finished, so an interrupted sync resumes where it stopped.
Rows stored before this revision have none of these and are left as they are.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(320), nullable=True))
        batch.create_index("ix_users_email", ["email"])
    # A batch rebuilds the table on SQLite, which cannot add a unique constraint in place.
    with op.batch_alter_table("deals") as batch:
        batch.add_column(sa.Column("crm_id", sa.String(80), nullable=True))
        batch.add_column(sa.Column("close_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("next_step", sa.Text(), nullable=True))
        batch.create_unique_constraint("uq_deals_crm_id", ["crm_id"])
    op.create_table(
        "crm_cursors",
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.PrimaryKeyConstraint("source", name="pk_crm_cursors"),
    )


def downgrade() -> None:
    op.drop_table("crm_cursors")
    with op.batch_alter_table("deals") as batch:
        batch.drop_constraint("uq_deals_crm_id", type_="unique")
        batch.drop_column("next_step")
        batch.drop_column("close_date")
        batch.drop_column("crm_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_email")
        batch.drop_column("email")
