"""Reminders: each live commitment gets one the day before it is due and one on the day.

"Exactly once" lives in the database: the store claims a reminder by stamping its
`reminded_*` time (the run's clock) and marking it pending, only where it is unclaimed, in
one conditional update, so a racing worker finds it taken and skips it. After the send the
run records it delivered, or clears the claim of a failed send so the next run retries it.
A claim holds a lease (`DELIVERY_LEASE`): a run that dies after claiming leaves the
reminder pending, and the first run whose clock is past the lease takes it over and sends
it; of several racing runs exactly one wins.

A takeover re-sends what the dead run may already have delivered. The console outbox
stores a message once per key, so there it never duplicates. On Slack and Teams the rep
gets the reminder twice only when the dead run had it accepted by the platform and died
before recording the batch delivered (the record follows the whole batch's platform calls),
or when a live run is still sending when its lease runs out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from coaching.commitments.due import due_status
from coaching.commitments.ports import ReminderCandidate, ReminderKind
from coaching.commitments.tracking import reminder_date, reminder_due
from coaching.digests.ports import Outbound, Outgoing, Reminder, ReminderStore
from coaching.digests.service import lease_lapsed_before
from coaching.team.ports import Member
from coaching.team.rules import Clock

Planned = dict[tuple[ReminderKind, int], tuple[Reminder, Member]]


class ReminderService:
    def __init__(self, store: ReminderStore, outbound: Outbound) -> None:
        self._store = store
        self._outbound = outbound

    async def run(self, clock: Clock) -> list[Reminder]:
        """Send the reminders due today in each owner's zone; the ones delivered."""
        at = clock.local(None)
        lapsed_before = lease_lapsed_before(at)
        candidates = await self._store.reminder_candidates(around=at, lapsed_before=lapsed_before)
        planned = self._plan(candidates, clock)
        claimed = await self._store.claim_reminders(
            _ids(planned), at=at, lapsed_before=lapsed_before
        )
        items = [
            Outgoing(_key(note), owner, reminder=note)
            for kind, ids in claimed.items()
            for note, owner in (planned[kind, cid] for cid in sorted(ids))
        ]
        delivered = await self._outbound.deliver(items) if items else set()
        if items:
            await self._store.finish_reminders(
                sent=_ids_of(items, lambda key: key in delivered),
                failed=_ids_of(items, lambda key: key not in delivered),
                at=at,
            )
        return [item.reminder for item in items if item.key in delivered and item.reminder]

    def _plan(self, candidates: list[tuple[ReminderCandidate, Member]], clock: Clock) -> Planned:
        """The reminder each reachable candidate gets today in its owner's zone, if any."""
        planned: Planned = {}
        for candidate, owner in candidates:
            if owner.platform not in self._outbound.platforms:
                continue
            today = clock.local(owner.time_zone).date()
            kind = reminder_due(candidate, today)
            if kind is not None:
                note = _reminder(candidate, kind, owner, today)
                planned[kind, candidate.tracked.id] = (note, owner)
        return planned


def _reminder(
    candidate: ReminderCandidate, kind: ReminderKind, owner: Member, today: date
) -> Reminder:
    """The reminder in the words of the promised date: a snooze moved the day, not the date."""
    c = candidate.tracked.commitment
    return Reminder(
        commitment_id=candidate.tracked.id,
        when=kind,
        text=c.text,
        kind=c.kind,
        counterpart=c.counterpart,
        due=c.due,
        party=c.party,
        rep=owner.user,
        remind_on=reminder_date(candidate.tracked),
        due_words=due_status(c.due, today).words,
    )


def _key(note: Reminder) -> str:
    return f"reminder:{note.commitment_id}:{note.when.value}:{note.remind_on}"


def _ids(planned: Planned) -> dict[ReminderKind, list[int]]:
    ids: dict[ReminderKind, list[int]] = {kind: [] for kind in ReminderKind}
    for kind, commitment_id in planned:
        ids[kind].append(commitment_id)
    return ids


def _ids_of(items: list[Outgoing], chosen: Callable[[str], bool]) -> dict[ReminderKind, list[int]]:
    """The commitment ids, by reminder kind, of the items whose key is `chosen`."""
    ids: dict[ReminderKind, list[int]] = {}
    for item in items:
        if chosen(item.key) and item.reminder is not None:
            ids.setdefault(item.reminder.when, []).append(item.reminder.commitment_id)
    return ids
