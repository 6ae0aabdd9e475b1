"""The console outbox: where the embedded default delivers digests and reminders.

Without Slack or Teams there is nobody to post to, so proactive messages are stored in the
coach's own database (table `outbox_messages`) and read with `coach outbox --user ID`. A
database table rather than files keeps delivery transactional and shared by every worker,
and its unique key stores a retried message once. The plain-text renderings here are what
the console shows; Slack and Teams render the same `Digest` and `Reminder` their own way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from coaching.digests.model import Digest, RepDigest
from coaching.digests.ports import Outgoing, Reminder
from coaching.types import Party, Platform
from storage.outbox_repo import OutboxEntry, SqlOutbox


class ConsoleOutbox:
    """A `bot.delivery.DigestSender` for the console platform."""

    def __init__(self, outbox: SqlOutbox) -> None:
        self._outbox = outbox

    @property
    def platform(self) -> Platform:
        return Platform.CONSOLE

    async def send(self, items: Sequence[Outgoing]) -> set[str]:
        return await self._outbox.put([_entry(item) for item in items])


def _entry(item: Outgoing) -> OutboxEntry:
    if item.digest is not None:
        return OutboxEntry(
            recipient_id=item.recipient.id,
            kind="digest",
            dedupe_key=item.key,
            title=f"Your team this week ({item.digest.iso_week})",
            body=render_digest(item.digest),
            payload=item.digest.packed_json,
        )
    if item.reminder is None:
        raise ValueError(f"{item.key} carries neither a digest nor a reminder")
    return OutboxEntry(
        recipient_id=item.recipient.id,
        kind="reminder",
        dedupe_key=item.key,
        title=reminder_title(item.reminder),
        body=render_reminder(item.reminder),
        payload=item.reminder.model_dump(mode="json"),
    )


def render_digest(digest: Digest) -> str:
    """The digest as plain text, one block per rep."""
    head = f"Weekly digest for {digest.manager_name}, {digest.iso_week}"
    window = f"{digest.window_start:%d %b} - {digest.window_end:%d %b}"
    blocks = [f"{head} ({window})\n{digest.note}"]
    blocks += [_render_rep(section) for section in digest.reps]
    if not digest.reps:
        blocks.append("Nobody reports to you yet: add reps with 'coach team add REP_ID'.")
    return "\n\n".join(blocks)


def _render_rep(rep: RepDigest) -> str:
    lines = [f"== {rep.name} ==", *commitment_lines(rep)]
    for item in rep.items:
        evidence = f" [{item.evidence}]" if item.evidence else ""
        lines.append(f"- {item.title}{evidence}")
    if rep.trust_gaps:
        codes = ", ".join(f"{gap.code} x{gap.count}" for gap in rep.trust_gaps)
        lines.append(f"Coaching codes this week: {codes}")
    lines.append("Ask in your 1:1:")
    lines += [f"  * {question}" for question in rep.questions]
    return "\n".join(lines)


def commitment_lines(rep: RepDigest) -> list[str]:
    """A rep's week in commitments, in the same words on every platform's digest."""
    lines: list[str] = []
    if rep.done_this_week:
        on_time = sum(1 for line in rep.done_this_week if line.on_time)
        lines.append(f"Done this week: {len(rep.done_this_week)} ({on_time} on time)")
    for line in rep.overdue:
        what = "Customer step " if line.party is Party.CUSTOMER else ""
        lines.append(f"{(what + line.due_words).capitalize()}: {line.text}")
    lines += [
        f"{line.due_words.capitalize()} ({_calendar_day(line.due)}): {line.text}"
        for line in rep.due_next_week
    ]
    return lines


@lru_cache(maxsize=1024)
def _calendar_day(day: date | None) -> str:
    """ "Fri 06 Mar": formatted once per date, as a run shows ~20,000 lines on a few dates."""
    return f"{day:%a %d %b}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def reminder_title(reminder: Reminder) -> str:
    """ "Due tomorrow: ...", "Overdue by 4 days: ...": the promised date's words, every platform."""
    return f"{reminder.due_words.capitalize()}: {reminder.text}"


def render_reminder(reminder: Reminder) -> str:
    words = reminder.due_words
    if reminder.party is Party.CUSTOMER:
        who = reminder.counterpart or "The customer"
        return (
            f"{who} agreed to this ({words}): {reminder.text}. If it hasn't happened, a "
            "friendly check-in keeps the deal moving."
        )
    to = f" to {reminder.counterpart}" if reminder.counterpart else ""
    return (
        f"You promised{to}: {reminder.text} ({words}, #{reminder.commitment_id}). "
        f"Done? 'coach commitments done {reminder.commitment_id}'. Need more time? Tell "
        f"them a new date, then 'coach commitments edit {reminder.commitment_id} --due ...'."
    )
