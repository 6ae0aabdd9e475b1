"""Teams activities in, the neutral `IncomingMessage` out: the only place that reads them.

Field by field, following the Bot Framework activity schema
(https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object)
and the Teams additions to it
(https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-messages).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from microsoft_agents.activity import Activity

from bot.teams.cards import trust_input_id
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.trust_check import LIKERT, SCALE_HELP, STATEMENTS
from coaching.types import Attachment, IncomingMessage, MessageKind, Platform

# The Emulator and the Agents Playground send no tenant; their users share this one.
LOCAL_TENANT = "local"

# In a channel the conversation id carries the reply chain: "19:...@thread.tacv2;messageid=1"
# https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
_REPLY_CHAIN = ";messageid="
_LIKERT_VALUES = frozenset(str(value) for value in LIKERT)


class CommandName(StrEnum):
    """The commands Slack offers as slash commands, typed as plain text in Teams."""

    HELP = "help"
    COMMITMENTS = "commitments"
    TRUST_CHECK = "trust check"
    PROPOSAL_REVIEW = "proposal review"
    FORGET_ME = "forget me"
    COACH = "coach"


@dataclass(frozen=True)
class Command:
    """What the user asked for, and the text that goes with it (the pasted proposal)."""

    name: CommandName
    text: str


def parse_command(text: str) -> Command:
    """`help`, `commitments`, `trust check`, `forget me` alone; `proposal review` followed
    by a paste.

    A leading slash and hyphens are accepted (`/proposal-review`) because reps bring the
    habit from Slack and the console. Anything else is a coaching turn, so "help me word
    this email" is coached, not answered with the command list.
    """
    stripped = text.strip()
    head, _, rest = stripped.partition("\n")
    words = head.lstrip("/").replace("-", " ").split()
    lowered = [word.lower() for word in words]
    standalone = (
        CommandName.HELP,
        CommandName.COMMITMENTS,
        CommandName.TRUST_CHECK,
        CommandName.FORGET_ME,
    )
    for name in standalone:
        if lowered == name.value.split() and not rest.strip():
            return Command(name=name, text="")
    if lowered[:2] == CommandName.PROPOSAL_REVIEW.value.split():
        pasted = "\n".join(part for part in (" ".join(words[2:]), rest) if part.strip())
        return Command(name=CommandName.PROPOSAL_REVIEW, text=pasted.strip())
    return Command(name=CommandName.COACH, text=stripped)


def user_ref(activity: Activity) -> UserRef:
    """The sender as the verified activity names them: their Entra object id when known."""
    sender = activity.from_property
    user = (sender.aad_object_id or sender.id) if sender is not None else None
    return UserRef(platform=Platform.TEAMS, tenant=tenant_of(activity), user=user or "unknown")


def tenant_of(activity: Activity) -> str:
    """`conversation.tenantId`, else `channelData.tenant.id` (older Teams clients)."""
    if activity.conversation is not None and activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    data = activity.channel_data
    if isinstance(data, dict):
        tenant = data.get("tenant")
        if isinstance(tenant, dict) and isinstance(tenant.get("id"), str) and tenant["id"]:
            return str(tenant["id"])
    return LOCAL_TENANT


def to_incoming(
    activity: Activity,
    *,
    text: str,
    kind: MessageKind,
    default_timezone: str | None,
    files: tuple[Attachment, ...] = (),
) -> IncomingMessage:
    """The neutral message for one Teams message activity; `activity_key` dedupes it."""
    who = user_ref(activity)
    conversation = activity.conversation.id if activity.conversation is not None else None
    sender = activity.from_property
    return IncomingMessage(
        platform=Platform.TEAMS,
        tenant=who.tenant,
        user=who.user,
        user_name=sender.name if sender is not None and sender.name else None,
        text=text,
        now=local_now(activity, default_timezone),
        channel=conversation.split(_REPLY_CHAIN, 1)[0] if conversation else None,
        thread=conversation,
        kind=kind,
        files=files,
        idempotency_key=activity_key(activity),
    )


def activity_key(activity: Activity) -> str | None:
    """The activity id within its conversation, as one fixed-length key.

    Teams numbers messages per conversation (the ids are millisecond timestamps), so two
    people in different chats or tenants can send the same id; a re-sent activity keeps
    both its id and its conversation, so it still finds the answer stored for it.
    """
    if not activity.id:
        return None
    conversation = activity.conversation.id if activity.conversation is not None else ""
    return hashlib.sha256(f"{conversation}\n{activity.id}".encode()).hexdigest()


def local_now(activity: Activity, default_timezone: str | None) -> datetime:
    """When the user spoke, in their zone: the channel's timestamp (stable across retries)."""
    zone = _zone(activity.local_timezone) or _zone(default_timezone) or UTC
    instant = activity.timestamp or datetime.now(UTC)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone)


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def trust_answers(data: object) -> tuple[int, ...]:
    """The 1-5 answers a submitted self-assessment card carries, one per statement.

    The card marks every choice required, but older clients and hand-made requests do
    not enforce that, so a missing or unexpected value is refused here with its number.
    """
    values = data if isinstance(data, dict) else {}
    raw = [values.get(trust_input_id(n)) for n in range(1, len(STATEMENTS) + 1)]
    unanswered = [str(n) for n, value in enumerate(raw, 1) if str(value) not in _LIKERT_VALUES]
    if unanswered:
        which = "statement" if len(unanswered) == 1 else "statements"
        raise CoachingError(
            "input.bad_answers",
            f"Please answer {which} {', '.join(unanswered)} with a number from 1 to 5 "
            f"({SCALE_HELP}), then submit again.",
        )
    return tuple(int(str(value)) for value in raw)
