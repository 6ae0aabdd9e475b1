"""The worker's half of a Slack turn: a `SlackOrder` from the queue, answered in Slack.

The web process acknowledged the request and showed the status; here the worker finds the
workspace's bot token (the one configured, or the installation saved at OAuth install),
coaches, and replaces the status with the answer through the same `SlackCoach.finish()`
the web process uses without a queue. A retried job sends the stored answer again over the
same placeholder, so a worker killed mid-turn costs the rep a delay, never the answer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from aiohttp import ClientSession
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.app import SlackMode, build_slack_coach, slack_mode, web_client
from bot.slack.oauth import secret
from bot.slack.profiles import UserDirectory
from bot.slack.turns import SlackCoach, SlackOrder, Workspace
from bot.slack.work import BackgroundWork
from bot.wiring import Services
from coaching.config import Settings
from storage.slack_store import open_slack_stores

log = logging.getLogger(__name__)


class NotInstalled(RuntimeError):
    """The workspace has no bot token here (uninstalled since the request came in)."""


class SlackTokens:
    """The bot token for a workspace: the configured one, or its OAuth installation's."""

    def __init__(self, settings: Settings, installations: AsyncInstallationStore | None) -> None:
        self._token = secret(settings.slack_bot_token)
        self._installations = installations

    async def token_for(self, workspace: Workspace) -> str:
        if self._installations is None:
            if self._token is None:
                raise NotInstalled("SLACK_BOT_TOKEN is not set")
            return self._token
        bot = await self._installations.async_find_bot(
            enterprise_id=workspace.enterprise_id,
            team_id=workspace.team_id,
            is_enterprise_install=workspace.is_enterprise_install,
        )
        if bot is None or not bot.bot_token:
            raise NotInstalled("no installation for this workspace")
        return bot.bot_token


class SlackJobs:
    """What `slack_turn` jobs run on in one worker process."""

    def __init__(
        self, settings: Settings, coach: SlackCoach, tokens: SlackTokens, session: ClientSession
    ) -> None:
        self._settings = settings
        self._coach = coach
        self._tokens = tokens
        self._session = session

    async def run(self, payload: str, *, attempt: int, can_retry: bool) -> dict[str, bool]:
        """Finish one order; an uninstalled workspace is dropped (nobody to answer)."""
        order = SlackOrder.model_validate_json(payload)
        try:
            token = await self._tokens.token_for(order.workspace)
        except NotInstalled as missing:
            log.warning("Dropped a queued Slack turn: %s", missing)
            return {"answered": False}
        client: AsyncWebClient = web_client(self._settings, self._session, token)
        await self._coach.finish(order, client, resend=attempt > 1, can_retry=can_retry)
        return {"answered": True}


@asynccontextmanager
async def open_slack_jobs(
    settings: Settings, services: Services
) -> AsyncIterator[SlackJobs | None]:
    """The worker's Slack side, or None when this deployment has no Slack."""
    mode = slack_mode(settings)
    if mode is None:
        yield None
        return
    async with AsyncExitStack() as stack:
        session = await stack.enter_async_context(ClientSession())
        installations = None
        if mode is SlackMode.OAUTH:
            opened = open_slack_stores(
                settings.database_url, client_id=str(settings.slack_client_id)
            )
            installations = (await stack.enter_async_context(opened)).installations
        coach = build_slack_coach(
            settings, services, work=BackgroundWork(), session=session, users=UserDirectory()
        )
        yield SlackJobs(settings, coach, SlackTokens(settings, installations), session)
