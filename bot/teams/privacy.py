"""**forget me** in Teams: the answers to the question card `build_forget_card` shows.

The buttons are Universal Actions (`Action.Execute`, with an `Action.Submit` fallback).
"Delete everything" forgets the person the verified activity names (tenant and Entra id),
never anyone the card's data names, and only when that person is the one who was asked;
the counts of what went replace the question.
"""

from __future__ import annotations

import logging
import re

from microsoft_agents.activity import AdaptiveCardInvokeResponse, ContentTypes
from microsoft_agents.hosting.core import TurnContext, TurnState

from bot.teams.cards import ForgetVerb, build_notice_card
from bot.teams.translate import user_ref
from coaching.team.privacy import FORGET_FAILED, ForgetAnswer, PrivacyService

log = logging.getLogger(__name__)

FORGET_VERBS = re.compile(r"^privacy\.")
STALE_QUESTION = "That button no longer works; type **forget me** to be asked again."


class ForgetHandlers:
    """The card-action handlers for forgetting, registered in `build_agent`."""

    def __init__(self, privacy: PrivacyService) -> None:
        self._privacy = privacy

    async def on_execute(
        self, context: TurnContext, _state: TurnState, data: object
    ) -> AdaptiveCardInvokeResponse:
        """A settled answer replaces the card; any other leaves it and says why."""
        answer = await self._answer(context, data)
        if answer.settled:
            card = build_notice_card(answer.text)
            return AdaptiveCardInvokeResponse(
                status_code=200, type=ContentTypes.adaptive_card, value=card
            )
        return AdaptiveCardInvokeResponse(
            status_code=200, type=ContentTypes.message, value=answer.text
        )

    async def on_submit(self, context: TurnContext, _state: TurnState, data: object) -> None:
        """`Action.Submit` fallback: the same answer, as a message."""
        answer = await self._answer(context, data)
        await context.send_activity(answer.text)

    async def _answer(self, context: TurnContext, data: object) -> ForgetAnswer:
        values = data if isinstance(data, dict) else {}
        try:
            verb = ForgetVerb(str(values.get("verb")))
        except ValueError:
            return ForgetAnswer(STALE_QUESTION, settled=False)
        try:
            return await self._privacy.answer_forget(
                user_ref(context.activity),
                asked=str(values.get("asked")),
                confirmed=verb is ForgetVerb.FORGET,
            )
        except Exception:
            log.exception("Could not forget a Teams user")
            return ForgetAnswer(FORGET_FAILED, settled=False)
