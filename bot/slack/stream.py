"""Live progress in a DM thread: Slack's streamed message shows each step, then the answer.

The answer is checked before a rep sees it, so nothing the model writes is streamed. The
stream is opened with `chat.startStream` as the turn's status (a task list in "timeline"
mode, "Reading your message" running); each step the coach reports becomes a task
(`chat.appendStream`, the one before marked complete); `chat.stopStream` closes the list and
puts the answer's own blocks, with its buttons, under it. Steps reported while a call is
under way go out together in the next one, so a fast turn costs few calls and shows every
step in order.
https://docs.slack.dev/reference/methods/chat.startStream

Slack streams only into threads, so a top-level DM keeps its placeholder. `StreamingReply`
wraps the reply a DM thread would have had: a workspace that refuses the methods (a free
plan: `missing_scope`, `not_allowed_token_type`, `feature_not_enabled`, or
`unknown_method`) gets that reply's status instead, and the refusal is reported so the
workspace is not asked again soon. The stream's ts travels in the `ChannelTarget`, so a
worker can finish it (`open_reply`). A stream that cannot be stopped (it expired while a
worker was busy, or an earlier attempt stopped it) is replaced like a placeholder, with
chat.update.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import ClientSession
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import SlackMessage
from bot.slack.delivery import (
    ASSISTANT_REFUSALS,
    DELIVERY_ERRORS,
    ChannelReply,
    ChannelTarget,
    PrivateTarget,
    ResponseUrlReply,
)
from bot.slack.delivery import open_reply as open_plain_reply
from coaching.progress import NO_PROGRESS, Progress, Step, label

log = logging.getLogger(__name__)

STREAM_REFUSALS = ASSISTANT_REFUSALS | {"unknown_method"}
# The step the stream opens with, running while the turn waits for the coach.
OPENING_STEP = Step.READING
TaskChunk = dict[str, Any]


def task_chunk(step: Step, status: str) -> TaskChunk:
    """One task of the timeline; a later chunk with the same id updates it."""
    return {"type": "task_update", "id": step.value, "title": label(step), "status": status}


async def open_stream(
    client: AsyncWebClient, channel: str, thread_ts: str, refused: Callable[[], None] | None
) -> str | None:
    """The ts of a new stream in the thread, showing the opening step; None when Slack
    would not start one (and `refused` is called when that says something about the
    workspace rather than the moment)."""
    try:
        response = await client.chat_startStream(
            channel=channel,
            thread_ts=thread_ts,
            task_display_mode="timeline",
            chunks=[task_chunk(OPENING_STEP, "in_progress")],
        )
    except DELIVERY_ERRORS as error:
        log.info("No streamed progress in %s; using the status instead", channel)
        refusal = isinstance(error, SlackApiError) and error.response.get("error")
        if refusal in STREAM_REFUSALS and refused is not None:
            refused()
        return None
    ts = response.get("ts")
    return str(ts) if ts else None


def open_reply(
    target: ChannelTarget | PrivateTarget, client: AsyncWebClient, session: ClientSession
) -> StreamReply | ChannelReply | ResponseUrlReply:
    """The destination for a target: the open stream it names, else its plain reply."""
    if isinstance(target, ChannelTarget) and target.stream and target.thread_ts:
        return StreamReply(client, target.channel, target.thread_ts, target.stream)
    return open_plain_reply(target, client, session)


class StreamingReply:
    """A DM thread's reply that tries a stream for its status, else is `fallback`."""

    def __init__(
        self,
        fallback: ChannelReply,
        client: AsyncWebClient,
        *,
        refused: Callable[[], None] | None = None,
    ) -> None:
        self._fallback = fallback
        self._client = client
        self._refused = refused
        self._ts: str | None = None

    @property
    def target(self) -> ChannelTarget:
        plain = self._fallback.target
        return plain if self._ts is None else plain.model_copy(update={"stream": self._ts})

    @property
    def progress(self) -> Progress:
        return NO_PROGRESS

    async def show_thinking(self, text: str) -> None:
        plain = self._fallback.target
        if plain.thread_ts is not None:
            self._ts = await open_stream(
                self._client, plain.channel, plain.thread_ts, self._refused
            )
        if self._ts is None:
            await self._fallback.show_thinking(text)
        else:
            await self._fallback.name_thread()

    async def send(self, messages: Sequence[SlackMessage]) -> None:
        await self._opened().send(messages)

    async def withdraw(self) -> None:
        await self._opened().withdraw()

    def _opened(self) -> StreamReply | ChannelReply:
        plain = self._fallback.target
        if self._ts is None or plain.thread_ts is None:
            return self._fallback
        return StreamReply(self._client, plain.channel, plain.thread_ts, self._ts)


class StreamReply:
    """A reply that finishes an open stream: steps as tasks, then the answer under them.

    It is a `Destination` (what the turn sends) and a `Progress` (what the coach reports);
    a step that cannot be appended is dropped, never the answer.
    """

    def __init__(self, client: AsyncWebClient, channel: str, thread_ts: str, ts: str) -> None:
        self._client = client
        self._channel = channel
        self._thread_ts = thread_ts
        self._ts = ts
        self._current = OPENING_STEP
        self._shown = {OPENING_STEP}
        self._pending: list[Step] = []
        self._sending: asyncio.Task[None] | None = None
        self._appending = True

    @property
    def target(self) -> ChannelTarget:
        return ChannelTarget(channel=self._channel, thread_ts=self._thread_ts, stream=self._ts)

    @property
    def progress(self) -> Progress:
        return self

    def step(self, step: Step) -> None:
        """Show `step` as soon as no other append is on its way (never blocks the coach)."""
        if step in self._shown or not self._appending:
            return
        self._shown.add(step)
        self._pending.append(step)
        if self._sending is None or self._sending.done():
            self._sending = asyncio.ensure_future(self._flush())

    async def show_thinking(self, text: str) -> None:
        """The stream is the status: it was opened with the turn."""

    async def send(self, messages: Sequence[SlackMessage]) -> None:
        """Close the task list with the first message under it; the rest follow in the thread."""
        await self._settle()
        if not messages:
            return
        first, *rest = messages
        try:
            await self._stop(first)
            for message in rest:
                await self._client.chat_postMessage(
                    channel=self._channel, thread_ts=self._thread_ts, **message
                )
        except DELIVERY_ERRORS:
            log.exception("Could not deliver a reply in %s", self._channel)

    async def withdraw(self) -> None:
        """Remove the stream: another delivery of this event has already answered."""
        await self._settle()
        try:
            await self._client.chat_stopStream(channel=self._channel, ts=self._ts)
        except DELIVERY_ERRORS:
            log.info("Could not stop a stream in %s before removing it", self._channel)
        try:
            await self._client.chat_delete(channel=self._channel, ts=self._ts)
        except DELIVERY_ERRORS:
            log.warning("Could not remove a stream in %s", self._channel, exc_info=True)

    async def _settle(self) -> None:
        """No more steps: wait for the append on its way, so the answer comes last."""
        self._appending = False
        if self._sending is not None:
            await self._sending

    async def _flush(self) -> None:
        while self._pending and self._appending:
            batch, self._pending = self._pending, []
            chunks = [task_chunk(self._current, "complete")]
            chunks += [task_chunk(step, "complete") for step in batch[:-1]]
            chunks.append(task_chunk(batch[-1], "in_progress"))
            self._current = batch[-1]
            try:
                await self._client.chat_appendStream(
                    channel=self._channel, ts=self._ts, chunks=chunks
                )
            except DELIVERY_ERRORS:
                log.info("Could not show a step in %s; the answer still follows", self._channel)
                self._appending = False

    async def _stop(self, message: SlackMessage) -> None:
        """The answer under the finished task list; over the stream, like a placeholder,
        when the stream can no longer be stopped."""
        try:
            await self._client.chat_stopStream(
                channel=self._channel,
                ts=self._ts,
                chunks=[task_chunk(self._current, "complete")],
                blocks=message["blocks"],
            )
        except DELIVERY_ERRORS:
            log.info("Could not stop a stream in %s; replacing it instead", self._channel)
            await self._client.chat_update(channel=self._channel, ts=self._ts, **message)
