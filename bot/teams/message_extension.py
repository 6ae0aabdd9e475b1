"""The Teams message extension: "Coach this draft" on any message, a proposal review in
the compose box.

Both are action commands (`composeExtensions` in `bot.teams.manifest`). "Coach this draft"
asks for no input, so Teams sends `composeExtension/fetchTask` with the picked message in
`messagePayload`; the proposal review has one static parameter, so the rep's paste arrives
in `composeExtension/submitAction` as `data.proposal`
(learn.microsoft.com: teams/platform/messaging-extensions/how-to/action-commands/
define-action-command).
Either invoke is coached like a chat turn (`bot.teams.turns.prepare`: findings, and the
commitments kept for the rep) and answered with a dialog showing the card, a `task`
`continue` response
(learn.microsoft.com: .../action-commands/respond-to-task-module-submit). A dialog, not a card
inserted into the compose box: the coaching is for the rep, and an inserted card would be
one click away from landing in the customer's chat.

Teams waits five seconds for the answer and then retries the invoke, so the dialog waits
`COACH_TEAMS_REPLY_BUDGET`, but never more than `EXTENSION_BUDGET_SECONDS`; a slower
coaching goes on and arrives in the rep's personal chat with the coach. The job queue is
not used here: a worker posts into the conversation an activity came from, which for an
invoke may be a group chat or a channel.
"""

from __future__ import annotations

import asyncio
import logging
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.activity.teams import MessagingExtensionAction
from microsoft_agents.hosting.core import CardFactory, TurnContext, TurnState
from pydantic import ValidationError

from bot.teams.cards import Card, build_text_block
from bot.teams.manifest import COACH_DRAFT_COMMAND, PROPOSAL_PARAMETER, PROPOSAL_REVIEW_COMMAND
from bot.teams.proactive import Delivery, send_proactive
from bot.teams.translate import user_ref
from bot.teams.turns import SORRY, TeamsCoach, TeamsOrder, TeamsWork, friendly, prepare
from coaching.errors import CoachError, CoachingError

log = logging.getLogger(__name__)

FETCH_TASK_INVOKE = "composeExtension/fetchTask"
SUBMIT_ACTION_INVOKE = "composeExtension/submitAction"
# Teams gives an invoke five seconds, then retries it; this leaves time for the answer.
EXTENSION_BUDGET_SECONDS = 4.0

NO_DRAFT_TEXT = (
    "That message has no text I can coach. Pick a message with words in it, or paste the "
    "draft into our chat."
)
NO_PROPOSAL_TEXT = "Paste the proposal or outline into the box, then press the button again."
UNKNOWN_COMMAND = "This app package is older than the coach; ask your admin to update it."
LATER_TEXT = "That one needs a little longer: the coaching will arrive in our personal chat."
COMMITMENTS_HINT = "Type **commitments** in our chat to confirm or snooze these next steps."


class ExtensionCommand(StrEnum):
    """The command ids of the manifest's `composeExtensions`."""

    COACH_DRAFT = COACH_DRAFT_COMMAND
    PROPOSAL_REVIEW = PROPOSAL_REVIEW_COMMAND


DIALOG_TITLES = {
    ExtensionCommand.COACH_DRAFT: "Coaching on this message",
    ExtensionCommand.PROPOSAL_REVIEW: "Proposal review",
}


class MessageExtension:
    """The invoke handlers; registered by `bot.teams.agent.build_agent`."""

    def __init__(self, coach: TeamsCoach) -> None:
        self._coach = coach

    async def on_action(self, context: TurnContext, _state: TurnState) -> None:
        """Answer a fetchTask or submitAction invoke with the coaching dialog, or one line."""
        try:
            body = await self._answer(context.activity)
        except CoachError as error:
            body = build_message_response(friendly(error))
        except Exception:
            log.exception("A Teams message extension invoke failed")
            body = build_message_response(SORRY)
        await context.send_activity(
            Activity(
                type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body)
            )
        )

    async def _answer(self, activity: Activity) -> dict[str, Any]:
        command, work, text = to_request(activity.value)
        self._coach.service.validate(text)
        order = TeamsOrder.of(work, activity, text)
        # A retried invoke (same id) gets the answer stored for the first one.
        coaching = asyncio.ensure_future(prepare(self._coach, order, resend=True))
        budget = min(self._coach.reply_budget_seconds, EXTENSION_BUDGET_SECONDS)
        done, _ = await asyncio.wait({coaching}, timeout=budget)
        if coaching not in done:
            task = asyncio.create_task(self._send_later(coaching, activity))
            self._coach.pending.add(task)
            task.add_done_callback(self._coach.pending.discard)
            return build_message_response(LATER_TEXT)
        card = coaching.result()
        # With `resend`, `prepare` returns the card even for an invoke answered before.
        if card is None:
            return build_message_response(SORRY)
        return build_dialog_response(DIALOG_TITLES[command], card)

    async def _send_later(self, coaching: asyncio.Future[Card | None], activity: Activity) -> None:
        """The card, or the friendly line of a refusal, into the rep's personal chat."""
        try:
            content = await _card_or_refusal(coaching)
            if content is None:
                return
            outcome = await send_proactive(
                self._coach.outbound,
                user_ref(activity),
                content,
                ai_generated=not isinstance(content, str),
            )
        except Exception:
            log.exception("Could not deliver a slow message extension answer")
            return
        if outcome is not Delivery.SENT:
            log.warning("A slow message extension answer was not delivered: %s", outcome.value)


async def _card_or_refusal(coaching: asyncio.Future[Card | None]) -> Card | str | None:
    try:
        return await coaching
    except CoachError as error:
        return friendly(error)


def to_request(value: object) -> tuple[ExtensionCommand, TeamsWork, str]:
    """The command, the kind of coaching and the text of an invoke's `value`.

    `CoachingError` (one friendly line) for an unknown command or one without text.
    """
    try:
        action = MessagingExtensionAction.model_validate(value)
        command = ExtensionCommand(action.command_id)
    except (ValidationError, ValueError):
        raise CoachingError("input.bad_action", UNKNOWN_COMMAND) from None
    if command is ExtensionCommand.PROPOSAL_REVIEW:
        data = action.data if isinstance(action.data, dict) else {}
        pasted = data.get(PROPOSAL_PARAMETER)
        text = pasted.strip() if isinstance(pasted, str) else ""
        if not text:
            raise CoachingError("input.empty", NO_PROPOSAL_TEXT)
        return command, TeamsWork.REVIEW_TEXT, text
    payload = action.message_payload
    body = payload.body if payload is not None else None
    content = body.content if body is not None and body.content else ""
    text = html_to_text(content) if body is not None and body.content_type == "html" else content
    if not text.strip():
        raise CoachingError("input.empty", NO_DRAFT_TEXT)
    return command, TeamsWork.CHAT, text.strip()


def html_to_text(html: str) -> str:
    """The words of a Teams message body (`contentType: html`), one line per paragraph."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


class _TextOf(HTMLParser):
    _BREAKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def build_dialog_response(title: str, card: Card) -> dict[str, Any]:
    """The invoke body that opens a dialog showing `card`. Plain JSON: the SDK's
    `MessagingExtensionActionResponse` refuses its own task response models."""
    attachment = CardFactory.adaptive_card(build_dialog_card(card))
    value = {
        "title": title,
        "height": "large",
        "width": "large",
        "card": attachment.model_dump(mode="json", by_alias=True, exclude_none=True),
    }
    return {"task": {"type": "continue", "value": value}}


def build_message_response(text: str) -> dict[str, Any]:
    """The invoke body that shows the rep one line instead of a dialog."""
    return {"task": {"type": "message", "value": text}}


def build_dialog_card(card: Card) -> Card:
    """The card as a dialog can show it: without the commitment buttons (`Action.Execute`,
    which dialogs do not run), and with a pointer to the chat where they work."""
    kept: Card = _without_buttons(card)
    if kept == card:
        return card
    return {
        **kept,
        "body": [*kept.get("body", []), build_text_block(COMMITMENTS_HINT, subtle=True)],
    }


def _without_buttons(node: Any) -> Any:
    if isinstance(node, list):
        return [_without_buttons(item) for item in node if not _is_button_row(item)]
    if isinstance(node, dict):
        return {key: _without_buttons(value) for key, value in node.items()}
    return node


def _is_button_row(node: Any) -> bool:
    if not isinstance(node, dict) or node.get("type") != "ActionSet":
        return False
    return all(action.get("type") == "Action.Execute" for action in node.get("actions", []))
