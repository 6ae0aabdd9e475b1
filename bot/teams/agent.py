"""The Teams handlers on an `AgentApplication`: commands, coaching turns, card buttons.

The channel wants an HTTP answer within 15 seconds, the sooner the better
(https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance),
so `bot.teams.hosting` answers a message's request with a 202 once it is admitted and
runs these handlers after it: everything they send goes through the connector. A coaching
turn shows the typing indicator and hands the coaching to a background turn of this
process, or, with a job queue, to a worker (`bot.teams.turns`). Card buttons are invokes,
answered within their request. A proposal (typed
after **proposal review**, or attached as a .txt, .md, .pdf, .docx or .pptx file in a personal
chat) goes to `ReviewService.review`, an attached .vtt or .srt call transcript to
`CallService.review`, everything else to `CoachService.process`. A
re-delivered activity (same id) reaches them with the same idempotency key and gets
`first_time` False: nothing is posted again. A file that cannot be read gets its friendly
message, and nothing is stored.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ContentTypes,
)
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
    build_trust_check_card,
    build_trust_report_card,
)
from bot.teams.feedback import (
    FEEDBACK_INVOKE,
    FeedbackHandler,
)
from bot.teams.files import attached_files
from bot.teams.message_extension import FETCH_TASK_INVOKE, SUBMIT_ACTION_INVOKE, MessageExtension
from bot.teams.privacy import FORGET_VERBS, ForgetHandlers
from bot.teams.proactive import to_activity, to_reference_json
from bot.teams.translate import (
    CommandName,
    local_now,
    parse_command,
    trust_answers,
    user_ref,
)
from bot.teams.turns import (
    SORRY,
    TEAMS_TURN_JOB,
    TeamsCoach,
    TeamsOrder,
    TeamsWork,
    answer_later,
    friendly,
    today_of,
)
from coaching.calls.parse import is_transcript
from coaching.errors import CoachError, CoachingError
from coaching.trust_check import TrustReport

log = logging.getLogger(__name__)

HELP = (
    "I coach your deals against our sales playbooks: tell me about a deal, or paste a draft "
    "email or a call plan.\n\n"
    "- **proposal review**: paste a proposal or outline after these words, or attach it "
    "as a .txt, .md, .pdf, .docx or .pptx file in our chat\n"
    "- attach a call transcript (.vtt or .srt) in our chat for a call review: your talk "
    "ratio, monologues and both sides' next steps\n"
    "- **commitments**: your open next steps, with Done and Snooze buttons\n"
    "- **trust check**: rate yourself on twelve statements and see your trust equation\n"
    "- **forget me**: delete everything I keep about you (I ask you first)\n"
    "- **help**: this list\n\n"
    "In a channel, @mention me."
)
REVIEW_PROMPT = (
    "Paste the proposal or outline after **proposal review**, or attach it as a .txt, .md, "
    ".pdf, .docx or .pptx file in our chat."
)
BAD_ACTION = "That button no longer works; type **commitments** for a fresh list."
_COMMITMENT_VERB = re.compile(r"^commitment\.")


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
    if coach.feedback is not None:
        rate = FeedbackHandler(coach.feedback, coach.default_timezone)
        agent.invoke(FEEDBACK_INVOKE)(rate.on_submit)
    extension = MessageExtension(coach)
    agent.invoke(FETCH_TASK_INVOKE)(extension.on_action)
    agent.invoke(SUBMIT_ACTION_INVOKE)(extension.on_action)
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
        except CoachError as error:
            await context.send_activity(friendly(error))

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
        except CoachError as error:
            text = friendly(error)
        return AdaptiveCardInvokeResponse(status_code=200, type=ContentTypes.message, value=text)

    async def on_card_submit(self, context: TurnContext, _state: TurnState, data: object) -> None:
        """`Action.Submit` fallback: the same change, confirmed in a message."""
        try:
            text, _ = await self._apply(context, data)
        except CoachError as error:
            text = friendly(error)
        await context.send_activity(text)

    async def on_trust_execute(
        self, context: TurnContext, _state: TurnState, data: object
    ) -> AdaptiveCardInvokeResponse:
        """The self-assessment's Universal Action: the report card replaces the questions.

        A bad or missing answer keeps the questions on screen and says which to fix.
        """
        try:
            report = await self._submit_trust(context, data)
        except CoachError as error:
            return AdaptiveCardInvokeResponse(
                status_code=200, type=ContentTypes.message, value=friendly(error)
            )
        return AdaptiveCardInvokeResponse(
            status_code=200, type=ContentTypes.adaptive_card, value=build_trust_report_card(report)
        )

    async def on_trust_submit(self, context: TurnContext, _state: TurnState, data: object) -> None:
        """`Action.Submit` fallback: the report card arrives as a new message."""
        try:
            report = await self._submit_trust(context, data)
        except CoachError as error:
            await context.send_activity(friendly(error))
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
            call = any(is_transcript(f.name or "") for f in files)
            work = TeamsWork.CALL_FILES if call else TeamsWork.REVIEW_FILES
            await self._answer(context, TeamsOrder.of(work, activity, command.text))
        elif command.name is CommandName.PROPOSAL_REVIEW and not command.text:
            await context.send_activity(REVIEW_PROMPT)
        else:
            self._coach.service.validate(command.text)
            work = (
                TeamsWork.REVIEW_TEXT
                if command.name is CommandName.PROPOSAL_REVIEW
                else TeamsWork.CHAT
            )
            await self._answer(context, TeamsOrder.of(work, activity, command.text))

    async def _answer(self, context: TurnContext, order: TeamsOrder) -> None:
        """Typing now; the answer after this request: from a worker when the job queue
        takes the order, else from a background turn of this process (`answer_later`),
        after the conversation's earlier turns. An activity answered before gets nothing.
        """
        await context.send_activity(Activity(type=ActivityTypes.typing))
        handoff = self._coach.handoff
        if handoff is not None and await handoff.submit(TEAMS_TURN_JOB, order.job_key, order):
            return
        reference = context.activity.get_conversation_reference()
        later = answer_later(self._coach, order, reference, personal=_personal(context.activity))
        self._coach.turns.start(str(reference.conversation.id), later)

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
        return today_of(self._coach, activity)


_VERB_LABELS = {Verb.CONFIRM: "Committed", Verb.DONE: "Done", Verb.SNOOZE: "Snoozed"}


def _personal(activity: Activity) -> bool:
    """A one-to-one chat; the Emulator and the Playground leave the type out."""
    conversation = activity.conversation
    return conversation is None or conversation.conversation_type in (None, "personal")
