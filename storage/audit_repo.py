"""`SqlAuditLog`: the audit log of one tenant, newest first, with actors by their user id.

Writing shares `SqlMembers.audit` with every team-aware store; this adds the read an admin
needs. One statement, bounded by `limit`, served by the (tenant, created_at) index.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from coaching.ports import UserRef
from coaching.team.ports import AuditRecord
from storage.models import AuditEntry, Tenant, User
from storage.team_repo import SqlMembers, in_tenant


class SqlAuditLog(SqlMembers):
    async def entries(
        self, who: UserRef, *, since: datetime | None, limit: int
    ) -> list[AuditRecord]:
        query = (
            select(AuditEntry, User.platform_user_id)
            .join(Tenant, Tenant.id == AuditEntry.tenant_id)
            .outerjoin(User, User.id == AuditEntry.actor_id)
            .where(in_tenant(who))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(AuditEntry.created_at >= since)
        async with self.transaction() as session:
            rows = await session.execute(query)
            return [
                AuditRecord(
                    at=entry.created_at,
                    actor=actor,
                    action=entry.action,
                    target=entry.target,
                    details=entry.details or {},
                )
                for entry, actor in rows
            ]
