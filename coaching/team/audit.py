"""The audit log, read back: what managers and admins did, and what was refused.

Every manager and admin action that reads or changes someone else's data (a rep's
commitments, a team import, a digest preview or schedule, an export, a forget) and every
refusal is written by the service that performs it. Only an admin reads the log, for
their own tenant, and reading it is itself logged.
"""

from __future__ import annotations

from datetime import datetime

from coaching.ports import UserRef
from coaching.team.ports import AuditNote, AuditRecord, AuditStore
from coaching.team.rules import forbidden
from coaching.types import Role

MAX_ENTRIES = 1000


class AuditService:
    def __init__(self, store: AuditStore) -> None:
        self._store = store

    async def read(
        self, who: UserRef, *, since: datetime | None = None, limit: int = 100
    ) -> list[AuditRecord]:
        """The tenant's audit log for an admin; anyone else is refused (and logged)."""
        actor = await self._store.member(who)
        if actor is None or actor.role is not Role.ADMIN:
            await self._store.audit(who, actor, AuditNote("refused.audit.read", None))
            raise forbidden("Only an admin reads the audit log.")
        entries = await self._store.entries(who, since=since, limit=min(limit, MAX_ENTRIES))
        await self._store.audit(
            who, actor, AuditNote("audit.read", None, {"entries": len(entries)})
        )
        return entries
