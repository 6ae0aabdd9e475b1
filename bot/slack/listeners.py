"""Bolt listeners: acknowledge, translate, hand over. Nothing slow runs before the ack.

Every subscribed event gets a listener, even the ones the coach ignores: Bolt answers an
unhandled request with 404 and Slack would re-deliver it
(https://api.slack.com/apis/events-api#retries).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from aiohttp import ClientSession
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.assistant import (
    AssistantDesk,
    Prompt,
    in_assistant_thread,
    picked_prompt,
)
from bot.slack.blocks import (
    FEEDBACK_ACTION_ID,
    FEEDBACK_MODAL_ID,
    STATUS_EMOJI,
    TRUST_MODAL_ID,
    WHY_ACTION_ID,
    SlackMessage,
    build_mention_prompt,
    build_notice,
)
from bot.slack.commitments import CommitmentDesk
from bot.slack.delivery import ChannelReply, ResponseUrlReply
from bot.slack.feedback import FeedbackDesk
from bot.slack.oauth import listen_for_revocations
from bot.slack.privacy import FORGET_BUTTONS, FORGET_COMMAND, FORGET_WORDS, PrivacyDesk
from bot.slack.stream import StreamingReply
from bot.slack.translate import (
    button_press,
    command_turn,
    message_turn,
    shortcut_turn,
    tenant_of,
    trust_answers,
)
from bot.slack.trust import TrustDesk
from bot.slack.turns import THINKING, Delivery, SlackCoach, Workspace
from bot.slack.why import WhyDesk
from bot.work import BackgroundWork
from coaching.calls.parse import is_transcript
from coaching.ports import UserRef
from coaching.types import MessageKind, Platform

log = logging.getLogger(__name__)

Payload = Mapping[str, Any]
SHORTCUT_CALLBACK_ID = "coach_this_draft"
# Alone it opens the self-assessment; with a draft after it, the draft is coached.
TRUST_COMMAND = "/trust-check"
BUTTONS = re.compile(r"^commitment_(accept|dismiss|done|snooze|cancel)$")
# Message subtypes worth coaching: a plain message, or one carrying a shared file
# (https://api.slack.com/events/message#subtypes); edits, deletions and bots are not.
COACHED_SUBTYPES = (None, "file_share")

COMMAND_HELP = {
    "/coach": "Tell me about a deal or paste a draft, e.g. `/coach I sent Acme the proposal "
    "and will wait for their decision`.",
    "/proposal-review": "Paste your proposal or outline after the command, or share a .txt, "
    ".md, .pdf, .docx or .pptx file with me in a direct message.",
    "/call-review": "Paste a call transcript (lines like `Dana: ...`) after the command, or "
    "share the .vtt or .srt transcript with me in a direct message.",
}
COMMAND_KIND = {
    "/coach": MessageKind.CHAT,
    "/trust-check": MessageKind.CHAT,
    "/proposal-review": MessageKind.REVIEW,
    "/call-review": MessageKind.CALL,
}
# The commands that coach, as the one pattern their shared listener matches.
COACHING_COMMANDS = re.compile("^(?:" + "|".join(re.escape(c) for c in COMMAND_KIND) + ")$")
EMPTY_DRAFT = "That message has no text I can coach. Pick a message with a draft in it."


class Listeners:
    """The listener functions Bolt calls; Bolt injects arguments by parameter name."""

    def __init__(
        self,
        coach: SlackCoach,
        desk: CommitmentDesk,
        *,
        trust: TrustDesk,
        why: WhyDesk,
        feedback: FeedbackDesk,
        assistant: AssistantDesk,
        work: BackgroundWork,
        session: ClientSession,
    ) -> None:
        self._coach = coach
        self._desk = desk
        self._trust = trust
        self._why = why
        self._feedback = feedback
        self._assistant = assistant
        self._work = work
        self._session = session

    async def on_message(
        self, event: Payload, body: Payload, context: AsyncBoltContext, request: AsyncBoltRequest
    ) -> None:
        """Direct messages (the Messages tab, and the assistant view's threads): answered
        in the DM, or in its thread; a suggested prompt sent as it is gets its guide."""
        wanted = event.get("subtype") in COACHED_SUBTYPES and event.get("channel_type") == "im"
        if not (wanted and event.get("user") and not event.get("bot_id")):
            return
        prompt = picked_prompt(str(event.get("text") or "")) if in_assistant_thread(event) else None
        if prompt is None:
            self._converse(event, body, context, request)
        elif not request.headers.get("x-slack-retry-num"):
            self._work.spawn(self._answer_prompt(prompt, event, context))

    async def _answer_prompt(
        self, prompt: Prompt, event: Payload, context: AsyncBoltContext
    ) -> None:
        await self._assistant.name_thread(context.client, event, prompt)
        if prompt is Prompt.PROMISES:
            reply = ChannelReply(context.client, str(event["channel"]), str(event["thread_ts"]))
            await self._desk.show(context.client, _who(context, str(event["user"])), reply)
        else:
            await self._assistant.guide(context.client, event, prompt)

    async def on_assistant_thread_started(self, event: Payload, context: AsyncBoltContext) -> None:
        """The rep opened the coach in the assistant view: greeting and suggested prompts,
        chosen by the stored role after the ack."""
        who = _who(context, str(event["assistant_thread"]["user_id"]))
        self._work.spawn(self._assistant.started(context.client, event, who))

    async def on_assistant_context_changed(self, event: Payload) -> None:
        """The rep moved to another channel with the assistant view open. The coach reads
        no channel, so there is nothing to update; acknowledging stops Slack's retries."""
        log.debug("Assistant thread context changed (%s)", event.get("type"))

    async def on_mention(
        self, event: Payload, body: Payload, context: AsyncBoltContext, request: AsyncBoltRequest
    ) -> None:
        """@coach in a channel: always answered in the message's thread."""
        # A mention inside a DM (ids starting with D, https://api.slack.com/types/im) also
        # arrives as message.im, which answers it.
        if str(event.get("channel", "")).startswith("D") or event.get("bot_id"):
            return
        self._converse(event, body, context, request)

    def _converse(
        self, event: Payload, body: Payload, context: AsyncBoltContext, request: AsyncBoltRequest
    ) -> None:
        turn = message_turn(
            event,
            tenant=_tenant(context),
            event_id=str(body["event_id"]),
            bot_user_id=context.bot_user_id,
        )
        in_thread = event.get("thread_ts") or (
            None if event.get("channel_type") == "im" else event["ts"]
        )
        client = context.client
        assistant = in_assistant_thread(event) and self._assistant.view.offered(turn.tenant)
        retry = bool(request.headers.get("x-slack-retry-num"))
        # A retry shows no status, so it sets no title either (the first delivery did).
        titled = assistant and turn.text and not retry
        channel = str(event["channel"])
        plain = ChannelReply(
            client,
            channel,
            in_thread,
            assistant=assistant,
            title=self._assistant.first_title(channel, str(in_thread), turn.text)
            if titled
            else None,
            refused=self._assistant.view.refuser(turn.tenant) if assistant else None,
        )
        reply = self._streaming(plain, event, client, turn.tenant)
        shared = [f for f in event.get("files") or () if f.get("id")]
        files = tuple(str(f["id"]) for f in shared)
        if any(is_transcript(str(f.get("name") or "")) for f in shared):
            turn = replace(turn, kind=MessageKind.CALL)
        if turn.text or files:
            delivery = Delivery(
                client, reply, workspace=_workspace(context), retry=retry, file_ids=files
            )
            self._coach.start(turn, delivery)
        elif not retry:
            self._work.spawn(reply.send([build_mention_prompt()]))

    def _streaming(
        self, reply: ChannelReply, event: Payload, client: AsyncWebClient, tenant: str
    ) -> ChannelReply | StreamingReply:
        """A DM thread's reply streams its progress, unless the workspace refused lately
        (a channel's, and a top-level DM's, keep the placeholder: Slack streams in threads)."""
        threaded = event.get("channel_type") == "im" and event.get("thread_ts") is not None
        if not (threaded and self._assistant.streaming.offered(tenant)):
            return reply
        refused = self._assistant.streaming.refuser(tenant)
        return StreamingReply(reply, client, refused=refused)

    async def on_command(self, ack: AsyncAck, command: Payload, context: AsyncBoltContext) -> None:
        """/coach, /trust-check and /proposal-review: acked with a status, answered privately."""
        name = str(command["command"])
        turn = command_turn(command, tenant=_tenant(context), kind=COMMAND_KIND[name])
        if not turn.text and name == TRUST_COMMAND:
            await ack()
            trigger = str(command["trigger_id"])
            self._work.spawn(self._trust.open(context.client, trigger, turn.user))
            return
        if not turn.text:
            await _ack(ack, build_notice(COMMAND_HELP[name]))
            return
        # Plain text, not blocks: this status is on every command's critical path.
        await ack(text=f"{STATUS_EMOJI} {THINKING[turn.kind]}")
        reply = self._private(command, context, turn.user, status_in_ack=True)
        self._coach.start(turn, Delivery(context.client, reply, workspace=_workspace(context)))

    async def on_commitments(
        self, ack: AsyncAck, command: Payload, context: AsyncBoltContext
    ) -> None:
        await ack()
        who = _who(context, str(command["user_id"]))
        reply = self._private(command, context, who.user)
        self._work.spawn(self._desk.show(context.client, who, reply))

    async def on_shortcut(
        self, ack: AsyncAck, shortcut: Payload, context: AsyncBoltContext
    ) -> None:
        """The "Coach this draft" message shortcut, answered privately where it was used."""
        await ack()
        turn = shortcut_turn(shortcut, tenant=_tenant(context))
        reply = self._private(shortcut, context, turn.user)
        if turn.text:
            self._coach.start(turn, Delivery(context.client, reply, workspace=_workspace(context)))
        else:
            self._work.spawn(reply.send([build_notice(EMPTY_DRAFT)]))

    async def on_trust_submission(
        self, ack: AsyncAck, body: Payload, view: Payload, context: AsyncBoltContext
    ) -> None:
        """The modal's Submit: errors go back in the ack, so Slack keeps the modal open."""
        submitted = trust_answers(view)
        if submitted.errors:
            await ack(response_action="errors", errors=submitted.errors)
            return
        await ack()
        who = _who(context, str(body["user"]["id"]))
        self._work.spawn(self._trust.submit(context.client, who, submitted.answers))

    async def on_button(self, ack: AsyncAck, body: Payload, context: AsyncBoltContext) -> None:
        await ack()
        who = _who(context, str(body["user"]["id"]))
        self._work.spawn(self._desk.press(context.client, who, button_press(body)))

    async def on_why(self, ack: AsyncAck, body: Payload, context: AsyncBoltContext) -> None:
        """The "Why?" button: the trigger is valid for three seconds, so the modal opens
        right after the ack, from the stored result."""
        await ack()
        who = _who(context, str(body["user"]["id"]))
        key = str(body["actions"][0]["value"])
        self._work.spawn(self._why.open(context.client, who, key, str(body["trigger_id"])))

    async def on_feedback(self, ack: AsyncAck, body: Payload, context: AsyncBoltContext) -> None:
        """A thumb under an answer: stored after the ack, for the presser's own answer only."""
        await ack()
        who = _who(context, str(body["user"]["id"]))
        self._work.spawn(self._feedback.press(context.client, who, body))

    async def on_feedback_comment(
        self, ack: AsyncAck, body: Payload, view: Payload, context: AsyncBoltContext
    ) -> None:
        await ack()
        who = _who(context, str(body["user"]["id"]))
        self._work.spawn(self._feedback.comment(context.client, who, view))

    async def on_home_opened(self, event: Payload, context: AsyncBoltContext) -> None:
        if event.get("tab") == "home":
            who = _who(context, str(event["user"]))
            self._work.spawn(self._desk.publish_home(context.client, who))

    def _private(
        self, payload: Payload, context: AsyncBoltContext, user: str, *, status_in_ack: bool = False
    ) -> ResponseUrlReply:
        return ResponseUrlReply(
            str(payload["response_url"]),
            session=self._session,
            client=context.client,
            user=user,
            status_in_ack=status_in_ack,
        )

    async def on_revoked(self, event: Payload) -> None:
        """Single-workspace mode keeps no installation rows; the token is the admin's."""
        log.warning("Slack reported %s; remove SLACK_BOT_TOKEN if the app is gone.", event["type"])


def register_listeners(
    app: AsyncApp, listeners: Listeners, privacy: PrivacyDesk, *, oauth: bool
) -> None:
    """Bolt tries listeners in registration order, and only the first matching one runs:
    "forget me" in a DM never reaches the coach.

    Trying a listener costs Bolt about as much as building every argument a listener could
    take, so the most frequent requests come first and each kind of request has as few
    listeners as it can: a burst of DMs (events) is not matched against a dozen command,
    button and modal listeners first, and the coaching commands share one listener.
    """
    app.message(FORGET_WORDS)(privacy.on_message)
    app.event("message")(listeners.on_message)
    app.event("app_mention")(listeners.on_mention)
    app.command(COACHING_COMMANDS)(listeners.on_command)
    app.command("/commitments")(listeners.on_commitments)
    app.command(FORGET_COMMAND)(privacy.on_command)
    app.message_shortcut(SHORTCUT_CALLBACK_ID)(listeners.on_shortcut)
    app.view_submission(TRUST_MODAL_ID)(listeners.on_trust_submission)
    app.action(BUTTONS)(listeners.on_button)
    app.action(WHY_ACTION_ID)(listeners.on_why)
    app.action(FEEDBACK_ACTION_ID)(listeners.on_feedback)
    app.view_submission(FEEDBACK_MODAL_ID)(listeners.on_feedback_comment)
    app.action(FORGET_BUTTONS)(privacy.on_button)
    app.event("app_home_opened")(listeners.on_home_opened)
    app.event("assistant_thread_started")(listeners.on_assistant_thread_started)
    app.event("assistant_thread_context_changed")(listeners.on_assistant_context_changed)
    app.error(on_error)
    installations = app.installation_store if oauth else None
    if installations is not None:
        listen_for_revocations(app, installations)
    else:
        app.event("app_uninstalled")(listeners.on_revoked)
        app.event("tokens_revoked")(listeners.on_revoked)


async def on_error(error: Exception) -> BoltResponse:
    """A signed request a listener could not handle (a payload missing a field Slack always
    sends): acknowledged with an empty 200, since Slack re-delivers anything else and the
    same payload would fail again. Listeners do no I/O before the ack, so nothing transient
    is lost this way. Bolt's own handler would log the exception's text."""
    log.warning("Acknowledged a Slack request that could not be handled", exc_info=error)
    return BoltResponse(status=200, body="")


async def _ack(ack: AsyncAck, message: SlackMessage) -> None:
    await ack(text=message["text"], blocks=message["blocks"])


def _tenant(context: AsyncBoltContext) -> str:
    return tenant_of(context.enterprise_id, context.team_id)


def _workspace(context: AsyncBoltContext) -> Workspace:
    return Workspace(
        enterprise_id=context.enterprise_id,
        team_id=context.team_id,
        is_enterprise_install=bool(context.is_enterprise_install),
    )


def _who(context: AsyncBoltContext, user: str) -> UserRef:
    return UserRef(platform=Platform.SLACK, tenant=_tenant(context), user=user)
