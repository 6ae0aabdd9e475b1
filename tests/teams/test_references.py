"""The conversation-reference repository over the existing `conversation_references` table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from coaching.ports import UserRef
from coaching.types import CoachingResult, IncomingMessage, Platform
from storage.models import User
from storage.references import SqlConversationReferences
from storage.repository import SqlStore

ALICE = UserRef(platform=Platform.TEAMS, tenant="T1", user="aad-alice")
BOB = UserRef(platform=Platform.TEAMS, tenant="T1", user="aad-bob")
REFERENCE = {"conversation": {"id": "a:1"}, "serviceUrl": "https://smba.example/"}


@pytest.fixture
def references(store: SqlStore) -> SqlConversationReferences:
    """The repository on the `store` fixture's migrated database and engine."""
    return SqlConversationReferences(store.engine)


async def test_a_saved_reference_is_loaded_back(references: SqlConversationReferences) -> None:
    await references.save(who=ALICE, reference=REFERENCE, user_name="Alice")

    stored = await references.load(who=ALICE)

    assert stored is not None
    assert (stored.who, stored.reference, stored.stale) == (ALICE, REFERENCE, False)
    assert stored.updated_at.tzinfo is not None
    assert await references.load(who=BOB) is None


async def test_one_reference_per_user_the_latest_wins(
    references: SqlConversationReferences,
) -> None:
    newer = {**REFERENCE, "conversation": {"id": "a:2"}}
    await references.save(who=ALICE, reference=REFERENCE)
    await references.save(who=ALICE, reference=newer)

    stored = await references.load(who=ALICE)

    assert stored is not None
    assert stored.reference == newer


async def test_stale_until_saved_again(references: SqlConversationReferences) -> None:
    await references.save(who=ALICE, reference=REFERENCE)

    assert await references.mark_stale(who=ALICE) is True
    stale = await references.load(who=ALICE)
    await references.save(who=ALICE, reference=REFERENCE)
    fresh = await references.load(who=ALICE)

    assert stale is not None
    assert stale.stale
    assert fresh is not None
    assert not fresh.stale
    assert await references.mark_stale(who=BOB) is False


async def test_the_user_is_shared_with_the_coaching_store(
    references: SqlConversationReferences, store: SqlStore
) -> None:
    """A reference saved before the user's first coaching turn names the same user row."""
    await references.save(who=ALICE, reference=REFERENCE, user_name="Alice")
    await store.save_turn(
        message=IncomingMessage(
            platform=ALICE.platform,
            tenant=ALICE.tenant,
            user=ALICE.user,
            text="hello",
            now=datetime(2026, 11, 18, 9, tzinfo=UTC),
        ),
        result=CoachingResult(reply="Hi."),
    )

    async with store.engine.connect() as connection:
        users = await connection.scalar(select(func.count()).select_from(User))
    assert users == 1
