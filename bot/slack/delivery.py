"""Where a reply goes: into the conversation, or privately through a `response_url`.

Both show a "thinking" status first and then the answer, so the coaching code does not care
which one it has. Delivery failures are logged, never raised: by then there is nobody to
show a traceback to, and the next message must still work. A `ReplyTarget` is the same
place as plain data, so a reply started in the web process can be finished by a worker:
`open_reply()` turns it back into a destination there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Annotated, Literal, Protocol

from aiohttp import ClientError, ClientSession
from pydantic import BaseModel, ConfigDict, Field
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack.blocks import SlackMessage, build_notice, build_thinking
from coaching.progress import NO_PROGRESS, Progress
from config.settings import Settings

log = logging.getLogger(__name__)

# A response_url takes at most 5 messages within 30 minutes:
# https://api.slack.com/interactivity/handling#message_responses
RESPONSE_URL_BUDGET = 5
OVERFLOW_NOTICE = "This answer is long: the rest is in your direct messages with me."
DELIVERY_ERRORS = (SlackApiError, ClientError, TimeoutError)
# Shown under the thread while a turn in the assistant view runs.
ASSISTANT_STATUS = "is checking your playbooks..."
# What Slack answers assistant.threads.* in a workspace without the assistant view (no
# assistant:write, a token type the feature does not take, or a plan without it); anything
# else (a rate limit, a dropped connection) says nothing about the workspace.
ASSISTANT_REFUSALS = frozenset({"missing_scope", "not_allowed_token_type", "feature_not_enabled"})


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retry a dropped connection once and a 429 twice, after the Retry-After it names
    (https://api.slack.com/apis/rate-limits)."""
    return [AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=2)]


def web_client(settings: Settings, session: ClientSession, token: str | None) -> AsyncWebClient:
    """A Web API client on the shared session, at `SLACK_API_URL`, with our retries."""
    return AsyncWebClient(
        token=token,
        base_url=settings.slack.api_url,
        session=session,
        retry_handlers=retry_handlers(),
    )


def webhook(url: str, session: ClientSession) -> AsyncWebhookClient:
    """A client for one response_url, on the shared session, with the same retries."""
    return AsyncWebhookClient(url, session=session, retry_handlers=retry_handlers())


class ChannelTarget(BaseModel):
    """A conversation (and thread); `placeholder` is the ts of the thinking status."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["channel"] = "channel"
    channel: str
    thread_ts: str | None = None
    placeholder: str | None = None
    # A thread in Slack's assistant view: the status is `assistant.threads.setStatus`.
    assistant: bool = False
    # The ts of the streamed message showing the turn's progress (`bot.slack.stream`).
    stream: str | None = None


class PrivateTarget(BaseModel):
    """A command's or shortcut's response_url, valid for 30 minutes and 5 messages."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["private"] = "private"
    response_url: str
    user: str
    status_in_ack: bool = False
    used: int = 0


ReplyTarget = Annotated[ChannelTarget | PrivateTarget, Field(discriminator="kind")]


class Destination(Protocol):
    @property
    def target(self) -> ChannelTarget | PrivateTarget:
        """Where this reply goes, including its thinking status once shown."""
        ...

    @property
    def progress(self) -> Progress:
        """What the coach reports its steps to while this reply waits."""
        ...

    async def show_thinking(self, text: str) -> None: ...

    async def send(self, messages: Sequence[SlackMessage]) -> None: ...

    async def withdraw(self) -> None: ...


def open_reply(
    target: ChannelTarget | PrivateTarget, client: AsyncWebClient, session: ClientSession
) -> ChannelReply | ResponseUrlReply:
    """The destination for a target, speaking through `client` (and `session`)."""
    if isinstance(target, ChannelTarget):
        return ChannelReply(
            client,
            target.channel,
            target.thread_ts,
            placeholder=target.placeholder,
            assistant=target.assistant,
        )
    return ResponseUrlReply(
        target.response_url,
        session=session,
        client=client,
        user=target.user,
        status_in_ack=target.status_in_ack,
        used=target.used,
    )


class ChannelReply:
    """A reply in a conversation: a placeholder, replaced by the first message of the
    answer (chat.update); further messages follow in the same thread. Given the
    placeholder of an earlier attempt, the answer replaces that one: sent twice, it
    still shows once.

    In an assistant thread (`assistant`) the status is the thread's own (setStatus, with
    `title` as the thread's title) and the answer a new message, which clears it; a
    workspace without the assistant view refuses setStatus, gets the placeholder, and
    `refused` is called so the next turn there need not ask again."""

    def __init__(
        self,
        client: AsyncWebClient,
        channel: str,
        thread_ts: str | None,
        *,
        placeholder: str | None = None,
        assistant: bool = False,
        title: str | None = None,
        refused: Callable[[], None] | None = None,
    ) -> None:
        self._client = client
        self._channel = channel
        self._thread_ts = thread_ts
        self._placeholder = placeholder
        self._assistant = assistant and thread_ts is not None
        self._title = title
        self._refused = refused

    @property
    def target(self) -> ChannelTarget:
        return ChannelTarget(
            channel=self._channel,
            thread_ts=self._thread_ts,
            placeholder=self._placeholder,
            assistant=self._assistant,
        )

    @property
    def progress(self) -> Progress:
        return NO_PROGRESS

    async def show_thinking(self, text: str) -> None:
        if self._assistant and await self._assistant_status(ASSISTANT_STATUS):
            await self.name_thread()
            return
        try:
            posted = await self._post(build_thinking(text))
        except DELIVERY_ERRORS:
            log.warning("Could not post the thinking status in %s", self._channel, exc_info=True)
            return
        self._placeholder = str(posted["ts"])

    async def name_thread(self) -> None:
        """An assistant thread's title from its first message, when there is one to set."""
        if self._assistant and self._title:
            await self._assistant_title(self._title)

    async def send(self, messages: Sequence[SlackMessage]) -> None:
        try:
            for index, message in enumerate(messages):
                if index == 0 and self._placeholder is not None:
                    await self._client.chat_update(
                        channel=self._channel, ts=self._placeholder, **message
                    )
                else:
                    await self._post(message)
        except DELIVERY_ERRORS:
            log.exception("Could not deliver a reply in %s", self._channel)

    async def withdraw(self) -> None:
        """Remove the placeholder: another delivery of this event has already answered."""
        if self._placeholder is None:
            if self._assistant:
                await self._assistant_status("")
            return
        try:
            await self._client.chat_delete(channel=self._channel, ts=self._placeholder)
        except DELIVERY_ERRORS:
            log.warning("Could not remove a placeholder in %s", self._channel, exc_info=True)

    async def _post(self, message: SlackMessage) -> dict[str, object]:
        response = await self._client.chat_postMessage(
            channel=self._channel, thread_ts=self._thread_ts, **message
        )
        return dict(response.data) if isinstance(response.data, dict) else {}

    async def _assistant_status(self, status: str) -> bool:
        """Whether Slack took the status; False also marks this thread as a plain one."""
        try:
            await self._client.assistant_threads_setStatus(
                channel_id=self._channel, thread_ts=str(self._thread_ts), status=status
            )
        except DELIVERY_ERRORS as error:
            log.info("No assistant status in %s; using a placeholder message", self._channel)
            self._assistant = False
            refusal = isinstance(error, SlackApiError) and error.response.get("error")
            if refusal in ASSISTANT_REFUSALS and self._refused is not None:
                self._refused()
            return False
        return True

    async def _assistant_title(self, title: str) -> None:
        try:
            await self._client.assistant_threads_setTitle(
                channel_id=self._channel, thread_ts=str(self._thread_ts), title=title
            )
        except DELIVERY_ERRORS:
            log.info("Could not set an assistant thread's title in %s", self._channel)


class ResponseUrlReply:
    """A private (ephemeral) reply through a command's or shortcut's response_url; past
    the URL's budget, the rest of a long answer goes to the user's DM with the bot."""

    def __init__(
        self,
        url: str,
        *,
        session: ClientSession,
        client: AsyncWebClient,
        user: str,
        status_in_ack: bool = False,
        used: int = 0,
    ) -> None:
        self._url = url
        self._session = session
        self._client = client
        self._user = user
        self._status_in_ack = status_in_ack
        self._used = used

    @property
    def target(self) -> PrivateTarget:
        return PrivateTarget(
            response_url=self._url,
            user=self._user,
            status_in_ack=self._status_in_ack,
            used=self._used,
        )

    @property
    def progress(self) -> Progress:
        return NO_PROGRESS

    async def show_thinking(self, text: str) -> None:
        """Slash commands carry their status in the ack itself; shortcuts cannot."""
        if not self._status_in_ack:
            await self._respond(build_thinking(text))

    async def send(self, messages: Sequence[SlackMessage]) -> None:
        room = RESPONSE_URL_BUDGET - self._used
        here: list[SlackMessage] = list(messages)
        overflow: list[SlackMessage] = []
        if len(messages) > room:
            here = [*messages[: room - 1], build_notice(OVERFLOW_NOTICE)]
            overflow = list(messages[room - 1 :])
        for message in here:
            await self._respond(message)
        try:
            for message in overflow:
                await self._client.chat_postMessage(channel=self._user, **message)
        except DELIVERY_ERRORS:
            log.exception("Could not deliver the rest of a long reply by DM")

    async def withdraw(self) -> None:
        """Nothing to remove: an ephemeral status fades with the user's session."""

    async def _respond(self, message: SlackMessage) -> None:
        self._used += 1
        try:
            # Built here, after the ack: it is not free (it reads proxy settings).
            response = await webhook(self._url, self._session).send(
                text=message["text"], blocks=message["blocks"], response_type="ephemeral"
            )
        except DELIVERY_ERRORS:
            log.exception("Could not reach a response_url")
            return
        if response.status_code != 200:
            log.warning("A response_url answered %s: %s", response.status_code, response.body)
