"""Slack's installation and OAuth state stores, on the coach's own database.

Multi-workspace installs keep one row per workspace (bot token, scopes, who installed) and
a short-lived row per OAuth `state`. slack_sdk's SQLAlchemy stores own the queries, except
the one that finds a bot by the coach's tenant (`find_bot_token`). The tables come from the
`0002` Alembic migration, never from `create_all`, and `SLACK_METADATA` describes them with
slack_sdk's own builders so a test can check that the migration and the library agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, and_, desc, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

# An OAuth round trip (install page, Slack's consent screen, redirect) must finish within this.
STATE_EXPIRATION_SECONDS = 600

SLACK_BOTS = AsyncSQLAlchemyInstallationStore.default_bots_table_name
SLACK_INSTALLATIONS = AsyncSQLAlchemyInstallationStore.default_installations_table_name
SLACK_OAUTH_STATES = AsyncSQLAlchemyOAuthStateStore.default_table_name
SLACK_TABLES = frozenset({SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_OAUTH_STATES})

SLACK_METADATA = MetaData()
AsyncSQLAlchemyInstallationStore.build_bots_table(SLACK_METADATA, SLACK_BOTS)
AsyncSQLAlchemyInstallationStore.build_installations_table(SLACK_METADATA, SLACK_INSTALLATIONS)
AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(SLACK_METADATA, SLACK_OAUTH_STATES)


@dataclass(frozen=True)
class SlackStores:
    installations: AsyncSQLAlchemyInstallationStore
    states: AsyncSQLAlchemyOAuthStateStore


def slack_stores(engine: AsyncEngine, *, client_id: str) -> SlackStores:
    """Both stores on the process's (already migrated) database engine; its owner closes it."""
    return SlackStores(
        installations=AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine),
        states=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine
        ),
    )


async def find_bot_token(
    installations: AsyncSQLAlchemyInstallationStore, tenant: str
) -> str | None:
    """The newest bot token that can write to a coach tenant's users, or None.

    A tenant is an Enterprise Grid org's id when there is one, else the workspace's
    (`bot.slack.translate.tenant_of`). So an org-wide install, and a workspace's own install
    inside the org, are found by the org's id; a workspace outside any org by its team id.
    slack_sdk's `async_find_bot` needs to be told which of these it looks for, and a tenant
    does not say, hence this query on its table.
    """
    bots = installations.bots.c
    query = (
        select(bots.bot_token)
        .where(
            bots.client_id == installations.client_id,
            bots.bot_token.is_not(None),
            or_(
                bots.enterprise_id == tenant,
                and_(bots.enterprise_id.is_(None), bots.team_id == tenant),
            ),
        )
        .order_by(desc(bots.installed_at))
        .limit(1)
    )
    async with installations.engine.connect() as connection:
        token = (await connection.execute(query)).scalar_one_or_none()
    return None if token is None else str(token)
