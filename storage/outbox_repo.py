"""`SqlOutbox`: the console's mailbox for digests and reminders, in the coach's own database.

The embedded default has no chat platform to post to, so proactive messages land here and
`coach outbox` reads them back. A message's `dedupe_key` is unique, so delivering the same
digest or reminder twice (a retried send) stores it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.models import OutboxKind, OutboxMessage
from storage.team_repo import SqlMembers
from storage.upsert import insert_or_skip


@dataclass(frozen=True)
class OutboxEntry:
    recipient_id: int
    kind: OutboxKind
    dedupe_key: str
    title: str
    body: str
    payload: dict[str, Any] | bytes
    """As read back, always a dict; when put, bytes if the caller has it packed already
    (`Digest.packed_json`, see `storage.models.PackedJson`)."""
    created_at: datetime | None = None


class SqlOutbox(SqlMembers):
    async def put(self, entries: Sequence[OutboxEntry]) -> set[str]:
        """Store the entries (one statement); the keys now in the outbox, new or not."""
        if not entries:
            return set()
        rows = [
            {
                "recipient_id": e.recipient_id,
                "kind": e.kind,
                "dedupe_key": e.dedupe_key,
                "title": e.title,
                "body": e.body,
                "payload": e.payload,
            }
            for e in entries
        ]
        async with self.transaction() as session:
            await session.execute(insert_or_skip(session, OutboxMessage, ["dedupe_key"]), rows)
        return {e.dedupe_key for e in entries}

    async def read(self, recipient_id: int, *, limit: int) -> list[OutboxEntry]:
        """The recipient's newest messages first."""
        async with self.transaction() as session:
            rows = await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.recipient_id == recipient_id)
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
                .limit(limit)
            )
            return [
                OutboxEntry(
                    r.recipient_id, r.kind, r.dedupe_key, r.title, r.body, r.payload, r.created_at
                )
                for r in rows
            ]
