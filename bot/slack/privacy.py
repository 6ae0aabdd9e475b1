"""`/forget-me` and "forget me" in Slack: ask first, then delete the clicker's own history.

The slash command's question goes back in its ack (it is small and built without I/O, so
nothing waits); "forget me" typed in the DM gets the same question there. A click is acked
at once and handled in the background. "Delete everything" forgets the user and workspace
Slack verified for this request, never anyone the payload's text names, and only when that
user is the one the question was for.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from aiohttp import ClientSession
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.slack.blocks import build_notice
from bot.slack.delivery import DELIVERY_ERRORS, ChannelReply, webhook
from bot.slack.privacy_blocks import FORGET_ACTION, KEEP_ACTION, build_forget_question
from bot.slack.translate import tenant_of
from bot.work import BackgroundWork
from coaching.ports import UserRef
from coaching.team.privacy import FORGET_FAILED, ForgetAnswer, PrivacyService
from coaching.types import Platform

log = logging.getLogger(__name__)

Payload = Mapping[str, Any]
FORGET_COMMAND = "/forget-me"
FORGET_BUTTONS = re.compile(rf"^(?:{FORGET_ACTION}|{KEEP_ACTION})$")
# The whole message, give or take a slash, a hyphen and a full stop: "Forget me!".
FORGET_WORDS = re.compile(r"^\s*/?forget[\s-]+me\s*[.!]*\s*$", re.IGNORECASE)


class PrivacyDesk:
    """The listener functions for forgetting; Bolt injects arguments by parameter name."""

    def __init__(
        self, privacy: PrivacyService, *, work: BackgroundWork, session: ClientSession
    ) -> None:
        self._privacy = privacy
        self._work = work
        self._session = session

    async def on_command(self, ack: AsyncAck, command: Payload) -> None:
        """`/forget-me`: the question, visible only to the person who typed it."""
        question = build_forget_question(str(command["user_id"]))
        await ack(text=question["text"], blocks=question["blocks"])

    async def on_message(
        self, event: Payload, context: AsyncBoltContext, request: AsyncBoltRequest
    ) -> None:
        """Typing "forget me" in the DM: the same question, in the DM (once per event)."""
        if event.get("channel_type") != "im" or event.get("bot_id") or not event.get("user"):
            return
        if request.headers.get("x-slack-retry-num"):
            return
        reply = ChannelReply(context.client, str(event["channel"]), event.get("thread_ts"))
        self._work.spawn(reply.send([build_forget_question(str(event["user"]))]))

    async def on_button(self, ack: AsyncAck, body: Payload, context: AsyncBoltContext) -> None:
        """Either button: the clicker is who Slack says clicked, in the workspace it says."""
        await ack()
        who = UserRef(
            platform=Platform.SLACK,
            tenant=tenant_of(context.enterprise_id, context.team_id),
            user=str(body["user"]["id"]),
        )
        action = body["actions"][0]
        confirmed = action["action_id"] == FORGET_ACTION
        asked = str(action.get("value"))
        self._work.spawn(self._settle(who, asked, confirmed, body.get("response_url")))

    async def _settle(
        self, who: UserRef, asked: str, confirmed: bool, response_url: str | None
    ) -> None:
        """Apply the click, then answer where the question was."""
        try:
            answer = await self._privacy.answer_forget(who, asked=asked, confirmed=confirmed)
        except Exception:
            log.exception("Could not forget a Slack user")
            answer = ForgetAnswer(FORGET_FAILED, settled=False)
        if response_url is not None:
            await self._respond(response_url, answer)

    async def _respond(self, response_url: str, answer: ForgetAnswer) -> None:
        """A settled answer replaces the question; any other is a private note under it."""
        message = build_notice(answer.text)
        try:
            await webhook(response_url, self._session).send(
                text=message["text"],
                blocks=message["blocks"],
                replace_original=answer.settled,
                response_type=None if answer.settled else "ephemeral",
            )
        except DELIVERY_ERRORS:
            log.exception("Could not answer a forget-me button")
