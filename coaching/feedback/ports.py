"""What feedback on answers needs from a store: the rating, the turn it is about, who gave it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from coaching.ports import UserRef
from coaching.team.ports import AuditNote, Member
from coaching.types import (
    Platform,
)


class Verdict(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Rated:
    """One stored rating, with the answer it is about, for `coach feedback`."""

    id: int
    at: datetime
    user: str
    key: str
    verdict: Verdict
    comment: str | None
    codes: tuple[str, ...]
    review: bool
    answered_at: datetime
    text: str | None


class FeedbackStore(Protocol):
    async def member(self, who: UserRef) -> Member | None: ...

    async def audit(self, who: UserRef, actor: Member | None, note: AuditNote) -> None: ...

    async def rate(
        self, who: UserRef, *, key: str, verdict: Verdict, comment: str | None, at: datetime
    ) -> bool:
        """Store or update `who`'s rating of their own answer `key`; False when `key` is
        not an answer given to `who`."""
        ...

    async def ratings(self, who: UserRef, *, since: datetime | None) -> list[Rated]:
        """Every rating in `who`'s tenant (from `since` on), newest first."""
        ...

    async def remember_reply(self, *, platform: Platform, key: str, reply_ref: str) -> None:
        """Note which posted message answered event `key`."""
        ...

    async def key_of_reply(self, who: UserRef, reply_ref: str) -> str | None:
        """The event key `reply_ref` answered, if that answer was given to `who`."""
        ...
