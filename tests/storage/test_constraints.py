"""The database itself refuses duplicate digests and dangling references."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coaching.types import Role, Severity
from storage.models import FindingRow, NudgeDelivery, User
from storage.repository import SqlStore
from tests.storage.factories import NOW, message, result


async def _manager_id(store: SqlStore) -> int:
    await store.save_turn(message=message(role=Role.MANAGER), result=result())
    async with store.sessions() as session:
        found = await session.scalar(select(User.id).where(User.role == Role.MANAGER))
    assert found is not None
    return found


def _digest(manager_id: int, iso_week: str) -> NudgeDelivery:
    return NudgeDelivery(
        manager_id=manager_id, iso_week=iso_week, status="pending", digest={"reps": []}
    )


async def test_one_digest_per_manager_and_week(store: SqlStore) -> None:
    manager = await _manager_id(store)
    async with store.sessions.begin() as session:
        session.add_all([_digest(manager, "2026-W10"), _digest(manager, "2026-W11")])

    with pytest.raises(IntegrityError):
        async with store.sessions.begin() as session:
            session.add(_digest(manager, "2026-W10"))


async def test_a_finding_needs_an_existing_turn(store: SqlStore) -> None:
    manager = await _manager_id(store)
    orphan = FindingRow(
        turn_id=999_999,
        user_id=manager,
        code="trust.credibility",
        severity=Severity.LOW,
        evidence="best in the world",
        advice="Back it up.",
        created_at=NOW,
    )

    with pytest.raises(IntegrityError):
        async with store.sessions.begin() as session:
            session.add(orphan)
