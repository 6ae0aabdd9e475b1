"""The trust self-assessment in Slack: the modal, its submission, the result by DM.

`/trust-check` without a draft opens the twelve statements in a modal; the submission is
checked while Slack waits for the ack (so a missing answer is shown under its input), then
scored and stored by `CoachService.submit_trust_check()` after the ack. The result goes to
the rep's DM with the bot, where the next one will show the trend against it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import (
    SlackMessage,
    build_notice,
    build_trust_modal,
    build_trust_report_blocks,
)
from bot.slack.delivery import DELIVERY_ERRORS
from bot.slack.profiles import UserDirectory
from bot.slack.translate import resolve_zone
from bot.slack.turns import friendly
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.service import CoachService

log = logging.getLogger(__name__)

MODAL_FAILED = "I couldn't open the trust self-assessment just now. Please try again."


class TrustDesk:
    def __init__(
        self, service: CoachService, *, users: UserDirectory, default_tz: str | None
    ) -> None:
        self._service = service
        self._users = users
        self._default_tz = default_tz

    async def open(self, client: AsyncWebClient, trigger_id: str, user: str) -> None:
        """views.open on the command's trigger; if Slack refuses, say so in the rep's DM."""
        try:
            await client.views_open(trigger_id=trigger_id, view=build_trust_modal())
        except DELIVERY_ERRORS:
            log.exception("Could not open the trust self-assessment")
            await self._dm(client, user, build_notice(MODAL_FAILED))

    async def submit(self, client: AsyncWebClient, who: UserRef, answers: tuple[int, ...]) -> None:
        """Score and store the answers, then DM the report (or a friendly failure)."""
        try:
            at = await self._now(client, who)
            report = await self._service.submit_trust_check(who, answers, at)
        except Exception as error:
            if not isinstance(error, CoachingError):
                log.exception("Could not store a trust self-assessment")
            await self._dm(client, who.user, build_notice(friendly(error)))
            return
        await self._dm(client, who.user, build_trust_report_blocks(report))

    async def _now(self, client: AsyncWebClient, who: UserRef) -> datetime:
        """The rep's own clock, so the trend's "since <date>" is their calendar day."""
        profile = await self._users.lookup(client, tenant=who.tenant, user=who.user)
        return datetime.now(UTC).astimezone(resolve_zone(profile.tz, self._default_tz))

    async def _dm(self, client: AsyncWebClient, user: str, message: SlackMessage) -> None:
        try:
            await client.chat_postMessage(channel=user, **message)
        except DELIVERY_ERRORS:
            log.exception("Could not DM a trust self-assessment result")
