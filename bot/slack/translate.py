"""Slack payloads to the neutral `IncomingMessage`: the only place that knows their shapes.

A listener turns an event, a slash command or a shortcut into a `SlackTurn` (pure, no I/O);
once the user's profile is fetched in the background, `to_incoming()` adds the clock in the
user's zone. Idempotency keys are stable across Slack's re-deliveries: the event id for
events (https://api.slack.com/apis/events-api#retries), the trigger id for commands and
shortcuts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.slack.blocks import TRUST_ANSWER_ID, trust_block_id
from coaching.trust_check import LIKERT, STATEMENTS
from coaching.types import Attachment, IncomingMessage, MessageKind, Platform

# https://api.slack.com/reference/surfaces/formatting#linking-urls: <url> or <url|label>.
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
LIKERT_VALUES = frozenset(str(value) for value in LIKERT)
MISSING_ANSWER = "Pick a number from 1 to 5."
# What reading a field that is missing or of the wrong type raises, from `x["a"]` to `float(x)`.
_SHAPE_ERRORS = (
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ValueError,
    OverflowError,
    OSError,
)

_P = ParamSpec("_P")
_R = TypeVar("_R")


class MalformedPayload(ValueError):
    """A payload without a field Slack always sends, or with one of another type. Its
    message names the reader and the error's class only, never the payload's content."""


def _reads_payload(read: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn whatever a malformed payload makes `read` raise into one `MalformedPayload`."""

    @functools.wraps(read)
    def reading(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return read(*args, **kwargs)
        except MalformedPayload:
            raise
        except _SHAPE_ERRORS as error:
            raise MalformedPayload(f"{read.__name__}: {type(error).__name__}") from None

    return reading


@dataclass(frozen=True)
class SlackTurn:
    """One request to coach, as a listener saw it, before the user's profile is known."""

    tenant: str
    user: str
    text: str
    key: str
    channel: str | None = None
    thread: str | None = None
    kind: MessageKind = MessageKind.CHAT
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Profile:
    """What users.info told us about a user; both fields are optional."""

    name: str | None = None
    tz: str | None = None


def tenant_of(enterprise_id: str | None, team_id: str | None) -> str:
    """The coach's tenant: the Enterprise Grid org when there is one, else the workspace.

    User ids are unique across a Grid org, so a rep keeps one history in all its workspaces.
    """
    tenant = enterprise_id or team_id
    if not tenant:
        raise MalformedPayload("Slack request without a team or enterprise id")
    return tenant


def clean_text(text: str, *, bot_user_id: str | None = None) -> str:
    """Slack's encoded message text back to what the user typed, minus the @coach mention."""
    if bot_user_id:
        text = text.replace(f"<@{bot_user_id}>", " ")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    # https://api.slack.com/reference/surfaces/formatting#escaping (decode &amp; last).
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text.strip()


@_reads_payload
def message_turn(
    event: Mapping[str, Any], *, tenant: str, event_id: str, bot_user_id: str | None
) -> SlackTurn:
    """A DM or an @mention. Mentions are answered in a thread; a DM is one conversation,
    except inside a thread of it."""
    channel = str(event["channel"])
    thread_ts = event.get("thread_ts")
    top_of_dm = event.get("channel_type") == "im" and not thread_ts
    thread = channel if top_of_dm else f"{channel}:{thread_ts or event['ts']}"
    return SlackTurn(
        tenant=tenant,
        user=str(event["user"]),
        text=clean_text(str(event.get("text") or ""), bot_user_id=bot_user_id),
        key=f"event:{event_id}",
        channel=channel,
        thread=thread,
        sent_at=datetime.fromtimestamp(float(event["ts"]), UTC),
    )


@_reads_payload
def command_turn(command: Mapping[str, Any], *, tenant: str, kind: MessageKind) -> SlackTurn:
    """A slash command; its memory is the user's commands in that conversation."""
    return SlackTurn(
        tenant=tenant,
        user=str(command["user_id"]),
        text=clean_text(str(command.get("text") or "")),
        key=f"command:{command['trigger_id']}",
        channel=command.get("channel_id"),
        thread=command.get("channel_id"),
        kind=kind,
    )


@_reads_payload
def shortcut_turn(shortcut: Mapping[str, Any], *, tenant: str) -> SlackTurn:
    """The "Coach this draft" message shortcut: the chosen message is the draft."""
    message = shortcut.get("message") or {}
    channel = (shortcut.get("channel") or {}).get("id")
    root = message.get("thread_ts") or message.get("ts")
    return SlackTurn(
        tenant=tenant,
        user=str(shortcut["user"]["id"]),
        text=clean_text(str(message.get("text") or "")),
        key=f"shortcut:{shortcut['trigger_id']}",
        channel=channel,
        thread=f"{channel}:{root}" if channel and root else channel,
    )


def resolve_zone(name: str | None, default: str | None) -> tzinfo:
    """The user's IANA zone, else the configured default, else UTC."""
    for candidate in (name, default):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return UTC


def to_incoming(
    turn: SlackTurn,
    profile: Profile,
    *,
    default_tz: str | None,
    now: datetime,
    files: tuple[Attachment, ...] = (),
    text: str | None = None,
) -> IncomingMessage:
    """The neutral message; `now` is the event's time (or the clock) in the user's zone."""
    zone = resolve_zone(profile.tz, default_tz)
    return IncomingMessage(
        platform=Platform.SLACK,
        tenant=turn.tenant,
        user=turn.user,
        user_name=profile.name,
        text=turn.text if text is None else text,
        now=(turn.sent_at or now).astimezone(zone),
        channel=turn.channel,
        thread=turn.thread,
        kind=MessageKind.REVIEW if files else turn.kind,
        files=files,
        idempotency_key=turn.key,
    )


@dataclass(frozen=True)
class ButtonPress:
    """A click on a commitment button, wherever the button was."""

    action_id: str
    commitment_id: int
    in_home: bool
    response_url: str | None
    blocks: tuple[Mapping[str, Any], ...]


@_reads_payload
def button_press(body: Mapping[str, Any]) -> ButtonPress:
    """The clicked button of a block_actions payload; MalformedPayload on a forged value.

    Home tab clicks carry no response_url; ephemeral messages carry no blocks
    (https://api.slack.com/reference/interaction-payloads/block-actions).
    """
    action = body["actions"][0]
    message = body.get("message") or {}
    return ButtonPress(
        action_id=str(action["action_id"]),
        commitment_id=int(action["value"]),
        in_home=(body.get("container") or {}).get("type") == "view",
        response_url=body.get("response_url"),
        blocks=tuple(message.get("blocks") or ()),
    )


@dataclass(frozen=True)
class TrustAnswers:
    """A submitted self-assessment: one answer per statement, or an error per bad block."""

    answers: tuple[int, ...]
    errors: dict[str, str]


@_reads_payload
def trust_answers(view: Mapping[str, Any]) -> TrustAnswers:
    """The 1-5 answers in a trust modal's view_submission state
    (https://api.slack.com/reference/interaction-payloads/views#view_submission).

    Every statement must be answered with one of the offered values; anything else gets an
    error on its block, which Slack shows under that input (`response_action: errors`).
    """
    values = (view.get("state") or {}).get("values") or {}
    answers: list[int] = []
    errors: dict[str, str] = {}
    for number in range(1, len(STATEMENTS) + 1):
        block_id = trust_block_id(number)
        chosen = ((values.get(block_id) or {}).get(TRUST_ANSWER_ID) or {}).get("selected_option")
        value = str((chosen or {}).get("value", ""))
        if value in LIKERT_VALUES:
            answers.append(int(value))
        else:
            errors[block_id] = MISSING_ANSWER
    return TrustAnswers(answers=tuple(answers) if not errors else (), errors=errors)
