"""Multi-workspace installs: Bolt's OAuth flow on our database's installation and state stores.

Any workspace installs the coach from `/slack/install`; Slack sends the admin back to
`/slack/oauth_redirect`, where Bolt exchanges the code (oauth.v2.access) and saves the bot
token. `app_uninstalled` and `tokens_revoked` delete it again (see `register_listeners`).
"""

from __future__ import annotations

from pydantic import SecretStr
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from coaching.config import Settings
from storage.slack_store import SlackStores

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def secret(value: SecretStr | None) -> str | None:
    """A configured secret, with an empty `.env` line counting as not configured."""
    if value is None:
        return None
    return value.get_secret_value() or None


def scopes(settings: Settings) -> list[str]:
    return [scope.strip() for scope in settings.slack_scopes.split(",") if scope.strip()]


def build_oauth_settings(settings: Settings, stores: SlackStores) -> AsyncOAuthSettings:
    """Everything passed explicitly, so Bolt never falls back to reading the environment."""
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret(settings.slack_client_secret),
        scopes=scopes(settings),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=settings.slack_redirect_uri or None,
        installation_store=stores.installations,
        state_store=stores.states,
    )
