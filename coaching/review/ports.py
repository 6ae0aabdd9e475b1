"""What reviews need from a store: each rep's earlier reviews of the same proposal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from coaching.ports import UserRef
from coaching.types import (
    Commitment,
    Finding,
    ScorecardEntry,
)


@dataclass(frozen=True)
class StoredReview:
    """One review as history keeps it: enough to say later what changed."""

    title: str | None
    text_sha256: str
    findings: tuple[Finding, ...]
    scorecard: tuple[ScorecardEntry, ...]
    at: datetime


class ReviewHistory(Protocol):
    async def save_review(
        self, *, who: UserRef, review: StoredReview, suggested: Sequence[Commitment]
    ) -> list[Commitment]:
        """Store the review and its suggested commitments together; those, with ids."""
        ...

    async def recent_reviews(self, *, who: UserRef, limit: int) -> list[StoredReview]:
        """This rep's reviews, newest first."""
        ...
