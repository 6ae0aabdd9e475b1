"""`SqlStore`: the `CoachStore` the coaching service uses, on SQLite or PostgreSQL.

Every query is scoped by the verified platform, tenant and user, and every method returns
domain objects (`coaching.types`, `coaching.ports`), never ORM rows. `save_turn` is
exactly-once per inbound event: the unique keys on processed events and commitments make a
re-delivered or racing write fail as a whole, and the result stored first is returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from coaching.errors import StoreUnavailable
from coaching.ports import SavedTurn, Turn, UserRef
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentStatus,
    IncomingMessage,
    Platform,
    Role,
)
from storage.db import check_connection, create_engine_for
from storage.migrate import is_at_head, upgrade_to_head
from storage.models import (
    AuditEntry,
    CommitmentRow,
    ConversationTurn,
    FindingRow,
    ProcessedEvent,
    Tenant,
    User,
)
from storage.sessions import Transactions
from storage.users import ensure_user, find_own_event, find_user_id

# A unique key hit means another worker committed first (the same event, or the same new
# tenant or user); the next attempt then finds the stored result or the existing rows.
_SAVE_ATTEMPTS = 3


class SqlStore(Transactions):
    """Persistence for one database; share one instance per process and `close()` it."""

    async def close(self) -> None:
        await self.engine.dispose()

    async def find_processed(self, *, platform: Platform, key: str) -> CoachingResult | None:
        async with self.transaction() as session:
            return await _stored_result(session, platform, key)

    async def find_own_result(self, *, who: UserRef, key: str) -> CoachingResult | None:
        async with self.transaction() as session:
            event = await find_own_event(session, who, key)
            return None if event is None else CoachingResult.model_validate(event.result)

    async def save_turn(self, *, message: IncomingMessage, result: CoachingResult) -> SavedTurn:
        attempts_left = _SAVE_ATTEMPTS
        while True:
            try:
                return await self._write_turn(message, result)
            except IntegrityError:
                attempts_left -= 1
                if attempts_left == 0:
                    raise

    async def _write_turn(self, message: IncomingMessage, result: CoachingResult) -> SavedTurn:
        async with self.transaction() as session:
            key = message.idempotency_key
            stored = None if key is None else await _stored_result(session, message.platform, key)
            if stored is not None:
                return SavedTurn(result=stored, first_time=False)
            user = await _upsert_user(session, message)
            turn_id = await _add_turns(session, user.id, message, result.reply)
            _add_findings(session, user.id, turn_id, message, result)
            saved = await _add_commitments(session, user.id, turn_id, message, result)
            if key is not None:
                session.add(
                    ProcessedEvent(
                        platform=message.platform,
                        event_key=key,
                        user_id=user.id,
                        result=saved.model_dump(mode="json"),
                        created_at=message.now,
                        turn_id=turn_id,
                    )
                )
                await session.flush()
            return SavedTurn(result=saved, first_time=True)

    async def role_of(self, *, who: UserRef) -> Role:
        async with self.transaction() as session:
            role = await session.scalar(
                select(User.role).where(User.id == await find_user_id(session, who))
            )
            return Role(role) if role is not None else Role.REP

    async def recent_turns(self, *, who: UserRef, thread: str | None, limit: int) -> list[Turn]:
        async with self.transaction() as session:
            user_id = await find_user_id(session, who)
            if user_id is None or limit <= 0:
                return []
            in_thread = (
                ConversationTurn.thread_key.is_(None)
                if thread is None
                else ConversationTurn.thread_key == thread
            )
            rows = await session.scalars(
                select(ConversationTurn)
                .where(ConversationTurn.user_id == user_id, in_thread)
                .order_by(ConversationTurn.created_at.desc(), ConversationTurn.id.desc())
                .limit(limit)
            )
            return [Turn(speaker=r.speaker, text=r.text, at=r.created_at) for r in rows][::-1]

    async def list_commitments(
        self, *, who: UserRef, statuses: Sequence[CommitmentStatus] | None = None
    ) -> list[Commitment]:
        async with self.transaction() as session:
            user_id = await find_user_id(session, who)
            if user_id is None:
                return []
            query = select(CommitmentRow).where(CommitmentRow.user_id == user_id)
            if statuses is not None:
                query = query.where(CommitmentRow.status.in_(list(statuses)))
            rows = await session.scalars(
                query.order_by(CommitmentRow.due.asc().nulls_last(), CommitmentRow.id)
            )
            return [_commitment(row) for row in rows]

    async def set_commitment_status(
        self, *, who: UserRef, commitment_id: int, status: CommitmentStatus
    ) -> Commitment | None:
        async with self.transaction() as session:
            user_id = await find_user_id(session, who)
            row = None
            if user_id is not None:
                row = await session.scalar(
                    select(CommitmentRow).where(
                        CommitmentRow.id == commitment_id, CommitmentRow.user_id == user_id
                    )
                )
            if row is None:
                if await session.get(CommitmentRow, commitment_id) is not None:
                    session.add(await _refusal(session, who, user_id, commitment_id, status))
                return None
            row.status = status
            row.updated_at = datetime.now(UTC)
            return _commitment(row)


async def _refusal(
    session: AsyncSession,
    who: UserRef,
    user_id: int | None,
    commitment_id: int,
    status: CommitmentStatus,
) -> AuditEntry:
    """The audit entry for a change aimed at someone else's commitment (a forged button)."""
    tenant_id = await session.scalar(
        select(Tenant.id).where(Tenant.platform == who.platform, Tenant.external_id == who.tenant)
    )
    return AuditEntry(
        tenant_id=tenant_id,
        actor_id=user_id,
        action=f"refused.commitments.{status.value}",
        target=str(commitment_id),
        details={"code": "commitment.not_found"},
    )


async def open_store(url: str, *, migrate: bool) -> SqlStore:
    """Open the database at `url` (upgrading it to the newest schema first when `migrate`).

    Raises `StoreUnavailable` with a friendly message when it cannot be opened.
    """
    if migrate and not is_at_head(url):
        upgrade_to_head(url)
    engine = create_engine_for(url)
    try:
        await check_connection(engine, url)
    except StoreUnavailable:
        await engine.dispose()
        raise
    return SqlStore(engine)


async def _stored_result(
    session: AsyncSession, platform: Platform, key: str
) -> CoachingResult | None:
    stored = await session.scalar(
        select(ProcessedEvent.result).where(
            ProcessedEvent.platform == platform, ProcessedEvent.event_key == key
        )
    )
    return None if stored is None else CoachingResult.model_validate(stored)


async def _upsert_user(session: AsyncSession, message: IncomingMessage) -> User:
    """The message's tenant and user, created on first sight; name and role kept current."""
    who = UserRef(platform=message.platform, tenant=message.tenant, user=message.user)
    return await ensure_user(session, who, user_name=message.user_name, role=message.role)


async def _add_turns(
    session: AsyncSession, user_id: int, message: IncomingMessage, reply: str
) -> int:
    """Store what the user said and the coach's reply; the id of the user's turn."""
    said = ConversationTurn(
        user_id=user_id,
        thread_key=message.thread,
        speaker="user",
        text=message.text,
        created_at=message.now,
    )
    session.add(said)
    await session.flush()
    session.add(
        ConversationTurn(
            user_id=user_id,
            thread_key=message.thread,
            speaker="coach",
            text=reply,
            created_at=message.now,
        )
    )
    return said.id


def _add_findings(
    session: AsyncSession,
    user_id: int,
    turn_id: int,
    message: IncomingMessage,
    result: CoachingResult,
) -> None:
    session.add_all(
        FindingRow(
            turn_id=turn_id,
            user_id=user_id,
            code=finding.code,
            severity=finding.severity,
            evidence=finding.evidence,
            advice=finding.advice,
            category=finding.category,
            created_at=message.now,
        )
        for finding in result.findings
    )


async def _add_commitments(
    session: AsyncSession,
    user_id: int,
    turn_id: int,
    message: IncomingMessage,
    result: CoachingResult,
) -> CoachingResult:
    """Store the result's commitments; the result with their new ids filled in."""
    rows = [
        CommitmentRow(
            user_id=user_id,
            source_turn_id=turn_id,
            text=commitment.text,
            kind=commitment.kind,
            counterpart=commitment.counterpart,
            party=commitment.party,
            due=commitment.due,
            status=commitment.status,
            created_at=message.now,
            updated_at=message.now,
            idempotency_key=(
                None
                if message.idempotency_key is None
                else f"{message.platform}:{message.idempotency_key}:{index}"
            ),
        )
        for index, commitment in enumerate(result.commitments)
    ]
    session.add_all(rows)
    await session.flush()
    with_ids = [
        c.model_copy(update={"id": row.id}) for c, row in zip(result.commitments, rows, strict=True)
    ]
    return result.model_copy(update={"commitments": with_ids})


def _commitment(row: CommitmentRow) -> Commitment:
    return Commitment(
        id=row.id,
        text=row.text,
        kind=row.kind,
        due=row.due,
        counterpart=row.counterpart,
        status=row.status,
        party=row.party,
    )
