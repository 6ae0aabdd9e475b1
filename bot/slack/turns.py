"""One coaching turn after the ack: status, coaching, answer, exactly once.

`SlackCoach.start()` is what every coaching listener calls once it has acknowledged. The
turn shows a "thinking" status, fetches the user's profile and any shared file, asks the
service, and replaces the status with the answer. A proposal (`/proposal-review`, or a file
shared in a DM or thread) goes to `ReviewService.review()`, which adds the outline, the
signals and what improved to the scorecard; a call (`/call-review` with a pasted
transcript, or a shared .vtt or .srt file) to `CallService.review()`; everything else to
`CoachService.process()`. In a DM thread the status is a streamed message that shows each
step the coach reports (`bot.slack.stream`), then the answer under them.
The database decides "exactly once": both return `first_time=False` for an event they have
seen, and then the rep gets nothing new. Any failure becomes a short friendly message,
never a traceback; a file that cannot be read is refused before anything is stored.

With a job queue the web process only shows the status and submits a `SlackOrder`; a
worker calls `finish()` with a client for that workspace. Without one, or while the
queue is unreachable, `finish()` runs right here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import ClientSession
from pydantic import BaseModel, ConfigDict
from slack_sdk.web.async_client import AsyncWebClient

from bot.handoff import Handoff
from bot.slack.blocks import (
    SlackMessage,
    build_call_messages,
    build_notice,
    build_reply_messages,
    build_review_messages,
)
from bot.slack.delivery import Destination, ReplyTarget
from bot.slack.files import download, read_call, read_text
from bot.slack.profiles import UserDirectory
from bot.slack.stream import open_reply
from bot.slack.translate import SlackTurn, to_incoming
from bot.turns import hand_over, run_turn
from bot.work import BackgroundWork
from coaching.calls.parse import is_transcript, parse_transcript
from coaching.calls.review import CallService
from coaching.calls.transcript import Transcript
from coaching.errors import user_message
from coaching.progress import Progress
from coaching.review.documents import FileLimits
from coaching.review.service import ReviewService
from coaching.service import CoachService
from coaching.types import Attachment, IncomingMessage, MessageKind

SORRY = (
    "Sorry, something went wrong on my side and I couldn't coach that just now. "
    "Please try again in a minute."
)
# The worker function that finishes a turn handed over to the queue (see bot.queue).
SLACK_TURN_JOB = "slack_turn"
THINKING = {
    MessageKind.CHAT: "Thinking about it…",
    MessageKind.REVIEW: "Reviewing your proposal…",
    MessageKind.CALL: "Reviewing your call…",
}
# A transcript pasted after /call-review is read as a plain-text export.
PASTED_CALL = "pasted transcript.txt"


class Workspace(BaseModel):
    """The Slack workspace (or Grid org) a turn came from: a worker finds its bot token."""

    model_config = ConfigDict(frozen=True)

    enterprise_id: str | None = None
    team_id: str | None = None
    is_enterprise_install: bool = False


@dataclass(frozen=True)
class Delivery:
    """The Slack side of one turn: who to call, where to answer, what came with it."""

    client: AsyncWebClient
    reply: Destination
    workspace: Workspace
    retry: bool = False
    file_ids: Sequence[str] = ()


class SlackOrder(BaseModel):
    """One turn as data, once its status shows: all a worker needs to finish it."""

    model_config = ConfigDict(frozen=True)

    turn: SlackTurn
    target: ReplyTarget
    workspace: Workspace = Workspace()
    file_ids: tuple[str, ...] = ()

    @property
    def job_key(self) -> str:
        return f"slack:{self.turn.key}"


def friendly(error: Exception) -> str:
    """What the rep reads when a turn fails: their fix, or an apology without internals."""
    return user_message(error) or SORRY


@dataclass(frozen=True)
class _SlackFace:
    """The end of a Slack turn: the answer, or its notice, replaces the status."""

    reply: Destination
    withdraw: bool

    async def deliver(self, answer: list[SlackMessage]) -> None:
        await self.reply.send(answer)

    async def nothing_new(self) -> None:
        if self.withdraw:
            await self.reply.withdraw()

    async def fail(self, line: str) -> None:
        await self.reply.send([build_notice(line)])


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
        handoff: Handoff | None = None,
        company: str | None = None,
    ) -> None:
        self._service = service
        self._review = review
        self._calls = CallService(service)
        self._company = company
        self._limits = limits
        self._work = work
        self._session = session
        self._users = users
        self._default_tz = default_tz
        self._handoff = handoff

    def start(self, turn: SlackTurn, delivery: Delivery) -> None:
        """Coach in the background, unless the same request is already running here."""
        if self._work.claim(turn.key):
            self._work.spawn(self._run(turn, delivery))

    async def _run(self, turn: SlackTurn, delivery: Delivery) -> None:
        """The status now; the coaching on a worker when the queue takes it, else here."""
        try:
            if not delivery.retry:
                # A retry gets no status: the first delivery may already have answered.
                proposal = delivery.file_ids and turn.kind is not MessageKind.CALL
                kind = MessageKind.REVIEW if proposal else turn.kind
                await delivery.reply.show_thinking(THINKING[kind])
            order = SlackOrder(
                turn=turn,
                target=delivery.reply.target,
                workspace=delivery.workspace,
                file_ids=tuple(delivery.file_ids),
            )
            if self._handoff is not None:
                # Handed over while a burst is still being acknowledged, the turns would
                # have a worker coaching beside the acks (on the same cores), so they wait
                # for the acks as the web process's own coaching does.
                await self._work.yield_to_acks()
            if not await hand_over(self._handoff, SLACK_TURN_JOB, order.job_key, order):
                await self.finish(order, delivery.client, withdraw=self._handoff is None)
        finally:
            self._work.release(turn.key)

    async def finish(
        self,
        order: SlackOrder,
        client: AsyncWebClient,
        *,
        resend: bool = False,
        can_retry: bool = False,
        withdraw: bool = False,
    ) -> None:
        """Coach the order and answer where its target says.

        An event answered before gets nothing new, unless `resend`: a worker retrying a job
        cannot know whether its previous attempt got the answer out, so it sends the stored
        one again (over the same placeholder, so a channel reply still shows once). With
        `can_retry` (a queued job with attempts left) a failure that is not the rep's to fix
        propagates, so the job runs again instead of the rep getting an apology.

        `withdraw` removes the status of an event answered before, and only a web process
        that never offered the turn to a queue may ask for it: the status is then its own.
        Anywhere else another run may already have replaced that very message with the
        answer, and deleting it would take the answer away.
        """
        reply = open_reply(order.target, client, self._session)
        await run_turn(
            self._coached(order, client, reply.progress, resend=resend),
            _SlackFace(reply, withdraw=withdraw),
            apology=SORRY,
            what=f"A Slack coaching turn ({order.turn.key})",
            can_retry=can_retry,
        )

    async def _coached(
        self, order: SlackOrder, client: AsyncWebClient, progress: Progress, *, resend: bool
    ) -> list[SlackMessage] | None:
        """The answer's messages; None for an event answered before, unless `resend`."""
        message, files = await self._incoming(order, client)
        await self._work.yield_to_acks()
        answer, first_time = await self._answer(message, files, progress)
        await self._work.yield_to_acks()
        return answer if first_time or resend else None

    async def _answer(
        self, message: IncomingMessage, files: Sequence[Attachment], progress: Progress
    ) -> tuple[list[SlackMessage], bool]:
        """The messages of the answer, and whether this event is new (else they are the
        answer stored the first time); `progress` hears the steps on the way."""
        if message.kind is MessageKind.CALL:
            call_review = await self._calls.review(
                message, self._transcript(message, files), company=self._company, progress=progress
            )
            answer = build_call_messages(call_review, why=message.idempotency_key)
            return answer, call_review.first_time
        if message.kind is MessageKind.REVIEW:
            title = ", ".join(f.name for f in files) or None
            outcome = await self._review.review(message, title=title, progress=progress)
            return build_review_messages(outcome, why=message.idempotency_key), outcome.first_time
        saved = await self._service.process(message, progress=progress)
        return build_reply_messages(saved.result, why=message.idempotency_key), saved.first_time

    def _transcript(self, message: IncomingMessage, files: Sequence[Attachment]) -> Transcript:
        """The first shared transcript, else the one pasted after /call-review."""
        if files:
            return read_call(files[0], self._limits)
        return parse_transcript(
            PASTED_CALL,
            message.text.encode(),
            max_bytes=self._limits.max_bytes,
            max_chars=self._limits.max_chars,
        )

    async def _incoming(
        self, order: SlackOrder, client: AsyncWebClient
    ) -> tuple[IncomingMessage, tuple[Attachment, ...]]:
        """The neutral message, with the shared files' text; a file that cannot be read
        raises its CoachingError here, before anything is stored."""
        turn = order.turn
        profile = await self._users.lookup(client, tenant=turn.tenant, user=turn.user)
        files = tuple(
            [await download(client, self._session, file, self._limits) for file in order.file_ids]
        )
        calls = tuple(f for f in files if is_transcript(f.name))
        if calls:
            message = to_incoming(
                turn, profile, default_tz=self._default_tz, now=datetime.now(UTC), files=calls
            )
            return message.model_copy(update={"kind": MessageKind.CALL}), calls
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
