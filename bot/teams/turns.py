"""A Teams coaching turn as data, and the work that turns it into a card.

The handlers in `bot.teams.agent` decide *what* was asked (a chat turn, a pasted proposal,
attached files) and describe it as a `TeamsOrder`: the inbound activity plus the kind of
work. `prepare()` does the slow part (downloads, coaching, the proposal or call review)
and returns the card. The web process has answered the activity's HTTP request by then:
`answer_later` runs in the background (`bot.teams.background`) and continues the
conversation through the connector, in a personal chat with the coach's steps as
informative updates (`bot.teams.streaming`) and the card as the stream's final message,
replying to the rep's message; with a job queue a worker runs it (`bot.teams.jobs`) and
posts the card into the conversation proactively.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from aiohttp import ClientSession
from microsoft_agents.activity import Activity, ConversationReference
from microsoft_agents.hosting.core import TurnContext
from pydantic import BaseModel, ConfigDict

from bot.handoff import Handoff
from bot.teams.background import ConversationTurns
from bot.teams.cards import Card, build_call_card, build_result_card, build_review_card
from bot.teams.feedback import Remember, answer_activity, remembering
from bot.teams.files import attached_files, download, read_text
from bot.teams.hosts import HostAllowlist
from bot.teams.proactive import Outbound, continue_in, continue_with, to_activity
from bot.teams.streaming import STREAM_AFTER_SECONDS, InformativeStream
from bot.teams.translate import activity_key, local_now, to_incoming
from bot.turns import run_turn
from coaching.calls.parse import is_transcript, parse_transcript
from coaching.calls.review import CallOutcome, CallService
from coaching.errors import user_message
from coaching.feedback.service import FeedbackService
from coaching.progress import NO_PROGRESS, Progress
from coaching.review.documents import FileLimits
from coaching.review.service import ReviewService
from coaching.service import CoachService
from coaching.team.privacy import PrivacyService
from coaching.types import Attachment, IncomingMessage, MessageKind

log = logging.getLogger(__name__)

# The worker function that finishes a turn handed over to the queue (see bot.queue).
TEAMS_TURN_JOB = "teams_turn"
SORRY = "Sorry, something went wrong on my side. Please try again in a minute."
# The last word of a stream for an activity answered before: there is nothing new to send.
ANSWERED_BEFORE = "I answered this message already."
# How the log names a failed turn: answered within its reply, or proactively after it.
TURN = "A Teams coaching turn"
SLOW_TURN = "A slow Teams coaching turn"


@dataclass
class TeamsCoach:
    """Everything the handlers need, built once per server (or worker) from `Settings`."""

    service: CoachService
    review: ReviewService
    privacy: PrivacyService
    outbound: Outbound
    http: ClientSession
    default_timezone: str | None
    reply_budget_seconds: float
    file_hosts: HostAllowlist
    file_limits: FileLimits
    turns: ConversationTurns
    """The coaching turns running after their HTTP request."""
    handoff: Handoff | None = None
    company: str | None = None
    """Our company's name, so a call review knows which speaker is the rep."""
    feedback: FeedbackService | None = None
    stream_after_seconds: float = STREAM_AFTER_SECONDS
    """How long a personal chat's turn runs before the rep sees its steps."""
    pending: set[asyncio.Task[None]] = field(default_factory=set)
    """Message extension answers that outlived their invoke."""

    async def drain(self, timeout: float) -> None:
        """Let answers still being prepared go out before the server stops."""
        await self.turns.work.close(timeout=timeout)
        if self.pending:
            _, late = await asyncio.wait(set(self.pending), timeout=timeout)
            for task in late:
                task.cancel()


class TeamsWork(StrEnum):
    CHAT = "chat"
    REVIEW_TEXT = "review_text"
    REVIEW_FILES = "review_files"
    CALL_FILES = "call_files"


class TeamsOrder(BaseModel):
    """What to do for one inbound activity; `text` is what the rep typed after a command."""

    model_config = ConfigDict(frozen=True)

    work: TeamsWork
    text: str
    activity: dict[str, Any]
    # The activity within its conversation (`activity_key`): ids repeat across chats.
    key: str

    @classmethod
    def of(cls, work: TeamsWork, activity: Activity, text: str) -> TeamsOrder:
        return cls(
            work=work,
            text=text,
            activity=activity.model_dump(mode="json", by_alias=True, exclude_none=True),
            key=activity_key(activity) or "",
        )

    def inbound(self) -> Activity:
        return Activity.model_validate(self.activity)

    @property
    def job_key(self) -> str:
        return f"teams:{self.key}"


def friendly(error: Exception) -> str:
    """What the rep reads when a turn fails: their fix, or an apology without internals."""
    return user_message(error) or SORRY


def today_of(coach: TeamsCoach, activity: Activity) -> date:
    return local_now(activity, coach.default_timezone).date()


async def prepare(
    coach: TeamsCoach,
    order: TeamsOrder,
    *,
    resend: bool = False,
    progress: Progress = NO_PROGRESS,
) -> Card | None:
    """The card answering `order`; None for an activity answered before, unless `resend`
    (a worker's retry, which cannot know whether its first attempt got the card out).
    `progress` hears the coaching steps as they start."""
    activity = order.inbound()
    today = today_of(coach, activity)
    if order.work is TeamsWork.CHAT:
        message = _incoming(coach, activity, order.text, MessageKind.CHAT)
        saved = await coach.service.process(message, progress=progress)
        return build_result_card(saved.result, today=today) if saved.first_time or resend else None
    if order.work is TeamsWork.CALL_FILES:
        call = await _call_review(coach, activity, progress)
        return build_call_card(call, today=today) if call.first_time or resend else None
    if order.work is TeamsWork.REVIEW_FILES:
        message, title = await _files_review(coach, activity, order.text)
    else:
        message, title = _incoming(coach, activity, order.text, MessageKind.REVIEW), None
    outcome = await coach.review.review(message, title=title, progress=progress)
    return build_review_card(outcome, today=today) if outcome.first_time or resend else None


async def answer_later(
    coach: TeamsCoach, order: TeamsOrder, reference: ConversationReference, *, personal: bool
) -> None:
    """Coach `order` after its HTTP request was answered, and reply to the rep's message
    through the connector: in a personal chat the coach's steps first, once the turn runs
    longer than `stream_after_seconds`. A failure is the friendly line; one the connector
    refuses is only logged (the rep cannot be told)."""
    remember = remembering(coach.feedback, order.key, str(reference.conversation.id))

    async def turn(context: TurnContext) -> None:
        stream = InformativeStream(context, after=coach.stream_after_seconds) if personal else None
        progress = stream.progress if stream is not None else NO_PROGRESS
        work = asyncio.ensure_future(prepare(coach, order, progress=progress))
        await send_in_turn(context, work, stream, remember)

    try:
        await continue_in(coach.outbound, reference, turn, reply_to=reference.activity_id)
    except Exception:
        log.exception("Could not deliver a Teams answer")


async def send_when_ready(
    outbound: Outbound,
    reference: ConversationReference,
    card: Awaitable[Card | None],
    *,
    can_retry: bool = False,
    remember: Remember | None = None,
) -> None:
    """Post the card (or a friendly failure) into the conversation once it is ready; the
    card's message id goes to `remember`, so the rep's rating of it finds the answer.

    With `can_retry` (a queued job with attempts left) a failure that is not the rep's to
    fix propagates instead, so the job runs again and the rep gets the real answer.
    """
    face = _Proactive(outbound, reference, remember)
    await run_turn(card, face, apology=SORRY, what=SLOW_TURN, can_retry=can_retry)


async def send_in_turn(
    context: TurnContext,
    work: asyncio.Future[Card | None],
    stream: InformativeStream | None,
    remember: Remember,
) -> None:
    """The finished work's card in this turn (the stream's final message, when the rep is
    watching one), and the message id to `remember`. A failure ends a stream the rep saw
    with the friendly text; before any update it is a message of its own."""
    await run_turn(work, _InTurn(context, stream, remember), apology=SORRY, what=TURN)


@dataclass(frozen=True)
class _Proactive:
    """The end of a turn that outlived its reply: posted into the conversation."""

    outbound: Outbound
    reference: ConversationReference
    remember: Remember | None

    async def deliver(self, answer: Card) -> None:
        sent = await continue_with(self.outbound, self.reference, answer_activity(answer))
        if self.remember is not None:
            await self.remember(sent)

    async def nothing_new(self) -> None:
        return None

    async def fail(self, line: str) -> None:
        await continue_with(self.outbound, self.reference, to_activity(line))


@dataclass(frozen=True)
class _InTurn:
    """The end of a turn answered within its reply: the stream's last word, else a message."""

    context: TurnContext
    stream: InformativeStream | None
    remember: Remember

    async def deliver(self, answer: Card) -> None:
        activity = answer_activity(answer)
        if self.stream is None:
            sent = await self.context.send_activity(activity)
            await self.remember(sent.id if sent is not None else None)
        else:
            await self.remember(await self.stream.finish(activity))

    async def nothing_new(self) -> None:
        if self.stream is not None:
            await self.stream.interrupt(ANSWERED_BEFORE)

    async def fail(self, line: str) -> None:
        if self.stream is not None:
            await self.stream.interrupt(line)
            if self.stream.started:
                return  # the line ended the stream the rep saw
        await self.context.send_activity(line)


async def _files_review(
    coach: TeamsCoach, activity: Activity, note: str
) -> tuple[IncomingMessage, str | None]:
    """The review message for the attached files (what the rep typed comes first).

    Every file is downloaded and read before anything is stored, so a file that is
    locked, damaged, empty or too large only gets its friendly CoachingError.
    """
    limits = coach.file_limits
    fetched: list[Attachment] = [
        await download(attachment, coach.http, hosts=coach.file_hosts, limits=limits)
        for attachment in attached_files(activity)
    ]
    texts = [read_text(file, limits) for file in fetched]
    text = "\n\n".join([note, *texts]).strip()
    message = _incoming(coach, activity, text, MessageKind.REVIEW, files=tuple(fetched))
    return message, ", ".join(file.name for file in fetched) or None


async def _call_review(coach: TeamsCoach, activity: Activity, progress: Progress) -> CallOutcome:
    """The first attached transcript, downloaded and parsed before anything is stored."""
    limits = coach.file_limits
    attachment = next(a for a in attached_files(activity) if is_transcript(a.name or ""))
    file = await download(attachment, coach.http, hosts=coach.file_hosts, limits=limits)
    transcript = parse_transcript(
        file.name, file.content, max_bytes=limits.max_bytes, max_chars=limits.max_chars
    )
    message = _incoming(coach, activity, "", MessageKind.CALL, files=(file,))
    return await CallService(coach.service).review(
        message, transcript, company=coach.company, progress=progress
    )


def _incoming(
    coach: TeamsCoach,
    activity: Activity,
    text: str,
    kind: MessageKind,
    files: tuple[Attachment, ...] = (),
) -> IncomingMessage:
    return to_incoming(
        activity, text=text, kind=kind, default_timezone=coach.default_timezone, files=files
    )
