"""Trust self-assessments with their history, so a rep's trend can be shown."""

from __future__ import annotations

from sqlalchemy import select

from coaching.ports import Assessment, UserRef
from coaching.types import TrustScores
from storage.models import TrustAssessment
from storage.sessions import Transactions
from storage.users import ensure_user, find_user_id


class SqlTrustHistory(Transactions):
    """Implements `coaching.trust_check.TrustHistory` on our database."""

    async def save_assessment(self, *, who: UserRef, assessment: Assessment) -> None:
        scores = assessment.scores
        async with self.transaction() as session:
            user = await ensure_user(session, who)
            session.add(
                TrustAssessment(
                    user_id=user.id,
                    credibility=scores.credibility,
                    reliability=scores.reliability,
                    intimacy=scores.intimacy,
                    self_orientation=scores.self_orientation,
                    trust=scores.trust,
                    source="self",
                    answers={"likert": list(assessment.answers)},
                    created_at=assessment.at,
                )
            )

    async def assessments(self, *, who: UserRef, limit: int) -> list[Assessment]:
        async with self.transaction() as session:
            user_id = await find_user_id(session, who)
            if user_id is None:
                return []
            rows = await session.scalars(
                select(TrustAssessment)
                .where(TrustAssessment.user_id == user_id, TrustAssessment.source == "self")
                .order_by(TrustAssessment.created_at.desc(), TrustAssessment.id.desc())
                .limit(limit)
            )
            return [_assessment(row) for row in rows]


def _assessment(row: TrustAssessment) -> Assessment:
    answers = (row.answers or {}).get("likert", [])
    return Assessment(
        at=row.created_at,
        scores=TrustScores(
            credibility=row.credibility,
            reliability=row.reliability,
            intimacy=row.intimacy,
            self_orientation=row.self_orientation,
            trust=row.trust,
        ),
        answers=tuple(int(a) for a in answers),
    )
