"""Slack installations: the tables of slack_sdk's SQLAlchemy installation and state stores.

Multi-workspace (OAuth) installs keep each workspace's bot token here; `app_uninstalled` and
`tokens_revoked` delete the rows again. Written out in full, matching slack_sdk's
`build_bots_table`, `build_installations_table` and `build_oauth_states_table` (naive
timestamps, as slack_sdk writes them), so this revision never changes with the library.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-20
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int, *, nullable: bool = True) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=nullable)


def _workspace_columns() -> list[sa.Column[Any]]:
    """The columns slack_bots and slack_installations share, in slack_sdk's order."""
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _text("client_id", 32, nullable=False),
        _text("app_id", 32, nullable=False),
        _text("enterprise_id", 32),
        _text("enterprise_name", 200),
    ]


def _bot_columns() -> list[sa.Column[Any]]:
    return [
        _text("bot_token", 200),
        _text("bot_id", 32),
        _text("bot_user_id", 32),
        _text("bot_scopes", 1000),
        _text("bot_refresh_token", 200),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
    ]


def _create_bots() -> None:
    op.create_table(
        "slack_bots",
        *_workspace_columns(),
        _text("team_id", 32),
        _text("team_name", 200),
        *_bot_columns(),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_bots"),
    )
    op.create_index(
        "slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"]
    )


def _create_installations() -> None:
    op.create_table(
        "slack_installations",
        *_workspace_columns(),
        _text("enterprise_url", 200),
        _text("team_id", 32),
        _text("team_name", 200),
        *_bot_columns(),
        _text("user_id", 32, nullable=False),
        _text("user_token", 200),
        _text("user_scopes", 1000),
        _text("user_refresh_token", 200),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        _text("incoming_webhook_url", 200),
        _text("incoming_webhook_channel", 200),
        _text("incoming_webhook_channel_id", 200),
        _text("incoming_webhook_configuration_url", 200),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        _text("token_type", 32),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_installations"),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )


def _create_oauth_states() -> None:
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _text("state", 200, nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_oauth_states"),
    )


def upgrade() -> None:
    _create_bots()
    _create_installations()
    _create_oauth_states()


def downgrade() -> None:
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
