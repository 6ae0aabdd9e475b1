"""The coach in Slack's assistant view (the split view and the top-bar entry point).

Slack opens a thread per conversation with the app and sends `assistant_thread_started`:
the coach greets the rep there and offers suggested prompts. The rep's messages in that
thread arrive as ordinary `message.im` events with a `thread_ts`; they are coached like any
DM, answered in the thread, with the thread's own status (`assistant.threads.setStatus`)
while the turn runs and the rep's words as its title (`bot.slack.delivery.ChannelReply`).
A suggested prompt sent as it is gets a short guide (or the open commitments) instead of
coaching, since the prompt itself is not something the rep wrote about a deal.

Workspaces without the assistant view (free plans) never send these events, and refuse
setStatus, so their DMs keep the placeholder message: nothing depends on these events.
https://docs.slack.dev/ai/developing-ai-apps
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import build_notice
from bot.slack.delivery import DELIVERY_ERRORS

log = logging.getLogger(__name__)

Payload = Mapping[str, Any]
MAX_TITLE_CHARS = 60
GREETING = (
    "Hi! I'm your sales coach. Tell me about a deal, paste a draft email or a call plan, "
    "or share a proposal, and I'll check it against our playbooks."
)
PROMPTS_TITLE = "Start with one of these"
FIRST_TITLE = "Sales coaching"


class Prompt(StrEnum):
    """The suggested prompts; the value is the message Slack sends when one is picked."""

    REVIEW = "Review my proposal"
    DRAFT = "Coach this draft"
    PROMISES = "What did I promise this week?"


GUIDES = {
    Prompt.REVIEW: "Share the proposal in this thread (.txt, .md, .pdf, .docx or .pptx), or paste "
    "its text or outline, and I'll review it as a post-proposal presentation would.",
    Prompt.DRAFT: "Paste the draft email or call plan in this thread and I'll coach it: "
    "what it asks the customer to do, and what to change before you send it.",
}


def in_assistant_thread(event: Payload) -> bool:
    """A rep's message in a DM thread, which is what the assistant view's threads are
    (Bolt's own test); in a workspace without the view, setStatus says otherwise."""
    return (
        event.get("channel_type") == "im"
        and event.get("thread_ts") is not None
        and not event.get("bot_id")
    )


def picked_prompt(text: str) -> Prompt | None:
    """The suggested prompt a message is, sent unchanged; None for anything else."""
    cleaned = " ".join(text.split())
    return next((prompt for prompt in Prompt if prompt.value == cleaned), None)


def thread_title(text: str) -> str:
    """The thread's title: the rep's first line, shortened at a word."""
    first = " ".join((text.strip().splitlines() or [""])[0].split())
    if len(first) <= MAX_TITLE_CHARS:
        return first or FIRST_TITLE
    return first[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "\u2026"


def suggested_prompts() -> list[dict[str, str]]:
    return [{"title": prompt.value, "message": prompt.value} for prompt in Prompt]


class AssistantDesk:
    async def started(self, client: AsyncWebClient, event: Payload) -> None:
        """A new assistant thread: the greeting, a first title and the suggested prompts."""
        thread = event["assistant_thread"]
        channel, thread_ts = str(thread["channel_id"]), str(thread["thread_ts"])
        try:
            await client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, **build_notice(GREETING)
            )
            await client.assistant_threads_setTitle(
                channel_id=channel, thread_ts=thread_ts, title=FIRST_TITLE
            )
            await client.assistant_threads_setSuggestedPrompts(
                channel_id=channel,
                thread_ts=thread_ts,
                title=PROMPTS_TITLE,
                prompts=suggested_prompts(),
            )
        except DELIVERY_ERRORS:
            log.exception("Could not set up an assistant thread")

    async def guide(self, client: AsyncWebClient, event: Payload, prompt: Prompt) -> None:
        """The answer to a picked prompt that asks for material: what to share next."""
        try:
            await client.chat_postMessage(
                channel=str(event["channel"]),
                thread_ts=str(event["thread_ts"]),
                **build_notice(GUIDES[prompt]),
            )
        except DELIVERY_ERRORS:
            log.exception("Could not answer a suggested prompt")
