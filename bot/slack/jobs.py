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
from contextlib import asynccontextmanager

from aiohttp import ClientSession

from bot.slack.app import build_slack_coach, slack_mode
from bot.slack.delivery import web_client
from bot.slack.profiles import UserDirectory
from bot.slack.tokens import SlackTokens, slack_tokens
from bot.slack.turns import SlackCoach, SlackOrder
from bot.wiring import Root
from bot.work import BackgroundWork
from config.settings import Settings

log = logging.getLogger(__name__)


class SlackJobs:
    """What `slack_turn` jobs run on in one worker process."""

    def __init__(
        self, settings: Settings, coach: SlackCoach, tokens: SlackTokens, session: ClientSession
    ) -> None:
        self._settings = settings
        self._coach = coach
        self._tokens = tokens
        self._session = session

    async def run(self, payload: str, *, resend: bool, can_retry: bool) -> dict[str, bool]:
        """Finish one order; an uninstalled workspace is dropped (nobody to answer)."""
        order = SlackOrder.model_validate_json(payload)
        token = await self._tokens.for_workspace(order.workspace)
        if token is None:
            log.warning("Dropped a queued Slack turn: its workspace has no installation")
            return {"answered": False}
        client = web_client(self._settings, self._session, token)
        await self._coach.finish(order, client, resend=resend, can_retry=can_retry)
        return {"answered": True}


@asynccontextmanager
async def open_slack_jobs(settings: Settings, root: Root) -> AsyncIterator[SlackJobs | None]:
    """The worker's Slack side on the root's services and installations, or None when this
    deployment has no Slack."""
    if slack_mode(settings) is None:
        yield None
        return
    tokens = slack_tokens(settings, root.slack)
    async with ClientSession() as session:
        coach = build_slack_coach(
            settings, root.services, work=BackgroundWork(), session=session, users=UserDirectory()
        )
        yield SlackJobs(settings, coach, tokens, session)
