"""Weekly digests and reminders as Teams cards: the Teams `bot.delivery.DigestSender`.

A bot may only write into a conversation it has a stored reference for, so each item goes
through `send_proactive`, labelled AI-generated (its content is what the coach drew from
the reps' messages). Only a `sent` item counts as delivered. A reference Teams
refuses for good (403, 404) is marked stale there and reported here; the next run finds
it stale and skips the call, so a blocked or uninstalled bot is never hammered, until the
user talks to the coach again and a fresh reference brings the item through. A recipient
with no reference at all (they never wrote to the coach) gets the app installed first when
proactive install is on (`bot.teams.app_install`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from bot.outbox import commitment_lines, plural, reminder_title
from bot.teams.app_install import ProactiveInstaller, open_installer
from bot.teams.cards import (
    Card,
    build_adaptive_card,
    build_clipped_text,
    build_heading,
    build_text_block,
)
from bot.teams.hosting import build_connections, teams_outbound
from bot.teams.proactive import Delivery, Outbound, send_proactive
from coaching.digests.model import Digest, RepDigest
from coaching.digests.ports import Outgoing, Reminder
from coaching.ports import UserRef
from coaching.types import Party, Platform
from config.settings import Settings
from storage.references import SqlConversationReferences

log = logging.getLogger(__name__)

# Teams refuses messages over ~28 KB: a digest shows this many reps, then says how many more.
MAX_DIGEST_REPS = 20
EMPTY_TEAM = "Nobody reports to you yet, so there is nothing to prepare for this week."
COMMITMENTS_HINT = "Type **commitments** to mark it done or snooze it."


class TeamsDigestSender:
    """Sends each item as one card into its recipient's latest conversation with the coach."""

    def __init__(self, settings: Settings, references: SqlConversationReferences) -> None:
        self._settings = settings
        self._references = references

    @property
    def platform(self) -> Platform:
        return Platform.TEAMS

    async def send(self, items: Sequence[Outgoing]) -> set[str]:
        """The keys Teams accepted; the adapter lives for this batch only, so a scheduled
        job needs no running server."""
        connections = build_connections(self._settings)
        outbound = teams_outbound(self._settings, self._references, connections)
        async with open_installer(self._settings, connections, self._references) as installer:
            return {item.key for item in items if await _deliver(outbound, item, installer)}


async def _deliver(
    outbound: Outbound, item: Outgoing, installer: ProactiveInstaller | None
) -> bool:
    recipient = item.recipient
    who = UserRef(platform=recipient.platform, tenant=recipient.tenant, user=recipient.user)
    card = build_card(item)
    outcome = await send_proactive(outbound, who, card, ai_generated=True)
    if outcome is Delivery.NO_REFERENCE and installer is not None and await installer.reach(who):
        outcome = await send_proactive(outbound, who, card, ai_generated=True)
    if outcome is not Delivery.SENT:
        log.warning("Teams did not take %s: %s", item.key, outcome.value)
    return outcome is Delivery.SENT


def build_card(item: Outgoing) -> Card:
    """The one card an item becomes: its digest or its reminder."""
    if item.digest is not None:
        return build_digest_card(item.digest)
    if item.reminder is None:
        raise ValueError(f"{item.key} carries neither a digest nor a reminder")
    return build_reminder_card(item.reminder)


def build_digest_card(digest: Digest) -> Card:
    """A manager's digest: one container per rep, with the questions for the 1:1."""
    window = f"{digest.window_start:%d %b} - {digest.window_end:%d %b}"
    body: list[dict[str, Any]] = [
        build_heading(f"Your team this week ({digest.iso_week})"),
        build_text_block(f"{window} · {digest.note}", subtle=True),
    ]
    shown = digest.reps[:MAX_DIGEST_REPS]
    body.extend(_rep_container(rep) for rep in shown)
    if not digest.reps:
        body.append(build_text_block(EMPTY_TEAM))
    if len(digest.reps) > len(shown):
        more = plural(len(digest.reps) - len(shown), "more rep")
        body.append(build_text_block(f"…and {more}.", subtle=True))
    return build_adaptive_card(body)


def build_reminder_card(reminder: Reminder) -> Card:
    if reminder.party is Party.CUSTOMER:
        who = reminder.counterpart or "The customer"
        detail = (
            f"{who} agreed to this, {reminder.due_words}. If it hasn't happened, check in kindly."
        )
    else:
        to = f" to {reminder.counterpart}" if reminder.counterpart else ""
        detail = f"You promised this{to}. Need more time? Tell them a new date first."
    return build_adaptive_card(
        [
            build_heading(reminder_title(reminder)),
            build_text_block(detail),
            build_text_block(COMMITMENTS_HINT),
        ]
    )


def _rep_container(rep: RepDigest) -> dict[str, Any]:
    items = [
        build_text_block(rep.name, weight="Bolder"),
        *(build_text_block(build_clipped_text(line)) for line in _rep_lines(rep)),
    ]
    items.append(build_text_block("Ask in your 1:1:", weight="Bolder"))
    items.extend(
        build_text_block(f"- {build_clipped_text(question)}") for question in rep.questions
    )
    return {"type": "Container", "separator": True, "items": items}


def _rep_lines(rep: RepDigest) -> list[str]:
    lines = commitment_lines(rep)
    for item in rep.items:
        evidence = f" ({item.evidence})" if item.evidence else ""
        lines.append(f"- {item.title}{evidence}")
    if rep.trust_gaps:
        lines.append("Coaching codes: " + ", ".join(f"{g.code} x{g.count}" for g in rep.trust_gaps))
    return lines
