"""The "Why?" button under an answer: the reasoning behind it, opened in a modal.

The button carries the answered event's key, not the explanation: Slack caps a button's
value at 2000 characters, and the stored result is what the rep saw then. The key is looked
up for the presser only, so a forwarded or shared answer never explains someone else's turn.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import build_notice, build_why_modal
from bot.slack.delivery import DELIVERY_ERRORS
from bot.slack.turns import friendly
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.service import CoachService

log = logging.getLogger(__name__)


class WhyDesk:
    def __init__(self, service: CoachService) -> None:
        self._service = service

    async def open(self, client: AsyncWebClient, who: UserRef, key: str, trigger_id: str) -> None:
        """views.open with the explanation; a store failure becomes a friendly DM."""
        try:
            explanation = await self._service.explain_answer(who, key)
        except Exception as error:
            if not isinstance(error, CoachingError):
                log.exception("Could not read an answer to explain")
            await self._dm(client, who.user, friendly(error))
            return
        try:
            await client.views_open(trigger_id=trigger_id, view=build_why_modal(explanation))
        except DELIVERY_ERRORS:
            log.exception("Could not open the Why? modal")

    async def _dm(self, client: AsyncWebClient, user: str, text: str) -> None:
        try:
            await client.chat_postMessage(channel=user, **build_notice(text))
        except DELIVERY_ERRORS:
            log.exception("Could not DM a Why? failure")
