"""The small interface the coaching service needs from persistence.

`storage/` implements it; `coaching/` never imports the ORM. Every method is scoped by the
verified platform, tenant and user, so one rep can never read or change another's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentStatus,
    IncomingMessage,
    Platform,
    Role,
    TrustScores,
)


@dataclass(frozen=True)
class Turn:
    """One line of thread memory: who spoke, what they said, when."""

    speaker: Literal["user", "coach"]
    text: str
    at: datetime


@dataclass(frozen=True)
class SavedTurn:
    """What `save_turn` stored. `first_time` is False for a re-delivered or raced event:
    the result is the one stored before, and nothing should be sent to the user again."""

    result: CoachingResult
    first_time: bool


@dataclass(frozen=True)
class UserRef:
    """A user as the verified request names them."""

    platform: Platform
    tenant: str
    user: str


class CoachStore(Protocol):
    async def find_processed(self, *, platform: Platform, key: str) -> CoachingResult | None:
        """The result already stored for this inbound event, if it was handled before."""
        ...

    async def find_own_result(self, *, who: UserRef, key: str) -> CoachingResult | None:
        """The result stored for one of this user's own events: None for another user's
        event, one never stored, or one deleted with the user's data."""
        ...

    async def save_turn(self, *, message: IncomingMessage, result: CoachingResult) -> SavedTurn:
        """Store the turn, its findings and commitments in one transaction.

        Returns the result with commitment ids filled in. When the message's idempotency key
        was already processed (a re-delivery or a racing worker), nothing new is written and
        the result stored the first time is returned, with `first_time` False.
        """
        ...

    async def role_of(self, *, who: UserRef) -> Role:
        """The stored role of this user; rep for someone the coach has not met."""
        ...

    async def recent_turns(self, *, who: UserRef, thread: str | None, limit: int) -> list[Turn]:
        """The newest `limit` turns of this user's thread, oldest first."""
        ...

    async def list_commitments(
        self, *, who: UserRef, statuses: Sequence[CommitmentStatus] | None = None
    ) -> list[Commitment]:
        """This user's commitments, soonest due first (undated last)."""
        ...

    async def set_commitment_status(
        self, *, who: UserRef, commitment_id: int, status: CommitmentStatus
    ) -> Commitment | None:
        """Change one of this user's commitments; None when it is not theirs or not there."""
        ...


@dataclass(frozen=True)
class Assessment:
    """One completed self-assessment."""

    at: datetime
    scores: TrustScores
    answers: tuple[int, ...]


class TrustHistory(Protocol):
    async def save_assessment(self, *, who: UserRef, assessment: Assessment) -> None: ...

    async def assessments(self, *, who: UserRef, limit: int) -> list[Assessment]:
        """This user's self-assessments, newest first."""
        ...
