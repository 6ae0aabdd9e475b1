"""`SqlPrivacy`: one user's rows gathered for export or deleted for "forget me".

Every table that holds a person's data is listed once in `_OWNED`, with the column naming
them, so export and forget can never disagree about what "everything" means. Forgetting
also renames the person in their tenant's audit entries to the internal id, and refuses
(in the same transaction, deleting nothing) to remove a tenant's last admin.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from coaching.ports import UserRef
from coaching.team.ports import LastAdmin, user_subject
from coaching.types import Role
from storage.models import (
    AuditEntry,
    Base,
    CommitmentRow,
    ConversationReference,
    ConversationTurn,
    DealRow,
    DigestSchedule,
    FeedbackRow,
    FindingRow,
    NudgeDelivery,
    OutboxMessage,
    ProcessedEvent,
    ProposalReview,
    TrustAssessment,
    UsageCounter,
    User,
)
from storage.team_repo import SqlMembers
from storage.users import find_user_id

# Children before parents, so deleting in this order never trips a foreign key.
_OWNED: tuple[tuple[str, InstrumentedAttribute[Any]], ...] = (
    ("findings", FindingRow.user_id),
    ("commitments", CommitmentRow.user_id),
    ("conversation_turns", ConversationTurn.user_id),
    ("trust_assessments", TrustAssessment.user_id),
    ("proposal_reviews", ProposalReview.user_id),
    ("outbox_messages", OutboxMessage.recipient_id),
    ("conversation_references", ConversationReference.user_id),
    ("feedback", FeedbackRow.user_id),
    ("processed_events", ProcessedEvent.user_id),
    ("deals", DealRow.user_id),
    ("digest_schedules", DigestSchedule.manager_id),
    ("nudge_deliveries", NudgeDelivery.manager_id),
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _row(row: Base) -> dict[str, Any]:
    return {column.key: _plain(getattr(row, column.key)) for column in row.__table__.columns}


def _target(user_id: int) -> str:
    """How audit entries name a user: the internal id only, never a name or handle."""
    return f"user:{user_id}"


class SqlPrivacy(SqlMembers):
    async def export(self, who: UserRef, *, actor_id: int | None) -> dict[str, Any] | None:
        """The user's rows; the export itself is audited (the entry is not in this copy)."""
        async with self.transaction() as session:
            user = await _user(session, who)
            if user is None:
                return None
            data: dict[str, Any] = {"profile": _row(user)}
            for table, column in _OWNED:
                rows = await session.scalars(select(column.class_).where(column == user.id))
                data[table] = [_row(row) for row in rows]
            audits = await session.scalars(
                select(AuditEntry).where(
                    or_(AuditEntry.actor_id == user.id, AuditEntry.target == _target(user.id))
                )
            )
            data["audit_log"] = [_row(row) for row in audits]
            counts = {table: len(rows) for table, rows in data.items() if isinstance(rows, list)}
            session.add(
                AuditEntry(
                    tenant_id=user.tenant_id,
                    actor_id=actor_id or user.id,
                    action="export",
                    target=_target(user.id),
                    details={"exported": counts},
                )
            )
            return data

    async def forget(self, who: UserRef, *, actor_id: int | None) -> dict[str, int] | None:
        async with self.transaction() as session:
            user = await _user(session, who)
            if user is None:
                return None
            if user.role is Role.ADMIN and await _admins(session, user.tenant_id) == 1:
                raise LastAdmin(who.user)
            deleted: dict[str, int] = {}
            for table, column in _OWNED:
                deleted[table] = await _delete(
                    session, delete(column.class_).where(column == user.id)
                )
            deleted["usage_counters"] = await _delete(
                session, delete(UsageCounter).where(UsageCounter.subject == user_subject(who))
            )
            deleted["users"] = await _delete(session, delete(User).where(User.id == user.id))
            await session.execute(
                update(AuditEntry)
                .where(
                    AuditEntry.tenant_id == user.tenant_id,
                    AuditEntry.target == user.platform_user_id,
                )
                .values(target=_target(user.id))
            )
            session.add(
                AuditEntry(
                    tenant_id=user.tenant_id,
                    actor_id=actor_id,
                    action="forget",
                    target=_target(user.id),
                    details={"actor": "self" if actor_id is None else "admin", "deleted": deleted},
                )
            )
            return deleted

    async def purge(
        self, *, turns_before: datetime | None, counters_before: datetime
    ) -> dict[str, int]:
        async with self.transaction() as session:
            purged = {"findings": 0, "conversation_turns": 0}
            if turns_before is not None:
                old = select(ConversationTurn.id).where(ConversationTurn.created_at < turns_before)
                purged["findings"] = await _delete(
                    session, delete(FindingRow).where(FindingRow.turn_id.in_(old))
                )
                purged["conversation_turns"] = await _delete(
                    session,
                    delete(ConversationTurn).where(ConversationTurn.created_at < turns_before),
                )
            purged["usage_counters"] = await _delete(
                session, delete(UsageCounter).where(UsageCounter.window_start < counters_before)
            )
            return purged


async def _user(session: AsyncSession, who: UserRef) -> User | None:
    user_id = await find_user_id(session, who)
    return None if user_id is None else await session.get(User, user_id)


async def _admins(session: AsyncSession, tenant_id: int) -> int:
    """The tenant's admins, locked on PostgreSQL so two forgets cannot both see two."""
    rows = await session.scalars(
        select(User.id)
        .where(User.tenant_id == tenant_id, User.role == Role.ADMIN)
        .with_for_update()
    )
    return len(rows.all())


async def _delete(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
