"""What commitments need from a store: the port and the values that cross it.

A captured commitment lives on as a `Tracked`, changed by a `Change` the rules in
`coaching.commitments.tracking` decide; `storage/` implements `CommitmentStore` and imports
nothing else from this package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from coaching.ports import UserRef
from coaching.team.ports import AuditNote, Member
from coaching.types import Commitment, CommitmentStatus


class CommitmentStore(Protocol):
    async def member(self, who: UserRef) -> Member | None: ...

    async def members(self, who: UserRef, users: Sequence[str]) -> dict[str, Member]: ...

    async def tracked(
        self, *, owner_id: int, statuses: Sequence[CommitmentStatus] | None
    ) -> list[Tracked]:
        """The owner's commitments, soonest due first, undated last."""
        ...

    async def tracked_one(self, commitment_id: int) -> tuple[Tracked, Member] | None:
        """A commitment and its owner, whoever that is (the caller authorizes)."""
        ...

    async def apply(
        self, *, commitment_id: int, expected: CommitmentStatus, change: Change, at: datetime
    ) -> Tracked | None:
        """Store `change` if the status is still `expected`; None if it moved meanwhile."""
        ...

    async def audit(self, who: UserRef, actor: Member | None, note: AuditNote) -> None: ...


@dataclass(frozen=True, slots=True)
class Tracked:
    """A stored commitment with what tracking needs beyond the contract's fields."""

    commitment: Commitment
    owner_id: int
    snoozed_until: date | None = None
    updated_at: datetime | None = None

    @property
    def id(self) -> int:
        return self.commitment.id or 0


@dataclass(frozen=True, slots=True)
class Change:
    """The new state of a commitment; `restart_reminders` when its date moved."""

    status: CommitmentStatus
    due: date | None
    snoozed_until: date | None
    restart_reminders: bool


class ReminderKind(StrEnum):
    DAY_BEFORE = "day_before"
    DUE_DAY = "due_day"


@dataclass(frozen=True, slots=True)
class ReminderCandidate:
    """A live commitment near its date, with the reminders already sent for it."""

    tracked: Tracked
    day_before_sent: bool
    due_day_sent: bool
