"""Thumbs up or down under a Slack answer, and the optional comment after a thumbs down.

The thumbs are a `feedback_buttons` element; its value is the verdict and the answered
event's key, like the "Why?" button's. The rating is stored for the presser only, so a
thumb pressed on someone else's answer (a forwarded message, a forged payload) stores
nothing and tells the presser so, privately. A thumbs down opens a small modal (the
trigger is valid for three seconds, so right after the ack) for an optional comment.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import (
    FEEDBACK_COMMENT_ID,
    build_feedback_modal,
    build_notice,
)
from bot.slack.delivery import DELIVERY_ERRORS
from bot.slack.turns import friendly
from coaching.errors import CoachingError
from coaching.feedback.ports import Verdict
from coaching.feedback.service import FeedbackService
from coaching.ports import UserRef

log = logging.getLogger(__name__)

THANKS = "Thanks, noted. It helps the coach get better."
BAD_PRESS = "That button no longer works; ask me again for a fresh answer."

Payload = Mapping[str, Any]


def thumb(body: Payload) -> tuple[Verdict, str]:
    """The verdict and answer key a feedback press carries; CoachingError when malformed."""
    value = str(body["actions"][0].get("value", ""))
    verdict, _, key = value.partition(":")
    if verdict not in tuple(Verdict) or not key:
        raise CoachingError("input.bad_action", BAD_PRESS)
    return Verdict(verdict), key


def comment_of(view: Payload) -> tuple[str, str]:
    """(answer key, comment) from the comment modal's submission."""
    values = view.get("state", {}).get("values", {})
    typed = values.get(FEEDBACK_COMMENT_ID, {}).get(FEEDBACK_COMMENT_ID, {}).get("value")
    return str(view.get("private_metadata", "")), str(typed or "")


class FeedbackDesk:
    def __init__(self, service: FeedbackService) -> None:
        self._service = service

    async def press(self, client: AsyncWebClient, who: UserRef, body: Payload) -> None:
        """Store the thumb; then the comment modal (thumbs down) or a private thank-you."""
        try:
            verdict, key = thumb(body)
            await self._service.rate(who, key, verdict, at=datetime.now(UTC))
        except Exception as error:
            if not isinstance(error, CoachingError):
                log.exception("Could not store a rating")
            await self._tell(client, who.user, body, friendly(error))
            return
        if verdict is Verdict.DOWN and body.get("trigger_id"):
            try:
                view = build_feedback_modal(key)
                await client.views_open(trigger_id=str(body["trigger_id"]), view=view)
            except DELIVERY_ERRORS:
                log.exception("Could not open the feedback comment modal")
            return
        await self._tell(client, who.user, body, THANKS)

    async def comment(self, client: AsyncWebClient, who: UserRef, view: Payload) -> None:
        """The modal's comment joins the thumbs down already stored; empty changes nothing."""
        key, text = comment_of(view)
        if not text.strip():
            return
        try:
            await self._service.rate(who, key, Verdict.DOWN, at=datetime.now(UTC), comment=text)
        except Exception as error:
            if not isinstance(error, CoachingError):
                log.exception("Could not store a feedback comment")
            await self._dm(client, who.user, friendly(error))

    async def _tell(self, client: AsyncWebClient, user: str, body: Payload, text: str) -> None:
        """An ephemeral note where the answer is, else a DM."""
        channel = (body.get("channel") or {}).get("id")
        if channel is None:
            await self._dm(client, user, text)
            return
        thread = (body.get("message") or {}).get("thread_ts")
        try:
            await client.chat_postEphemeral(
                channel=str(channel), user=user, thread_ts=thread, **build_notice(text)
            )
        except DELIVERY_ERRORS:
            log.exception("Could not confirm a rating")

    async def _dm(self, client: AsyncWebClient, user: str, text: str) -> None:
        try:
            await client.chat_postMessage(channel=user, **build_notice(text))
        except DELIVERY_ERRORS:
            log.exception("Could not DM a rating failure")
