"""The bot token to speak to a workspace with: the one `SLACK_BOT_TOKEN` configures, or,
for OAuth installs (`SLACK_CLIENT_ID`), the one stored when that workspace installed us.

A queued turn knows its exact workspace (enterprise, team, org-wide or not) from the
request; a digest or reminder knows only its recipient's tenant. Both ask here, so every
process that writes to Slack first finds its token the same way. None means the workspace
has no installation (never installed, or uninstalled since).
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from bot.slack.oauth import secret
from bot.slack.turns import Workspace
from config.settings import Settings
from storage.slack_store import SlackStores, find_bot_token


class SlackTokens:
    def __init__(
        self, configured: str | None, installations: AsyncSQLAlchemyInstallationStore | None
    ) -> None:
        self._configured = configured
        self._installations = installations

    async def for_workspace(self, workspace: Workspace) -> str | None:
        """The token for the workspace a request came from."""
        if self._installations is None:
            return self._configured
        bot = await self._installations.async_find_bot(
            enterprise_id=workspace.enterprise_id,
            team_id=workspace.team_id,
            is_enterprise_install=workspace.is_enterprise_install,
        )
        return bot.bot_token if bot is not None and bot.bot_token else None

    async def for_tenant(self, tenant: str) -> str | None:
        """The token that reaches a coach tenant's users (`bot.slack.translate.tenant_of`)."""
        if self._installations is None:
            return self._configured
        return await find_bot_token(self._installations, tenant)


def slack_tokens(settings: Settings, stores: SlackStores | None) -> SlackTokens:
    """The lookup for these settings: the installation store with OAuth (the root's
    `bot.wiring.Root.slack`), else the configured bot token."""
    if stores is None:
        return SlackTokens(secret(settings.slack.bot_token), None)
    return SlackTokens(None, stores.installations)
