"""Weekly digests: preview one, or send every digest that is due, exactly once per week.

Sending is claim, send, record. The claim writes the delivery record (unique per manager
and ISO week) as `pending`, stamped with the run's clock, before anything leaves the
process, so a second run or a racing worker finds the claim and skips that manager. A send
that fails is marked `failed` and the next run claims it again; one that succeeds is marked
`sent`. A claim holds a lease (`DELIVERY_LEASE`): a run that dies between claim and record
leaves the week `pending`, and the first run whose clock is past the lease takes it over,
in one conditional update that exactly one of several racing runs wins, and sends it.
Only the run whose claim still stands records the outcome.

A takeover re-sends what the dead run may already have delivered. The console outbox
stores a message once per key, so there it never duplicates. On Slack and Teams the
manager gets the digest twice only when the dead run had it accepted by the platform and
died before recording the batch as sent (the record follows the whole batch's platform
calls), or when a live run is still sending when its lease runs out.

The data is read for all due managers at once (a constant number of queries however many
reps there are) and the digests are built in memory by `coaching.digests.build`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from coaching.digests.build import CALENDAR_DAYS, WINDOW_DAYS, build_digest
from coaching.digests.model import Digest, iso_week
from coaching.digests.ports import (
    DigestStore,
    ManagerSlot,
    Outbound,
    Outgoing,
    Schedule,
    TeamSnapshot,
)
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, Member
from coaching.team.rules import Clock, check_can_preview, forbidden
from coaching.types import Role

DELIVERY_LEASE = timedelta(minutes=35)
"""How long a claim on a digest or reminder holds before another run may take it over;
longer than the 30 minutes the job queue lets a run last, so a live run keeps what it
claimed."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def lease_lapsed_before(at: datetime) -> datetime:
    """Claims taken at or before this instant have outlived their lease at `at`."""
    return at - DELIVERY_LEASE


@dataclass(frozen=True)
class RunReport:
    digests: list[Digest]
    skipped: int
    failed: int


def is_due(slot: ManagerSlot, now: datetime) -> bool:
    """Whether this ISO week's slot has come, at `now` in the manager's zone (catching up
    later in the week if no run happened at the hour itself)."""
    monday = now.date() - timedelta(days=now.weekday())
    day = monday + timedelta(days=slot.schedule.weekday)
    return (now.date(), now.hour) >= (day, slot.schedule.hour)


class DigestService:
    def __init__(self, store: DigestStore, outbound: Outbound) -> None:
        self._store = store
        self._outbound = outbound

    async def preview(self, who: UserRef, manager: str, clock: Clock) -> Digest:
        """The digest `manager` would get now; for that manager or an admin of the tenant."""
        actor = await self._store.member(who)
        target = (await self._store.members(who, [manager])).get(manager)
        try:
            if actor is None or (actor.role is not Role.ADMIN and actor.user != manager):
                raise forbidden("A weekly digest is for its manager (or an admin) only.")
            if target is None or target.role is not Role.MANAGER:
                raise CoachingError("team.unknown_manager", f"There is no manager {manager} here.")
            check_can_preview(actor, target)
        except CoachingError as error:
            note = AuditNote("refused.nudges.preview", manager, {"code": error.code})
            await self._store.audit(who, actor, note)
            raise
        now = clock.local(target.time_zone)
        snapshot = await self._store.snapshot(
            manager_ids=[target.id], since=_since(now), until=_until(now)
        )
        await self._store.audit(who, actor, AuditNote("nudges.preview", manager))
        return _build(target, snapshot, now)

    async def run(self, clock: Clock) -> RunReport:
        """Send every digest that is due and not yet sent (nor held by a live claim) this week."""
        at = clock.local(None)
        lapsed_before = lease_lapsed_before(at)
        slots = await self._store.managers()
        todo = await self._unsent(slots, clock, lapsed_before)
        digests = await self._build_all(todo)
        claimed = sorted(
            await self._store.claim(list(digests.items()), at=at, lapsed_before=lapsed_before)
        )
        keys = {mid: f"digest:{mid}:{digests[mid].iso_week}" for mid in claimed}
        items = [Outgoing(keys[mid], todo[mid][0], digest=digests[mid]) for mid in claimed]
        delivered = await self._outbound.deliver(items) if items else set()
        sent = [mid for mid in claimed if keys[mid] in delivered]
        failed = [mid for mid in claimed if keys[mid] not in delivered]
        if claimed:
            await self._store.finish(
                sent=[(mid, digests[mid].iso_week) for mid in sent],
                failed=[(mid, digests[mid].iso_week) for mid in failed],
                at=at,
            )
        return RunReport(
            [digests[mid] for mid in sent], skipped=len(slots) - len(claimed), failed=len(failed)
        )

    async def _unsent(
        self, slots: list[ManagerSlot], clock: Clock, lapsed_before: datetime
    ) -> dict[int, tuple[Member, datetime]]:
        """Managers whose slot has come this week, on a platform we can reach, not yet sent
        (new, failed before, or claimed by a run whose lease has lapsed), with their local
        now."""
        due = {
            slot.manager.id: (slot.manager, now)
            for slot in slots
            if slot.manager.platform in self._outbound.platforms
            and is_due(slot, now := clock.local(slot.manager.time_zone))
        }
        states = await self._store.delivery_states(
            [(mid, iso_week(now.date())) for mid, (_, now) in due.items()]
        )
        return {
            mid: (manager, now)
            for mid, (manager, now) in due.items()
            if (state := states.get((mid, iso_week(now.date())))) is None
            or state.claimable(lapsed_before)
        }

    async def _build_all(self, todo: dict[int, tuple[Member, datetime]]) -> dict[int, Digest]:
        """Digests for every manager in `todo` that has reps, from one snapshot."""
        if not todo:
            return {}
        nows = [now for _, now in todo.values()]
        snapshot = await self._store.snapshot(
            manager_ids=sorted(todo),
            since=min(_since(now) for now in nows),
            until=max(_until(now) for now in nows),
        )
        teams = _by_manager(snapshot)
        return {
            mid: _build(manager, teams[mid], now)
            for mid, (manager, now) in todo.items()
            if teams.get(mid) and teams[mid].reps
        }

    async def set_schedule(self, who: UserRef, weekday: int, hour: int) -> Schedule:
        """A manager picks their own digest day and hour (in their zone)."""
        actor = await self._store.member(who)
        if actor is None or actor.role is not Role.MANAGER:
            await self._store.audit(who, actor, AuditNote("refused.nudges.schedule", who.user))
            raise forbidden("Only a manager has a weekly digest to schedule.")
        schedule = Schedule(weekday=weekday, hour=hour)
        await self._store.set_schedule(actor.id, schedule)
        note = AuditNote("nudges.schedule", who.user, {"weekday": weekday, "hour": hour})
        await self._store.audit(who, actor, note)
        return schedule


def _since(now: datetime) -> datetime:
    """The start of the digest's look-back window, with a day to spare for zone offsets."""
    return now - timedelta(days=WINDOW_DAYS + 1)


def _until(now: datetime) -> date:
    return now.date() + timedelta(days=CALENDAR_DAYS + 1)


def _build(manager: Member, team: TeamSnapshot, now: datetime) -> Digest:
    reps = [rep for rep in team.reps if rep.manager_id == manager.id]
    return build_digest(
        manager=manager,
        reps=reps,
        commitments=team.commitments,
        deals=team.deals,
        findings=team.findings,
        now=now,
    )


def _by_manager(snapshot: TeamSnapshot) -> dict[int, TeamSnapshot]:
    """Split one snapshot into one per manager, so each digest reads only its own team."""
    manager_of = {rep.id: rep.manager_id for rep in snapshot.reps if rep.manager_id is not None}
    teams = {manager: TeamSnapshot() for manager in set(manager_of.values())}
    for rep in snapshot.reps:
        if rep.id in manager_of:
            teams[manager_of[rep.id]].reps.append(rep)
    for tracked in snapshot.commitments:
        if tracked.owner_id in manager_of:
            teams[manager_of[tracked.owner_id]].commitments.append(tracked)
    for deal in snapshot.deals:
        if deal.owner_id in manager_of:
            teams[manager_of[deal.owner_id]].deals.append(deal)
    for mark in snapshot.findings:
        if mark.owner_id in manager_of:
            teams[manager_of[mark.owner_id]].findings.append(mark)
    return teams
