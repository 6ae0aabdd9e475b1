"""Messages the coach sends first: reminders, digests, and answers that took too long.

A bot may only write into a conversation it has a reference for
(https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages),
so every user's latest reference is stored and `send_proactive` resumes it with the SDK's
`continue_conversation`. Teams answers 403 (app uninstalled, bot blocked) or 404
(conversation gone) for a reference that will never work again: it is marked stale and
the caller is told, once; nothing here retries. A reference whose `serviceUrl` is not on
`COACH_TEAMS_SERVICE_HOSTS` (stored before the allowlist, or by a misconfigured server)
gets nothing at all: no token, no card.

Digests and reminders carry what the coach drew from a rep's messages (commitments, 1:1
questions, coaching codes), so their callers ask for Teams' AI-generated label.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from aiohttp import ClientResponseError
from microsoft_agents.activity import Activity, ConversationReference, Entity
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AuthenticationConstants,
    CardFactory,
    ClaimsIdentity,
    MessageFactory,
    TurnContext,
)

from bot.teams.cards import Card
from bot.teams.hosts import HostAllowlist
from coaching.ports import UserRef
from storage.references import SqlConversationReferences

log = logging.getLogger(__name__)

GONE_STATUSES = frozenset({403, 404})


class Delivery(StrEnum):
    """How a proactive message went: the caller decides what to do about the others."""

    SENT = "sent"
    STALE = "stale"
    NO_REFERENCE = "no_reference"
    REFUSED = "refused"
    FAILED = "failed"


class ServiceUrlRefused(Exception):
    """The conversation's `serviceUrl` is outside the allowed hosts; nothing was sent."""


@dataclass(frozen=True)
class Outbound:
    """What sending needs: the SDK adapter, the stored references, our app id (None in
    local anonymous mode, where the connector is called without a token), and the hosts
    a connector may live on."""

    adapter: CloudAdapter
    references: SqlConversationReferences
    app_id: str | None
    service_hosts: HostAllowlist


class _AIGeneratedLabel(Entity):
    """The schema.org Message entity that makes Teams show "AI generated" on a message
    (learn.microsoft.com: teams/platform/bots/how-to/bot-messages-ai-generated-content).

    Not the SDK's `Activity.add_ai_metadata`: its entity posts `id` where Teams documents
    `@id`, plus null citation fields. Every field is set, because the connector client
    drops fields left at their defaults.
    """

    at_type: str
    at_context: str
    at_id: str
    additional_type: list[str]


def label_ai_generated(activity: Activity) -> Activity:
    """The same activity, marked as AI-generated so Teams labels it for the reader."""
    label = _AIGeneratedLabel(
        type="https://schema.org/Message",
        at_type="Message",
        at_context="https://schema.org",
        at_id="",
        additional_type=["AIGeneratedContent"],
    )
    activity.entities = [*(activity.entities or []), label]
    return activity


def to_activity(content: Card | str) -> Activity:
    """A message activity carrying text or one Adaptive Card."""
    if isinstance(content, str):
        return MessageFactory.text(content)
    activity: Activity = MessageFactory.attachment(CardFactory.adaptive_card(content))
    return activity


def to_reference_json(activity: Activity) -> dict[str, object]:
    """The conversation reference of an inbound activity, as stored in the database."""
    reference = activity.get_conversation_reference()
    return reference.model_dump(mode="json", by_alias=True, exclude_none=True)


async def send_proactive(
    outbound: Outbound, who: UserRef, content: Card | str, *, ai_generated: bool = False
) -> Delivery:
    """Post `content` into the user's latest conversation with the coach, with the
    AI-generated label when `ai_generated` (the coach wrote it)."""
    stored = await outbound.references.load(who=who)
    if stored is None:
        return Delivery.NO_REFERENCE
    if stored.stale:
        return Delivery.STALE
    try:
        reference = ConversationReference.model_validate(stored.reference)
        activity = to_activity(content)
        await continue_with(
            outbound, reference, label_ai_generated(activity) if ai_generated else activity
        )
    except ServiceUrlRefused:
        log.warning("A stored Teams conversation names a serviceUrl outside the allowed hosts")
        return Delivery.REFUSED
    except ClientResponseError as error:
        return await _refused_by_teams(outbound, who, error)
    except Exception:
        log.exception("A proactive Teams message could not be sent")
        return Delivery.FAILED
    return Delivery.SENT


async def _refused_by_teams(
    outbound: Outbound, who: UserRef, error: ClientResponseError
) -> Delivery:
    """A gone conversation is marked stale, so it is not tried again; others just failed."""
    if error.status not in GONE_STATUSES:
        log.error("Teams refused a proactive message with HTTP %d", error.status)
        return Delivery.FAILED
    await outbound.references.mark_stale(who=who)
    log.warning(
        "Teams answered %d for the stored conversation of a %s user; marked stale",
        error.status,
        who.platform,
    )
    return Delivery.STALE


async def continue_with(
    outbound: Outbound, reference: ConversationReference, activity: Activity
) -> str | None:
    """Send one activity into a referenced conversation; the id Teams gave it. Connector
    errors propagate; `ServiceUrlRefused` as for `continue_in`."""
    sent: list[str | None] = []

    async def send(context: TurnContext) -> None:
        response = await context.send_activity(activity)
        sent.append(response.id if response is not None else None)

    await continue_in(outbound, reference, send)
    return sent[0] if sent else None


async def continue_in(
    outbound: Outbound,
    reference: ConversationReference,
    work: Callable[[TurnContext], Awaitable[None]],
    *,
    reply_to: str | None = None,
) -> None:
    """Run `work` with a turn context of a referenced conversation, as a turn of its own:
    what it sends goes through the connector, as a reply to the activity `reply_to` when
    given (the rep's message a late answer belongs to). Connector errors propagate.

    The SDK runs the callback inside its turn pipeline, which would hand an exception to
    the adapter's turn-error handler (and try to post an apology into the very
    conversation that failed), so the callback keeps it and it is raised here instead.
    Raises `ServiceUrlRefused`, before anything is sent, for a connector outside the allowed
    hosts.
    """
    if not outbound.service_hosts.allows(reference.service_url):
        raise ServiceUrlRefused
    failures: list[Exception] = []

    async def run(context: TurnContext) -> None:
        try:
            await work(context)
        except Exception as error:
            failures.append(error)

    identity = (
        ClaimsIdentity()
        if outbound.app_id is None
        else outbound.adapter.create_claims_identity(outbound.app_id)
    )
    continuation = reference.get_continuation_activity()
    if reply_to is not None:
        # Outgoing activities reply to the context's activity: make that the rep's message.
        continuation.id = reply_to
    await outbound.adapter.continue_conversation_with_claims(
        identity, continuation, run, audience=AuthenticationConstants.AGENTS_SDK_SCOPE
    )
    if failures:
        raise failures[0]
