"""One coaching turn after the ack: status, coaching, answer, exactly once.

`SlackCoach.start()` is what every coaching listener calls once it has acknowledged. The
turn shows a "thinking" status, fetches the user's profile and any shared file, asks the
service, and replaces the status with the answer. A proposal (`/proposal-review`, or a file
shared in a DM or thread) goes to `ReviewService.review()`, which adds the outline, the
signals and what improved to the scorecard; everything else to `CoachService.process()`.
The database decides "exactly once": both return `first_time=False` for an event they have
seen, and then the rep gets nothing new. Any failure becomes a short friendly message,
never a traceback; a file that cannot be read is refused before anything is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import ClientSession
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import SlackMessage, build_notice, build_reply_messages, build_review_messages
from bot.slack.delivery import Destination
from bot.slack.files import download, read_text
from bot.slack.profiles import UserDirectory
from bot.slack.translate import SlackTurn, to_incoming
from bot.slack.work import BackgroundWork
from coaching.documents import FileLimits
from coaching.review import ReviewService
from coaching.service import CoachService
from coaching.types import Attachment, CoachingError, IncomingMessage, MessageKind
from storage.db import StoreUnavailable

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side and I couldn't coach that just now. "
    "Please try again in a minute."
)
THINKING = {
    MessageKind.CHAT: "Thinking about it…",
    MessageKind.REVIEW: "Reviewing your proposal…",
}


@dataclass(frozen=True)
class Delivery:
    """The Slack side of one turn: who to call, where to answer, what came with it."""

    client: AsyncWebClient
    reply: Destination
    retry: bool = False
    file_ids: Sequence[str] = ()


def friendly(error: Exception) -> str:
    """What the rep reads when a turn fails: their fix, or an apology without internals."""
    if isinstance(error, CoachingError):
        return error.message
    if isinstance(error, StoreUnavailable):
        return str(error)
    return SORRY


class SlackCoach:
    def __init__(
        self,
        service: CoachService,
        review: ReviewService,
        *,
        limits: FileLimits,
        work: BackgroundWork,
        session: ClientSession,
        users: UserDirectory,
        default_tz: str | None,
    ) -> None:
        self._service = service
        self._review = review
        self._limits = limits
        self._work = work
        self._session = session
        self._users = users
        self._default_tz = default_tz

    def start(self, turn: SlackTurn, delivery: Delivery) -> None:
        """Coach in the background, unless the same request is already running here."""
        if self._work.claim(turn.key):
            self._work.spawn(self._run(turn, delivery))

    async def _run(self, turn: SlackTurn, delivery: Delivery) -> None:
        try:
            await self._coach(turn, delivery)
        finally:
            self._work.release(turn.key)

    async def _coach(self, turn: SlackTurn, delivery: Delivery) -> None:
        reply = delivery.reply
        if not delivery.retry:
            # A retry gets no status: the first delivery may already have answered.
            kind = MessageKind.REVIEW if delivery.file_ids else turn.kind
            await reply.show_thinking(THINKING[kind])
        try:
            message, files = await self._incoming(turn, delivery)
            await self._work.yield_to_acks()
            answer = await self._answer(message, files)
        except Exception as error:
            if not isinstance(error, CoachingError):
                log.exception("A Slack coaching turn failed (%s)", turn.key)
            await reply.send([build_notice(friendly(error))])
            return
        await self._work.yield_to_acks()
        if answer is None:
            await reply.withdraw()
            return
        await reply.send(answer)

    async def _answer(
        self, message: IncomingMessage, files: Sequence[Attachment]
    ) -> list[SlackMessage] | None:
        """The messages to send; None for an event answered before (send nothing)."""
        if message.kind is MessageKind.REVIEW:
            title = ", ".join(f.name for f in files) or None
            outcome = await self._review.review(message, title=title)
            return build_review_messages(outcome) if outcome.first_time else None
        saved = await self._service.process(message)
        return build_reply_messages(saved.result) if saved.first_time else None

    async def _incoming(
        self, turn: SlackTurn, delivery: Delivery
    ) -> tuple[IncomingMessage, tuple[Attachment, ...]]:
        """The neutral message, with the shared files' text; a file that cannot be read
        raises its CoachingError here, before anything is stored."""
        profile = await self._users.lookup(delivery.client, tenant=turn.tenant, user=turn.user)
        files = tuple(
            [
                await download(delivery.client, self._session, file, self._limits)
                for file in delivery.file_ids
            ]
        )
        text = "\n\n".join(read_text(f, self._limits) for f in files) if files else None
        message = to_incoming(
            turn,
            profile,
            default_tz=self._default_tz,
            now=datetime.now(UTC),
            files=files,
            text=text,
        )
        return message, files
