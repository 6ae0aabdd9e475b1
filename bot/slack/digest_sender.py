"""Weekly digests and reminders as Slack DMs: the Slack `bot.delivery.DigestSender`.

The coach writes first here, so it opens the DM itself (conversations.open, which returns
the existing one when there is one) and posts Block Kit built by the pure `build_*`
functions below. Every item is exactly one message, so an item is either wholly delivered
or not at all: a failed item is left out of the delivered keys and the next run retries
it, without ever posting half of it twice.

Each item goes out with the bot token of its recipient's workspace: the one
`SLACK_BOT_TOKEN` names for a single-workspace install, else the one stored for the
recipient's tenant when the workspace installed the coach through OAuth
(`bot.slack.tokens`). A tenant with no installation (never installed,
or uninstalled since) fails its items, and a later run retries them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

from aiohttp import ClientSession
from slack_sdk.web.async_client import AsyncWebClient

from bot.outbox import commitment_lines, plural, reminder_title
from bot.slack.blocks import (
    MAX_BLOCKS,
    Block,
    SlackMessage,
    build_commitment_actions,
    build_context,
    build_plain_text,
    build_sections,
    neutralise,
)
from bot.slack.delivery import DELIVERY_ERRORS, web_client
from bot.slack.tokens import SlackTokens
from coaching.digests.model import Digest, RepDigest
from coaching.digests.ports import Outgoing, Reminder
from coaching.types import Commitment, CommitmentStatus, Party, Platform
from config.settings import Settings

log = logging.getLogger(__name__)

EMPTY_TEAM = "Nobody reports to you yet, so there is nothing to prepare for this week."


class SlackDigestSender:
    """Posts each item into its recipient's DM with their workspace's bot, one message each."""

    def __init__(self, settings: Settings, tokens: SlackTokens) -> None:
        self._settings = settings
        self._tokens = tokens

    @property
    def platform(self) -> Platform:
        return Platform.SLACK

    async def send(self, items: Sequence[Outgoing]) -> set[str]:
        """The keys of the items Slack accepted; 429s are retried by the client first."""
        delivered: set[str] = set()
        async with ClientSession() as session:
            for tenant, batch in _by_tenant(items).items():
                token = await self._tokens.for_tenant(tenant)
                if token is None:
                    log.warning(
                        "Slack tenant %s has no installation of the coach; %s left for the "
                        "next run",
                        tenant,
                        plural(len(batch), "item"),
                    )
                    continue
                client = web_client(self._settings, session, token)
                delivered |= {item.key for item in batch if await _deliver(client, item)}
        return delivered


def _by_tenant(items: Sequence[Outgoing]) -> dict[str, list[Outgoing]]:
    batches: dict[str, list[Outgoing]] = defaultdict(list)
    for item in items:
        batches[item.recipient.tenant].append(item)
    return batches


async def _deliver(client: AsyncWebClient, item: Outgoing) -> bool:
    """Whether one item reached its recipient; a failure is logged and left for next run."""
    try:
        opened = await client.conversations_open(users=item.recipient.user)
        channel = str(opened["channel"]["id"])
        await client.chat_postMessage(channel=channel, **build_message(item))
    except (*DELIVERY_ERRORS, KeyError, TypeError):
        log.warning("Slack did not take %s; the next run retries it", item.key, exc_info=True)
        return False
    return True


def build_message(item: Outgoing) -> SlackMessage:
    """The one message an item becomes: its digest or its reminder."""
    if item.digest is not None:
        return build_digest_blocks(item.digest)
    if item.reminder is None:
        raise ValueError(f"{item.key} carries neither a digest nor a reminder")
    return build_reminder_blocks(item.reminder)


def build_digest_blocks(digest: Digest) -> SlackMessage:
    """A manager's digest in one message: whole reps while they fit in 50 blocks, then a
    line saying how many were left out (a second message could fail on its own)."""
    head: list[Block] = [
        {"type": "header", "text": build_plain_text(f"Your team this week ({digest.iso_week})")},
        build_context(neutralise(f"{_window(digest)} · {digest.note}")),
    ]
    units = [_rep_blocks(rep) for rep in digest.reps] or [build_sections(EMPTY_TEAM)]
    shown = _fitting(units, MAX_BLOCKS - len(head) - 1)
    blocks = head + [block for unit in shown for block in unit]
    if len(shown) < len(units):
        blocks.append(build_context(f"…and {plural(len(units) - len(shown), 'more rep')}."))
    summary = f"Your weekly digest for {digest.iso_week}: {plural(len(digest.reps), 'rep')}"
    return SlackMessage(text=neutralise(summary), blocks=blocks)


def build_reminder_blocks(reminder: Reminder) -> SlackMessage:
    """A reminder with the commitment's buttons, which the existing button handlers answer
    (the block ids are the ones `bot.slack.blocks` gives every commitment)."""
    commitment = Commitment(
        id=reminder.commitment_id,
        text=reminder.text,
        kind=reminder.kind,
        due=reminder.due,
        counterpart=reminder.counterpart,
        party=reminder.party,
        status=CommitmentStatus.OPEN,
    )
    blocks = [*build_sections(_reminder_text(reminder)), *build_commitment_actions(commitment)]
    return SlackMessage(text=neutralise(reminder_title(reminder)), blocks=blocks)


def _fitting(units: Sequence[list[Block]], room: int) -> list[list[Block]]:
    """The leading units whose blocks fit in `room` (all of them when they all fit)."""
    if sum(len(unit) for unit in units) <= room + 1:
        return list(units)
    shown: list[list[Block]] = []
    used = 0
    for unit in units:
        if used + len(unit) > room:
            break
        shown.append(unit)
        used += len(unit)
    return shown


def _window(digest: Digest) -> str:
    return f"{digest.window_start:%d %b} - {digest.window_end:%d %b}"


def _rep_blocks(rep: RepDigest) -> list[Block]:
    """A divider and the rep's section(s): split at 3000 characters, never cut mid-rep."""
    return [{"type": "divider"}, *build_sections("\n".join(_rep_lines(rep)))]


def _rep_lines(rep: RepDigest) -> list[str]:
    lines = [f"*{rep.name}*", *commitment_lines(rep)]
    for item in rep.items:
        evidence = f" _{item.evidence}_" if item.evidence else ""
        lines.append(f"• {item.title}{evidence}")
    if rep.trust_gaps:
        lines.append("Coaching codes: " + ", ".join(f"{g.code} x{g.count}" for g in rep.trust_gaps))
    lines.append("*Ask in your 1:1*")
    lines += [f"• {question}" for question in rep.questions]
    return lines


def _reminder_text(reminder: Reminder) -> str:
    words = reminder.due_words
    if reminder.party is Party.CUSTOMER:
        who = reminder.counterpart or "The customer"
        return (
            f"*{who} agreed to this, {words}:* {reminder.text}\n"
            "If it hasn't happened, a friendly check-in keeps the deal moving."
        )
    to = f" to {reminder.counterpart}" if reminder.counterpart else ""
    return (
        f"*You promised{to}, {words}:* {reminder.text}\n"
        "Done? Press Done. Need more time? Tell them a new date, then snooze it."
    )
