"""Reminders: each live commitment gets one the day before it is due and one on the day.

"Exactly once" lives in the database: the store claims a reminder by setting its
`reminded_*` timestamp only where it is still empty, in the same transaction that decides
to send. A racing worker finds it set and skips it. A send that fails clears the claim
again, so the next run retries it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from coaching.outbound import Outbound, Outgoing, Reminder
from coaching.team import Clock, Member
from coaching.tracking import ReminderCandidate, ReminderKind, reminder_date, reminder_due

Claims = Mapping[ReminderKind, Sequence[int]]


class ReminderStore(Protocol):
    async def reminder_candidates(
        self, *, around: datetime
    ) -> list[tuple[ReminderCandidate, Member]]:
        """Live commitments whose reminder day is within a day or two of `around`, with
        their owners, where at least one reminder is still unsent."""
        ...

    async def claim_reminders(
        self, claims: Claims, *, at: datetime
    ) -> dict[ReminderKind, set[int]]:
        """Mark reminders sent where still unmarked; the commitment ids this run owns."""
        ...

    async def release_reminders(self, claims: Claims) -> None:
        """Unmark reminders whose send failed, so the next run tries again."""
        ...


class ReminderService:
    def __init__(self, store: ReminderStore, outbound: Outbound) -> None:
        self._store = store
        self._outbound = outbound

    async def run(self, clock: Clock) -> list[Reminder]:
        """Send the reminders due today in each owner's zone; the ones delivered."""
        candidates = await self._store.reminder_candidates(around=clock.local(None))
        planned: dict[ReminderKind, list[int]] = {kind: [] for kind in ReminderKind}
        notes: dict[tuple[ReminderKind, int], tuple[Reminder, Member]] = {}
        for candidate, owner in candidates:
            if owner.platform not in self._outbound.platforms:
                continue
            today = clock.local(owner.time_zone).date()
            kind = reminder_due(candidate, today)
            if kind is not None:
                planned[kind].append(candidate.tracked.id)
                notes[kind, candidate.tracked.id] = (_reminder(candidate, kind, owner), owner)
        claimed = await self._store.claim_reminders(planned, at=clock.local(None))
        items = [
            Outgoing(_key(note), owner, reminder=note)
            for kind, ids in claimed.items()
            for note, owner in (notes[kind, cid] for cid in sorted(ids))
        ]
        delivered = await self._outbound.deliver(items) if items else set()
        failed = _failed(items, delivered)
        if failed:
            await self._store.release_reminders(failed)
        return [item.reminder for item in items if item.key in delivered and item.reminder]


def _reminder(candidate: ReminderCandidate, kind: ReminderKind, owner: Member) -> Reminder:
    c = candidate.tracked.commitment
    return Reminder(
        commitment_id=candidate.tracked.id,
        when=kind,
        text=c.text,
        kind=c.kind,
        counterpart=c.counterpart,
        due=reminder_date(candidate.tracked),
        party=c.party,
        rep=owner.user,
    )


def _key(note: Reminder) -> str:
    return f"reminder:{note.commitment_id}:{note.when.value}:{note.due}"


def _failed(items: list[Outgoing], delivered: set[str]) -> dict[ReminderKind, list[int]]:
    failed: dict[ReminderKind, list[int]] = {}
    for item in items:
        if item.key not in delivered and item.reminder is not None:
            failed.setdefault(item.reminder.when, []).append(item.reminder.commitment_id)
    return failed
