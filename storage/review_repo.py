"""Proposal reviews with their history, so a rep sees what improved between versions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from coaching.ports import UserRef
from coaching.review.ports import StoredReview
from coaching.types import Commitment, Finding, ScorecardEntry
from storage.models import CommitmentRow, ProposalReview
from storage.sessions import Transactions
from storage.users import ensure_user, find_user_id

Item = TypeVar("Item", bound=BaseModel)


class SqlReviewHistory(Transactions):
    """Implements `coaching.review.service.ReviewHistory` on our database."""

    async def save_review(
        self, *, who: UserRef, review: StoredReview, suggested: Sequence[Commitment]
    ) -> list[Commitment]:
        """The review row and the suggested commitments in one transaction."""
        async with self.transaction() as session:
            user = await ensure_user(session, who)
            session.add(
                ProposalReview(
                    user_id=user.id,
                    title=review.title,
                    text_sha256=review.text_sha256,
                    findings=[f.model_dump(mode="json") for f in review.findings],
                    scorecard=[e.model_dump(mode="json") for e in review.scorecard],
                    created_at=review.at,
                )
            )
            rows = [_commitment_row(user.id, c, review) for c in suggested]
            session.add_all(rows)
            await session.flush()
            return [c.model_copy(update={"id": r.id}) for c, r in zip(suggested, rows, strict=True)]

    async def recent_reviews(self, *, who: UserRef, limit: int) -> list[StoredReview]:
        async with self.transaction() as session:
            user_id = await find_user_id(session, who)
            if user_id is None:
                return []
            rows = await session.scalars(
                select(ProposalReview)
                .where(ProposalReview.user_id == user_id)
                .order_by(ProposalReview.created_at.desc(), ProposalReview.id.desc())
                .limit(limit)
            )
            return [_review(row) for row in rows]


def _commitment_row(user_id: int, commitment: Commitment, review: StoredReview) -> CommitmentRow:
    return CommitmentRow(
        user_id=user_id,
        text=commitment.text,
        kind=commitment.kind,
        counterpart=commitment.counterpart,
        party=commitment.party,
        due=commitment.due,
        status=commitment.status,
        created_at=review.at,
        updated_at=review.at,
    )


def _review(row: ProposalReview) -> StoredReview:
    return StoredReview(
        title=row.title,
        text_sha256=row.text_sha256,
        findings=_valid(Finding, row.findings),
        scorecard=_valid(ScorecardEntry, row.scorecard or []),
        at=row.created_at,
    )


def _valid(model: type[Item], items: list[dict[str, Any]]) -> tuple[Item, ...]:
    """Stored entries that still fit the model; an unreadable one is skipped, not fatal,
    so an old or hand-edited row can never break a rep's next review."""
    valid: list[Item] = []
    for item in items:
        try:
            valid.append(model.model_validate(item))
        except ValidationError:
            continue
    return tuple(valid)
