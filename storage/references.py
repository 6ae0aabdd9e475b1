"""Conversation references: where to post a proactive message (reminder, digest) for a user.

Chat platforms only let a bot write first into a conversation it has seen, so every adapter
saves the latest reference per user here, over the `conversation_references` table (one row
per user). A reference the platform rejects for good (Teams answers 403 or 404 once the app
is uninstalled or the user blocked it) is marked stale, so callers stop trying until the
user talks to the bot again and a fresh reference replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select

from coaching.ports import UserRef
from storage.models import ConversationReference, Tenant, User
from storage.sessions import Transactions
from storage.upsert import insert_or_update
from storage.users import ensure_user


@dataclass(frozen=True)
class StoredReference:
    """One user's saved conversation reference, as the platform adapter wrote it."""

    who: UserRef
    reference: dict[str, Any]
    stale: bool
    updated_at: datetime


class SqlConversationReferences(Transactions):
    """The reference repository on the process's engine (`bot.wiring`), which owns it."""

    async def save(
        self, *, who: UserRef, reference: dict[str, Any], user_name: str | None = None
    ) -> None:
        """Keep `reference` as the user's latest one (fresh again if it was stale)."""
        async with self.transaction() as session:
            user_id = (await ensure_user(session, who, user_name=user_name)).id
            latest = {
                "user_id": user_id,
                "platform": who.platform,
                "reference": reference,
                "stale": False,
                "updated_at": datetime.now(UTC),
            }
            await session.execute(
                insert_or_update(session, ConversationReference, ["user_id"], latest)
            )

    async def load(self, *, who: UserRef) -> StoredReference | None:
        """The user's saved reference, stale or not; None when they never talked to the bot."""
        async with self.transaction() as session:
            row = await session.scalar(_reference_of(who))
            if row is None:
                return None
            return StoredReference(
                who=who, reference=dict(row.reference), stale=row.stale, updated_at=row.updated_at
            )

    async def mark_stale(self, *, who: UserRef) -> bool:
        """Flag the user's reference as unusable; False when there was none to flag."""
        async with self.transaction() as session:
            row = await session.scalar(_reference_of(who))
            if row is None:
                return False
            row.stale = True
            row.updated_at = datetime.now(UTC)
            return True


def _reference_of(who: UserRef) -> Select[ConversationReference]:
    return (
        select(ConversationReference)
        .join(User, User.id == ConversationReference.user_id)
        .join(Tenant, Tenant.id == User.tenant_id)
        .where(
            Tenant.platform == who.platform,
            Tenant.external_id == who.tenant,
            User.platform_user_id == who.user,
        )
    )
