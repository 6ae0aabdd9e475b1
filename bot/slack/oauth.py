"""Multi-workspace installs: Bolt's OAuth flow on our database's installation and state stores.

Any workspace installs the coach from `/slack/install`; Slack sends the admin back to
`/slack/oauth_redirect`, where Bolt exchanges the code (oauth.v2.access) and saves the bot
token. `app_uninstalled` and `tokens_revoked` delete it again (`listen_for_revocations`).
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from config.settings import Settings
from storage.slack_store import SlackStores

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def secret(value: SecretStr | None) -> str | None:
    """A configured secret, with an empty `.env` line counting as not configured."""
    if value is None:
        return None
    return value.get_secret_value() or None


def scopes(settings: Settings) -> list[str]:
    return [scope.strip() for scope in settings.slack.scopes.split(",") if scope.strip()]


def build_oauth_settings(settings: Settings, stores: SlackStores) -> AsyncOAuthSettings:
    """Everything passed explicitly, so Bolt never falls back to reading the environment."""
    return AsyncOAuthSettings(
        client_id=settings.slack.client_id,
        client_secret=secret(settings.slack.client_secret),
        scopes=scopes(settings),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=settings.slack.redirect_uri or None,
        installation_store=stores.installations,
        state_store=stores.states,
    )


def listen_for_revocations(app: AsyncApp, installations: AsyncInstallationStore) -> None:
    """Forget a workspace whose bot token Slack has revoked or whose admin uninstalled us.

    Bolt's own `tokens_revoked` listener deletes only the `slack_bots` row, but the
    workspace's `slack_installations` row holds the same bot token and Bolt authorises
    from that row first, so the revoked token would keep answering. A bot-only app has
    nothing left in a workspace without its bot token: both rows go. A revoked user token
    (the installer's) removes only that user's installation rows, as in Bolt.
    """

    async def revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        tokens = event.get("tokens") or {}
        for user_id in tokens.get("oauth") or []:
            await installations.async_delete_installation(
                enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
            )
        if tokens.get("bot"):
            await uninstalled(context)

    async def uninstalled(context: AsyncBoltContext) -> None:
        await installations.async_delete_all(
            enterprise_id=context.enterprise_id, team_id=context.team_id
        )

    app.event("tokens_revoked")(revoked)
    app.event("app_uninstalled")(uninstalled)
