"""The Teams handlers on an `AgentApplication`: commands, coaching turns, card buttons.

The channel wants an HTTP answer within 15 seconds
(https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance),
and the SDK answers only when the handler returns. So a coaching turn shows the typing
indicator at once, waits for the coach up to `COACH_TEAMS_REPLY_BUDGET` seconds, and
otherwise returns and posts the answer proactively when it is ready. A proposal (typed
after **proposal review**, or attached as a .txt, .md, .pdf or .docx file in a personal
chat) goes to `ReviewService.review`, everything else to `CoachService.process`. A
re-delivered activity (same id) reaches them with the same idempotency key and gets
`first_time` False: nothing is posted again. A file that cannot be read gets its friendly
message, and nothing is stored.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from aiohttp import ClientSession
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ContentTypes,
    ConversationReference,
)
from microsoft_agents.activity import Attachment as ActivityAttachment
from microsoft_agents.hosting.core import (
    AgentApplication,
    ApplicationOptions,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.authorization import Connections

from bot.teams.cards import (
    TRUST_VERB,
    VERB_STATUS,
    Card,
    Source,
    Verb,
    build_commitments_card,
    build_forget_card,
    build_result_card,
    build_review_card,
    build_trust_check_card,
    build_trust_report_card,
)
from bot.teams.files import attached_files, download, read_text
from bot.teams.privacy import FORGET_VERBS, ForgetHandlers
from bot.teams.proactive import Outbound, continue_with, to_activity, to_reference_json
from bot.teams.translate import (
    CommandName,
    local_now,
    parse_command,
    to_incoming,
    trust_answers,
    user_ref,
)
from coaching.documents import FileLimits
from coaching.privacy import PrivacyService
from coaching.review import ReviewService
from coaching.service import CoachService
from coaching.trust_check import TrustReport
from coaching.types import Attachment, CoachingError, IncomingMessage, MessageKind
from storage.db import StoreUnavailable

log = logging.getLogger(__name__)

HELP = (
    "I coach your deals against our sales playbooks: tell me about a deal, or paste a draft "
    "email or a call plan.\n\n"
    "- **proposal review**: paste a proposal or outline after these words, or attach it "
    "as a .txt, .md, .pdf or .docx file in our chat\n"
    "- **commitments**: your open next steps, with Done and Snooze buttons\n"
    "- **trust check**: rate yourself on twelve statements and see your trust equation\n"
    "- **forget me**: delete everything I keep about you (I ask you first)\n"
    "- **help**: this list\n\n"
    "In a channel, @mention me."
)
REVIEW_PROMPT = (
    "Paste the proposal or outline after **proposal review**, or attach it as a .txt, .md, "
    ".pdf or .docx file in our chat."
)
SORRY = "Sorry, something went wrong on my side. Please try again in a minute."
BAD_ACTION = "That button no longer works; type **commitments** for a fresh list."
_COMMITMENT_VERB = re.compile(r"^commitment\.")


@dataclass
class TeamsCoach:
    """Everything the handlers need, built once per server from `Settings`."""

    service: CoachService
    review: ReviewService
    privacy: PrivacyService
    outbound: Outbound
    http: ClientSession
    default_timezone: str | None
    reply_budget_seconds: float
    https_only_files: bool
    file_limits: FileLimits
    pending: set[asyncio.Task[None]] = field(default_factory=set)

    async def drain(self, timeout: float) -> None:
        """Let answers still being prepared go out before the server stops."""
        if self.pending:
            _, late = await asyncio.wait(set(self.pending), timeout=timeout)
            for task in late:
                task.cancel()


def build_agent(coach: TeamsCoach, connections: Connections) -> AgentApplication[TurnState]:
    """The agent with every route registered; typing is sent by the handlers themselves."""
    options = ApplicationOptions(
        storage=MemoryStorage(), start_typing_timer=False, remove_recipient_mention=True
    )
    agent = AgentApplication[TurnState](options, connection_manager=connections)
    handlers = _Handlers(coach)
    agent.conversation_update("membersAdded")(handlers.on_members_added)
    agent.adaptive_card.action_execute(_COMMITMENT_VERB)(handlers.on_card_execute)
    agent.adaptive_card.action_submit(_COMMITMENT_VERB)(handlers.on_card_submit)
    agent.adaptive_card.action_execute(TRUST_VERB)(handlers.on_trust_execute)
    agent.adaptive_card.action_submit(TRUST_VERB)(handlers.on_trust_submit)
    forget = ForgetHandlers(coach.privacy)
    agent.adaptive_card.action_execute(FORGET_VERBS)(forget.on_execute)
    agent.adaptive_card.action_submit(FORGET_VERBS)(forget.on_submit)
    agent.message()(handlers.on_message)
    agent.error(handle_turn_error)
    return agent


async def handle_turn_error(context: TurnContext, error: Exception) -> None:
    """The last resort: log the failure, tell the user kindly, never show the exception."""
    log.error("A Teams turn failed", exc_info=error)
    try:
        await context.send_activity(SORRY)
    except Exception as unsent:
        log.warning("Could not tell the user about the failure: %s", type(unsent).__name__)


class _Handlers:
    def __init__(self, coach: TeamsCoach) -> None:
        self._coach = coach

    async def on_members_added(self, context: TurnContext, _state: TurnState) -> None:
        """Installed in a personal chat: keep the reference and say hello."""
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient is not None else None
        if any(member.id == bot_id for member in activity.members_added or []):
            await self._remember(activity)
            await context.send_activity(HELP)

    async def on_message(self, context: TurnContext, _state: TurnState) -> None:
        try:
            await self._remember(context.activity)
            await self._dispatch(context)
        except (CoachingError, StoreUnavailable) as error:
            await context.send_activity(_friendly(error))

    async def on_card_execute(
        self, context: TurnContext, _state: TurnState, data: object
    ) -> AdaptiveCardInvokeResponse:
        """Universal Action: answer with the redrawn list, or a short confirmation."""
        try:
            text, source = await self._apply(context, data)
            if source is Source.COMMITMENTS:
                card = await self._commitments_card(context)
                return AdaptiveCardInvokeResponse(
                    status_code=200, type=ContentTypes.adaptive_card, value=card
                )
        except (CoachingError, StoreUnavailable) as error:
            text = _friendly(error)
        return AdaptiveCardInvokeResponse(status_code=200, type=ContentTypes.message, value=text)

    async def on_card_submit(self, context: TurnContext, _state: TurnState, data: object) -> None:
        """`Action.Submit` fallback: the same change, confirmed in a message."""
        try:
            text, _ = await self._apply(context, data)
        except (CoachingError, StoreUnavailable) as error:
            text = _friendly(error)
        await context.send_activity(text)

    async def on_trust_execute(
        self, context: TurnContext, _state: TurnState, data: object
    ) -> AdaptiveCardInvokeResponse:
        """The self-assessment's Universal Action: the report card replaces the questions.

        A bad or missing answer keeps the questions on screen and says which to fix.
        """
        try:
            report = await self._submit_trust(context, data)
        except (CoachingError, StoreUnavailable) as error:
            return AdaptiveCardInvokeResponse(
                status_code=200, type=ContentTypes.message, value=_friendly(error)
            )
        return AdaptiveCardInvokeResponse(
            status_code=200, type=ContentTypes.adaptive_card, value=build_trust_report_card(report)
        )

    async def on_trust_submit(self, context: TurnContext, _state: TurnState, data: object) -> None:
        """`Action.Submit` fallback: the report card arrives as a new message."""
        try:
            report = await self._submit_trust(context, data)
        except (CoachingError, StoreUnavailable) as error:
            await context.send_activity(_friendly(error))
            return
        await context.send_activity(to_activity(build_trust_report_card(report)))

    async def _submit_trust(self, context: TurnContext, data: object) -> TrustReport:
        """Score and store the card's answers as the person who pressed the button."""
        activity = context.activity
        answers = trust_answers(data)
        at = local_now(activity, self._coach.default_timezone)
        return await self._coach.service.submit_trust_check(user_ref(activity), answers, at)

    async def _dispatch(self, context: TurnContext) -> None:
        activity = context.activity
        command = parse_command(activity.text or "")
        files = attached_files(activity) if _personal(activity) else []
        if command.name is CommandName.HELP:
            await context.send_activity(HELP)
        elif command.name is CommandName.COMMITMENTS:
            card = await self._commitments_card(context)
            await context.send_activity(to_activity(card))
        elif command.name is CommandName.TRUST_CHECK:
            await context.send_activity(to_activity(build_trust_check_card()))
        elif command.name is CommandName.FORGET_ME:
            asked = user_ref(activity).user
            await context.send_activity(to_activity(build_forget_card(asked)))
        elif files:
            review = partial(self._review_files, activity, command.text, files)
            await self._answer(context, review)
        elif command.name is CommandName.PROPOSAL_REVIEW and not command.text:
            await context.send_activity(REVIEW_PROMPT)
        else:
            self._coach.service.validate(command.text)
            if command.name is CommandName.PROPOSAL_REVIEW:
                typed = partial(self._review_text, activity, command.text)
                await self._answer(context, typed)
            else:
                await self._answer(context, partial(self._chat, activity, command.text))

    async def _answer(
        self, context: TurnContext, prepare: Callable[[date], Awaitable[Card | None]]
    ) -> None:
        """Typing now; the card within the reply budget, or proactively once it is ready.

        `prepare` downloads and reads files (if any) and coaches, all inside the budget; it
        returns None for an activity answered before, and then nothing is sent.
        """
        await context.send_activity(Activity(type=ActivityTypes.typing))
        today = self._today(context.activity)
        work = asyncio.ensure_future(prepare(today))
        done, _ = await asyncio.wait({work}, timeout=self._coach.reply_budget_seconds)
        if work in done:
            card = work.result()
            if card is not None:
                await context.send_activity(to_activity(card))
            return
        reference = context.activity.get_conversation_reference()
        task = asyncio.create_task(self._answer_later(work, reference))
        self._coach.pending.add(task)
        task.add_done_callback(self._coach.pending.discard)

    async def _answer_later(
        self, work: asyncio.Future[Card | None], reference: ConversationReference
    ) -> None:
        try:
            card = await work
            if card is None:
                return
            reply = to_activity(card)
        except (CoachingError, StoreUnavailable) as error:
            reply = to_activity(_friendly(error))
        except Exception:
            log.exception("A slow Teams coaching turn failed")
            reply = to_activity(SORRY)
        try:
            await continue_with(self._coach.outbound, reference, reply)
        except Exception:
            log.exception("Could not deliver a slow Teams answer")

    async def _chat(self, activity: Activity, text: str, today: date) -> Card | None:
        """A typed coaching turn: the result card, or None if it was answered before."""
        message = to_incoming(
            activity,
            text=text,
            kind=MessageKind.CHAT,
            default_timezone=self._coach.default_timezone,
        )
        saved = await self._coach.service.process(message)
        return build_result_card(saved.result, today=today) if saved.first_time else None

    async def _review_text(self, activity: Activity, text: str, today: date) -> Card | None:
        """A proposal or outline typed after **proposal review**."""
        return await self._review(_to_review(activity, text, self._coach), None, today)

    async def _review_files(
        self, activity: Activity, note: str, files: list[ActivityAttachment], today: date
    ) -> Card | None:
        """A proposal review of the attached files (what the rep typed comes first).

        Every file is downloaded and read before anything is stored, so a file that is
        locked, damaged, empty or too large only gets its friendly CoachingError.
        """
        limits = self._coach.file_limits
        fetched: list[Attachment] = []
        for attachment in files:
            fetched.append(
                await download(
                    attachment,
                    self._coach.http,
                    https_only=self._coach.https_only_files,
                    limits=limits,
                )
            )
        texts = [read_text(file, limits) for file in fetched]
        text = "\n\n".join([note, *texts]).strip()
        message = _to_review(activity, text, self._coach, files=tuple(fetched))
        title = ", ".join(file.name for file in fetched) or None
        return await self._review(message, title, today)

    async def _review(
        self, message: IncomingMessage, title: str | None, today: date
    ) -> Card | None:
        outcome = await self._coach.review.review(message, title=title)
        return build_review_card(outcome, today=today) if outcome.first_time else None

    async def _apply(self, context: TurnContext, data: object) -> tuple[str, Source]:
        """Change one commitment as the button asks; what to tell the user, and the card."""
        if not isinstance(data, dict):
            raise CoachingError("input.bad_action", BAD_ACTION)
        raw_id = data.get("commitment_id")
        try:
            if not isinstance(raw_id, int | str):
                raise TypeError(type(raw_id).__name__)
            commitment_id = int(raw_id)
            verb = Verb(str(data.get("verb")))
            source = Source(data.get("source", Source.RESULT.value))
        except (TypeError, ValueError) as error:
            raise CoachingError("input.bad_action", BAD_ACTION) from error
        changed = await self._coach.service.set_commitment_status(
            user_ref(context.activity), commitment_id, VERB_STATUS[verb]
        )
        return f"{_VERB_LABELS[verb]}: {changed.text}", source

    async def _commitments_card(self, context: TurnContext) -> Card:
        items = await self._coach.service.commitments(user_ref(context.activity))
        return build_commitments_card(items, today=self._today(context.activity))

    async def _remember(self, activity: Activity) -> None:
        """Keep the personal chat's reference: reminders and digests go there, not channels."""
        if not _personal(activity):
            return
        sender = activity.from_property
        await self._coach.outbound.references.save(
            who=user_ref(activity),
            reference=to_reference_json(activity),
            user_name=sender.name if sender is not None and sender.name else None,
        )

    def _today(self, activity: Activity) -> date:
        return local_now(activity, self._coach.default_timezone).date()


_VERB_LABELS = {Verb.CONFIRM: "Committed", Verb.DONE: "Done", Verb.SNOOZE: "Snoozed"}


def _to_review(
    activity: Activity, text: str, coach: TeamsCoach, files: tuple[Attachment, ...] = ()
) -> IncomingMessage:
    return to_incoming(
        activity,
        text=text,
        kind=MessageKind.REVIEW,
        default_timezone=coach.default_timezone,
        files=files,
    )


def _personal(activity: Activity) -> bool:
    """A one-to-one chat; the Emulator and the Playground leave the type out."""
    conversation = activity.conversation
    return conversation is None or conversation.conversation_type in (None, "personal")


def _friendly(error: CoachingError | StoreUnavailable) -> str:
    return error.message if isinstance(error, CoachingError) else str(error)
