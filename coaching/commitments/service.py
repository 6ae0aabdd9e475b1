"""A rep's commitments after capture: list them, confirm or dismiss, finish, snooze, cancel.

Only the owner changes a commitment. A manager may read their reps' lists and an admin
anyone's in the tenant (each such read is audited); everyone else gets the same "no such
commitment" answer whether or not the id exists, and the attempt is logged. "Today" is
the owner's, in their zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coaching.commitments.ports import CommitmentStore, Tracked
from coaching.commitments.tracking import LIVE_STATUSES, Action, plan_change
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.team.ports import AuditNote
from coaching.team.rules import Clock, can_view, forbidden


@dataclass(frozen=True)
class Listing:
    owner: str
    today: date
    items: list[Tracked]


@dataclass(frozen=True)
class Changed:
    """A commitment after a change, and the owner's today it was judged against."""

    tracked: Tracked
    today: date


class CommitmentService:
    def __init__(self, store: CommitmentStore) -> None:
        self._store = store

    async def listing(
        self, who: UserRef, clock: Clock, *, rep: str | None = None, include_closed: bool = False
    ) -> Listing:
        """The actor's live commitments (all with `include_closed`), or a rep's they may see."""
        actor = await self._store.member(who)
        owner = actor
        if rep is not None and rep != who.user:
            owner = (await self._store.members(who, [rep])).get(rep)
            if actor is None or owner is None or not can_view(actor, owner):
                error = forbidden(f"You can only see your own commitments or your reps' ({rep}).")
                await self._store.audit(who, actor, _refused("commitments.list", rep, error))
                raise error
            await self._store.audit(who, actor, AuditNote("commitments.read", rep))
        zone = owner.time_zone if owner else None
        today = clock.local(zone).date()
        if owner is None:
            return Listing(owner=who.user, today=today, items=[])
        statuses = None if include_closed else LIVE_STATUSES
        items = await self._store.tracked(owner_id=owner.id, statuses=statuses)
        return Listing(owner=owner.user, today=today, items=items)

    async def change(
        self,
        who: UserRef,
        commitment_id: int,
        action: Action,
        clock: Clock,
        *,
        due: date | None = None,
        until: date | None = None,
    ) -> Changed:
        """Apply `action` to one of the actor's own commitments, or explain why not."""
        actor = await self._store.member(who)
        found = await self._store.tracked_one(commitment_id)
        missing = CoachingError(
            "commitment.not_found",
            f"You have no commitment #{commitment_id}; see 'coach commitments list'.",
        )
        if found is None or actor is None or found[1].id != actor.id:
            if found is not None:
                await self._store.audit(
                    who, actor, _refused(f"commitments.{action.value}", str(commitment_id), missing)
                )
            raise missing
        tracked, owner = found
        today = clock.local(owner.time_zone).date()
        planned = plan_change(action, tracked, today=today, due=due, until=until)
        changed = await self._store.apply(
            commitment_id=commitment_id,
            expected=tracked.commitment.status,
            change=planned,
            at=clock.local(owner.time_zone),
        )
        if changed is None:
            raise CoachingError(
                "commitment.changed",
                f"#{commitment_id} changed while you were at it; list your commitments and retry.",
            )
        return Changed(changed, today)


def _refused(action: str, target: str, error: CoachingError) -> AuditNote:
    return AuditNote(f"refused.{action}", target, {"code": error.code})
