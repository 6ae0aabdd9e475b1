"""`SqlFeedback`: ratings of answers, one row per (answer, person), and the tenant's list.

A rating is written only when the answer's processed event belongs to the rater: the
lookup and the write share one transaction, so a forged key stores nothing. The unique
(event, user) key turns a racing second click into an update on the retry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from coaching.feedback.ports import Rated, Verdict
from coaching.ports import UserRef
from coaching.types import CoachingResult, Platform
from storage.models import ConversationTurn, FeedbackRow, ProcessedEvent, Tenant, User
from storage.team_repo import SqlMembers, in_tenant
from storage.users import find_own_event, find_user_id

_SAVE_ATTEMPTS = 2


class SqlFeedback(SqlMembers):
    async def rate(
        self, who: UserRef, *, key: str, verdict: Verdict, comment: str | None, at: datetime
    ) -> bool:
        attempts_left = _SAVE_ATTEMPTS
        while True:
            try:
                return await self._rate(who, key, verdict, comment, at)
            except IntegrityError:
                attempts_left -= 1
                if attempts_left == 0:
                    raise

    async def _rate(
        self, who: UserRef, key: str, verdict: Verdict, comment: str | None, at: datetime
    ) -> bool:
        async with self.transaction() as session:
            event = await find_own_event(session, who, key)
            if event is None:
                return False
            event_id, user_id = event.id, event.user_id
            row = await session.scalar(
                select(FeedbackRow).where(
                    FeedbackRow.event_id == event_id, FeedbackRow.user_id == user_id
                )
            )
            if row is None:
                row = FeedbackRow(event_id=event_id, user_id=user_id, created_at=at)
                session.add(row)
            # A comment explains its verdict: a changed verdict drops the old one, and a
            # second press of the same thumb without a comment keeps it.
            if comment is not None or row.verdict != verdict.value:
                row.comment = comment
            row.verdict = verdict.value
            row.updated_at = at
            await session.flush()
            return True

    async def remember_reply(self, *, platform: Platform, key: str, reply_ref: str) -> None:
        async with self.transaction() as session:
            await session.execute(
                update(ProcessedEvent)
                .where(ProcessedEvent.platform == platform, ProcessedEvent.event_key == key)
                .values(reply_ref=reply_ref)
            )

    async def key_of_reply(self, who: UserRef, reply_ref: str) -> str | None:
        async with self.transaction() as session:
            user_id = await find_user_id(session, who)
            if user_id is None:
                return None
            return await session.scalar(
                select(ProcessedEvent.event_key).where(
                    ProcessedEvent.platform == who.platform,
                    ProcessedEvent.reply_ref == reply_ref,
                    ProcessedEvent.user_id == user_id,
                )
            )

    async def ratings(self, who: UserRef, *, since: datetime | None) -> list[Rated]:
        query = (
            select(FeedbackRow, User.platform_user_id, ProcessedEvent, ConversationTurn.text)
            .join(ProcessedEvent, ProcessedEvent.id == FeedbackRow.event_id)
            .join(User, User.id == FeedbackRow.user_id)
            .join(Tenant, Tenant.id == User.tenant_id)
            .outerjoin(ConversationTurn, ConversationTurn.id == ProcessedEvent.turn_id)
            .where(in_tenant(who))
            .order_by(FeedbackRow.updated_at.desc(), FeedbackRow.id.desc())
        )
        if since is not None:
            query = query.where(FeedbackRow.updated_at >= since)
        async with self.transaction() as session:
            rows = await session.execute(query)
            return [_rated(row, user, event, text) for row, user, event, text in rows]


def _rated(row: FeedbackRow, user: str, event: ProcessedEvent, text: str | None) -> Rated:
    result = CoachingResult.model_validate(event.result)
    return Rated(
        id=row.id,
        at=row.updated_at,
        user=user,
        key=event.event_key,
        verdict=Verdict(row.verdict),
        comment=row.comment,
        codes=tuple(dict.fromkeys(f.code for f in result.findings)),
        review=result.scorecard is not None,
        answered_at=event.created_at,
        text=text,
    )
