"""The coach in Slack's assistant view (the split view and the top-bar entry point).

Slack opens a thread per conversation with the app and sends `assistant_thread_started`:
the coach greets the rep there and offers suggested prompts, a manager's own set for a
stored manager. The rep's messages in that thread arrive as ordinary `message.im` events
with a `thread_ts`; they are coached like any DM, answered in the thread, with the thread's
own status (`assistant.threads.setStatus`) while the turn runs and the first message's
opening words as its title (`bot.slack.delivery.ChannelReply`). A suggested prompt sent as
it is gets a short guide (or the open commitments) instead of coaching, since the prompt
itself is not something the rep wrote about a deal.

Workspaces without the assistant view (free plans) never send these events, and refuse
setStatus (`missing_scope`, `not_allowed_token_type`, `feature_not_enabled`), so their DMs
keep the placeholder message: nothing depends on these events. The desk remembers those
refusals per workspace, and, apart, the workspaces that refused streamed progress
(`bot.slack.stream`).
https://docs.slack.dev/ai/developing-ai-apps
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import build_notice
from bot.slack.delivery import DELIVERY_ERRORS
from bot.slack.refusals import RefusalMemory
from coaching.errors import StoreUnavailable
from coaching.ports import UserRef
from coaching.team.service import TeamService
from coaching.types import Role

log = logging.getLogger(__name__)

Payload = Mapping[str, Any]
MAX_TITLE_CHARS = 60
# A title is a label in the thread list, not a copy of the rep's message: a few words.
MAX_TITLE_WORDS = 6
# Threads whose title this process has set from a first message; the oldest are forgotten.
REMEMBERED_THREADS = 10_000
# Slack markup (<@U123>, <https://...|label>, <!here>) is no title material.
MARKUP = re.compile(r"<[^>]*>")
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
    ONE_ON_ONE = "Prep my 1:1 on a rep's deal"
    REP_DRAFT = "Coach a rep's draft"


# The rep's set is also the manifest's default (`features.assistant_view`).
REP_PROMPTS = (Prompt.REVIEW, Prompt.DRAFT, Prompt.PROMISES)
# A manager coaches through their reps, and has promises of their own to keep.
MANAGER_PROMPTS = (Prompt.ONE_ON_ONE, Prompt.REP_DRAFT, Prompt.PROMISES)

GUIDES = {
    Prompt.REVIEW: "Share the proposal in this thread (.txt, .md, .pdf, .docx or .pptx), or paste "
    "its text or outline, and I'll review it as a post-proposal presentation would.",
    Prompt.DRAFT: "Paste the draft email or call plan in this thread and I'll coach it: "
    "what it asks the customer to do, and what to change before you send it.",
    Prompt.ONE_ON_ONE: "Tell me what your rep said about the deal: where it stands, the "
    "next step, who is involved. I'll check it against our playbooks and suggest what to "
    "ask in your 1:1.",
    Prompt.REP_DRAFT: "Paste your rep's draft email or call plan in this thread and I'll "
    "coach it: what it asks the customer to do, and what to suggest they change.",
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
    """The thread's title: the first words of the rep's first line (Slack markup left
    out), so the thread list shows what it is about without repeating the message."""
    lines = MARKUP.sub(" ", text).strip().splitlines()
    words = (lines[0] if lines else "").split()
    title = " ".join(words[:MAX_TITLE_WORDS])
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0]
    elif len(words) <= MAX_TITLE_WORDS:
        return title or FIRST_TITLE
    return title + "\u2026"


def suggested_prompts(role: Role) -> list[dict[str, str]]:
    """The prompts for a new thread: a manager's set for a manager, else the rep's (an
    admin writes about their own deals, like a rep)."""
    chosen = MANAGER_PROMPTS if role is Role.MANAGER else REP_PROMPTS
    return [{"title": prompt.value, "message": prompt.value} for prompt in chosen]


class AssistantDesk:
    """The assistant view's own calls: the greeting and prompts, the guides, which
    threads already have their title, and which workspaces refused the view (`view`) or
    streamed progress (`streaming`), so a free plan's DMs go straight to the placeholder."""

    def __init__(self, team: TeamService) -> None:
        self._team = team
        self._titled: OrderedDict[tuple[str, str], None] = OrderedDict()
        self.view = RefusalMemory()
        self.streaming = RefusalMemory()

    def first_title(self, channel: str, thread_ts: str, text: str) -> str | None:
        """The title for a thread's first message here; None once the thread has one, so a
        later message does not rename it. Kept per process: a thread another process
        titled may be titled again, which only renames it."""
        key = (channel, thread_ts)
        if key in self._titled:
            return None
        self._titled[key] = None
        if len(self._titled) > REMEMBERED_THREADS:
            self._titled.popitem(last=False)
        return thread_title(text)

    async def started(self, client: AsyncWebClient, event: Payload, who: UserRef) -> None:
        """A new assistant thread: the greeting and a first title, then the suggested
        prompts for `who`'s stored role (a rep's, unless the store names a manager). Each
        call stands alone: a refused title still leaves the rep the prompts."""
        thread = event["assistant_thread"]
        channel, thread_ts = str(thread["channel_id"]), str(thread["thread_ts"])
        try:
            await client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, **build_notice(GREETING)
            )
        except DELIVERY_ERRORS:
            log.exception("Could not greet in an assistant thread")
        try:
            await client.assistant_threads_setTitle(
                channel_id=channel, thread_ts=thread_ts, title=FIRST_TITLE
            )
        except DELIVERY_ERRORS:
            log.info("Could not set an assistant thread's title in %s", channel)
        try:
            role = (await self._team.actor(who, None)).role
        except StoreUnavailable:
            log.warning("No stored role for an assistant thread; offering the rep's prompts")
            role = Role.REP
        try:
            await client.assistant_threads_setSuggestedPrompts(
                channel_id=channel,
                thread_ts=thread_ts,
                title=PROMPTS_TITLE,
                prompts=suggested_prompts(role),
            )
        except DELIVERY_ERRORS:
            log.exception("Could not offer the suggested prompts in an assistant thread")

    async def name_thread(self, client: AsyncWebClient, event: Payload, prompt: Prompt) -> None:
        """A picked prompt opening the thread titles it: the prompt's own words."""
        channel, thread_ts = str(event["channel"]), str(event["thread_ts"])
        title = self.first_title(channel, thread_ts, prompt.value)
        if title is None:
            return
        try:
            await client.assistant_threads_setTitle(
                channel_id=channel, thread_ts=thread_ts, title=title
            )
        except DELIVERY_ERRORS:
            log.info("Could not set an assistant thread's title in %s", channel)

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
