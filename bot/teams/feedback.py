"""The Teams feedback loop: thumbs up or down (and a comment) on every coaching answer.

An answer goes out with `channelData.feedbackLoopEnabled`, and Teams draws the thumbs
itself. A press arrives as a `message/submitAction` invoke with `actionName: feedback`,
`actionValue.reaction` (like or dislike) and `actionValue.feedback`, the text the rep typed
(Teams sends it as a JSON string holding `feedbackText`). The invoke names the answer only
by the posted message's id (`replyToId`), so each answer's message is remembered, per
conversation, when it is sent. Only the rep who was answered can rate it. An answer also
carries Teams' AI-generated label; refusals, errors and help text (fixed text, not the
coach's) do not.
(learn.microsoft.com: teams/platform/bots/how-to/bot-messages-ai-generated-content)
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core import TurnContext, TurnState

from bot.teams.proactive import label_ai_generated, to_activity
from bot.teams.translate import local_now, user_ref
from coaching.errors import CoachError, StoreUnavailable
from coaching.feedback.ports import Verdict
from coaching.feedback.service import FeedbackService
from coaching.types import Platform

log = logging.getLogger(__name__)

FEEDBACK_INVOKE = "message/submitAction"
_REACTIONS = {"like": Verdict.UP, "dislike": Verdict.DOWN}

Remember = Callable[[str | None], Awaitable[None]]


def answer_activity(card: dict[str, Any]) -> Activity:
    """A coaching answer: the card, labelled AI-generated, with Teams' thumbs up and down
    under it."""
    activity = label_ai_generated(to_activity(card))
    activity.channel_data = {"feedbackLoopEnabled": True}
    return activity


def reply_ref(conversation_id: str, message_id: str) -> str:
    """A posted message within its conversation, as one fixed-length key (ids repeat
    across conversations, as `activity_key` explains for inbound ones)."""
    return hashlib.sha256(f"{conversation_id}\n{message_id}".encode()).hexdigest()


def remembering(feedback: FeedbackService | None, key: str, conversation_id: str) -> Remember:
    """What to call with a sent answer's id so a later rating finds the answer."""

    async def remember(message_id: str | None) -> None:
        if feedback is None or not message_id or not key:
            return
        try:
            ref = reply_ref(conversation_id, message_id)
            await feedback.remember_reply(Platform.TEAMS, key, ref)
        except StoreUnavailable:
            log.warning("Could not note where a Teams answer was posted; it cannot be rated")

    return remember


def rating(value: object) -> tuple[Verdict, str | None] | None:
    """The verdict and comment of a feedback invoke's value; None when it is not one."""
    if not isinstance(value, dict) or value.get("actionName") != "feedback":
        return None
    action = value.get("actionValue")
    if not isinstance(action, dict) or action.get("reaction") not in _REACTIONS:
        return None
    return _REACTIONS[action["reaction"]], _comment(action.get("feedback"))


def _comment(raw: object) -> str | None:
    """The typed text: Teams sends `{"feedbackText": "..."}` as a string, or an object."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return str(raw) or None
    if isinstance(raw, dict):
        text = raw.get("feedbackText")
        return text if isinstance(text, str) and text else None
    return None


class FeedbackHandler:
    def __init__(self, feedback: FeedbackService, default_timezone: str | None) -> None:
        self._feedback = feedback
        self._default_timezone = default_timezone

    async def on_submit(self, context: TurnContext, _state: TurnState) -> None:
        """Store the rating; the invoke is always answered 200, since Teams shows a failure
        to the rep for anything else and there is nothing they could do about it."""
        activity = context.activity
        rated = rating(activity.value)
        conversation = activity.conversation.id if activity.conversation is not None else ""
        if rated is None or not activity.reply_to_id:
            log.info("Ignored a message/submitAction invoke that is not feedback")
        else:
            verdict, comment = rated
            ref = reply_ref(conversation, activity.reply_to_id)
            at = local_now(activity, self._default_timezone)
            try:
                await self._feedback.rate_reply(
                    user_ref(activity), ref, verdict, at=at, comment=comment
                )
            except CoachError as error:
                log.info("A Teams rating was not stored: %s", type(error).__name__)
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200))
        )
