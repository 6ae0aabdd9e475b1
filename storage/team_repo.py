"""`SqlTeamStore`: members, teams, commitments tracking and the audit log, on SQLite or PostgreSQL.

It implements `coaching.team.service.TeamStore` and `coaching.commitments.service.
CommitmentStore`. Queries are set-based: saving a whole team file is a fixed handful of
statements however many rows it has, and nothing loads users one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, exists, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from coaching.commitments.ports import Change, Tracked
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, Member, MemberUpdate, SaveResult
from coaching.trusted import trusted
from coaching.types import Commitment, CommitmentKind, CommitmentStatus, Party, Role
from storage.models import AuditEntry, CommitmentRow, Tenant, User
from storage.sessions import Transactions
from storage.upsert import insert_or_skip
from storage.users import ensure_tenant


def member_columns() -> Select[*tuple[Any, ...]]:
    """Users with their tenant, as `to_member` reads them."""
    return select(
        User.id,
        User.tenant_id,
        Tenant.platform,
        Tenant.external_id,
        User.platform_user_id,
        User.role,
        User.display_name,
        User.time_zone,
        User.manager_id,
    ).join(Tenant, Tenant.id == User.tenant_id)


def to_member(row: Any) -> Member:
    return Member(
        id=row.id,
        tenant_id=row.tenant_id,
        platform=row.platform,
        tenant=row.external_id,
        user=row.platform_user_id,
        role=row.role,
        name=row.display_name,
        time_zone=row.time_zone,
        manager_id=row.manager_id,
    )


def in_tenant(who: UserRef) -> Any:
    return (Tenant.platform == who.platform) & (Tenant.external_id == who.tenant)


def _as_text(column: Any) -> Any:
    """An enum column read as its stored text, turned into the enum by one dict look-up
    (`tracked_from_columns`) or by `Commitment`'s validation (`to_tracked`)."""
    return type_coerce(column, String).label(column.key)


TRACKED_COLUMNS = (
    CommitmentRow.id,
    CommitmentRow.user_id,
    CommitmentRow.text,
    _as_text(CommitmentRow.kind),
    CommitmentRow.due,
    CommitmentRow.counterpart,
    _as_text(CommitmentRow.status),
    _as_text(CommitmentRow.party),
    CommitmentRow.snoozed_until,
    CommitmentRow.updated_at,
)


def to_tracked(row: Any) -> Tracked:
    """A commitment row (ORM object or `TRACKED_COLUMNS` row) as the domain sees it."""
    commitment = Commitment(
        id=row.id,
        text=row.text,
        kind=row.kind,
        due=row.due,
        counterpart=row.counterpart,
        status=row.status,
        party=row.party,
    )
    return Tracked(commitment, row.user_id, row.snoozed_until, row.updated_at)


_KINDS = {kind.value: kind for kind in CommitmentKind}
_STATUSES = {status.value: status for status in CommitmentStatus}
_PARTIES = {party.value: party for party in Party}


def tracked_from_columns(row: Sequence[Any]) -> Tracked:
    """A `TRACKED_COLUMNS` row, unpacked by position and not validated again: the digest
    reads ~100,000 of them, the row was written from a validated `Commitment`, and
    validating it once more cost more than reading it."""
    (id_, user_id, text, kind, due, counterpart, status, party, snoozed_until, updated_at) = row
    commitment = trusted(
        Commitment,
        {
            "id": id_,
            "text": text,
            "kind": _KINDS[kind],
            "due": due,
            "counterpart": counterpart,
            "status": _STATUSES[status],
            "party": _PARTIES[party],
        },
    )
    return Tracked(commitment, user_id, snoozed_until, updated_at)


class SqlMembers(Transactions):
    """What every team-aware store shares: sessions, member look-ups and the audit log."""

    async def member(self, who: UserRef) -> Member | None:
        async with self.transaction() as session:
            row = (
                await session.execute(
                    member_columns().where(in_tenant(who), User.platform_user_id == who.user)
                )
            ).first()
            return None if row is None else to_member(row)

    async def members(self, who: UserRef, users: Sequence[str]) -> dict[str, Member]:
        if not users:
            return {}
        async with self.transaction() as session:
            rows = await session.execute(
                member_columns().where(in_tenant(who), User.platform_user_id.in_(list(users)))
            )
            return {row.platform_user_id: to_member(row) for row in rows}

    async def has_admin(self, who: UserRef) -> bool:
        query = select(
            exists().where(User.tenant_id == Tenant.id, in_tenant(who), User.role == Role.ADMIN)
        )
        async with self.transaction() as session:
            return bool(await session.scalar(query))

    async def reporting_lines(self, who: UserRef) -> dict[str, str | None]:
        boss = aliased(User)
        query = (
            select(User.platform_user_id, boss.platform_user_id)
            .join(Tenant, Tenant.id == User.tenant_id)
            .outerjoin(boss, boss.id == User.manager_id)
            .where(in_tenant(who))
        )
        async with self.transaction() as session:
            return {row[0]: row[1] for row in await session.execute(query)}

    async def audit(self, who: UserRef, actor: Member | None, note: AuditNote) -> None:
        async with self.transaction() as session:
            tenant_id = await session.scalar(select(Tenant.id).where(in_tenant(who)))
            session.add(_audit_entry(tenant_id, actor.id if actor else None, note))


class SqlTeamStore(SqlMembers):
    async def save_members(
        self, who: UserRef, updates: Sequence[MemberUpdate], note: AuditNote
    ) -> SaveResult:
        async with self.transaction() as session:
            return await _save(session, who, updates, note)

    async def team_of(self, actor: Member) -> list[Member]:
        query = member_columns().where(User.tenant_id == actor.tenant_id)
        if actor.role is not Role.ADMIN:
            query = query.where(User.manager_id == actor.id)
        async with self.transaction() as session:
            rows = await session.execute(query.order_by(User.platform_user_id))
            return [to_member(row) for row in rows]

    async def tracked(
        self, *, owner_id: int, statuses: Sequence[CommitmentStatus] | None
    ) -> list[Tracked]:
        query = select(*TRACKED_COLUMNS).where(CommitmentRow.user_id == owner_id)
        if statuses is not None:
            query = query.where(CommitmentRow.status.in_(list(statuses)))
        async with self.transaction() as session:
            rows = await session.execute(
                query.order_by(CommitmentRow.due.asc().nulls_last(), CommitmentRow.id)
            )
            return [to_tracked(row) for row in rows]

    async def tracked_one(self, commitment_id: int) -> tuple[Tracked, Member] | None:
        async with self.transaction() as session:
            row = await session.get(CommitmentRow, commitment_id)
            if row is None:
                return None
            owner = (await session.execute(member_columns().where(User.id == row.user_id))).one()
            return to_tracked(row), to_member(owner)

    async def apply(
        self, *, commitment_id: int, expected: CommitmentStatus, change: Change, at: datetime
    ) -> Tracked | None:
        async with self.transaction() as session:
            row = await session.get(CommitmentRow, commitment_id, with_for_update=True)
            if row is None or row.status is not expected:
                return None
            row.status = change.status
            row.due = change.due
            row.snoozed_until = change.snoozed_until
            row.updated_at = at
            if change.restart_reminders:
                row.reminded_day_before_at = None
                row.reminded_due_at = None
            await session.flush()
            return to_tracked(row)


async def _save(
    session: AsyncSession, who: UserRef, updates: Sequence[MemberUpdate], note: AuditNote
) -> SaveResult:
    """Upsert `updates` in a handful of statements, whatever their number."""
    tenant_id = await ensure_tenant(session, who)
    wanted = {u.user for u in updates} | {u.manager for u in updates if u.manager}
    existing = {
        row.platform_user_id: row
        for row in await session.execute(
            select(
                User.id, User.platform_user_id, User.display_name, User.time_zone, User.email
            ).where(User.tenant_id == tenant_id, User.platform_user_id.in_(sorted(wanted)))
        )
    }
    fresh = [u for u in updates if u.user not in existing]
    ids = {user: row.id for user, row in existing.items()}
    if fresh:
        await session.execute(
            insert_or_skip(session, User, ["tenant_id", "platform_user_id"]),
            [_user_values(tenant_id, u) for u in fresh],
        )
        ids.update(await _user_ids(session, tenant_id, [u.user for u in fresh]))
    await session.execute(
        update(User),
        [
            {**_kept(u, existing.get(u.user)), "id": ids[u.user], "manager_id": ids.get(u.manager)}
            for u in updates
        ],
    )
    actor_id = ids.get(who.user) or await session.scalar(
        select(User.id).where(User.tenant_id == tenant_id, User.platform_user_id == who.user)
    )
    session.add(_audit_entry(tenant_id, actor_id, note))
    return SaveResult(created=len(fresh), updated=len(updates) - len(fresh))


async def _user_ids(session: AsyncSession, tenant_id: int, users: Sequence[str]) -> dict[str, int]:
    """Ids of `users`, whoever inserted them (this import or one racing it)."""
    rows = await session.execute(
        select(User.platform_user_id, User.id).where(
            User.tenant_id == tenant_id, User.platform_user_id.in_(sorted(users))
        )
    )
    return {row.platform_user_id: row.id for row in rows}


def _user_values(tenant_id: int, update: MemberUpdate) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id,
        "platform_user_id": update.user,
        "role": update.role,
        "display_name": update.name,
        "time_zone": update.time_zone,
        "email": update.email,
    }


def _kept(update: MemberUpdate, stored: Any) -> dict[str, Any]:
    """Role always; name, zone and email only when given (an empty CSV cell keeps what is
    stored)."""
    return {
        "role": update.role,
        "display_name": update.name or (stored.display_name if stored else None),
        "time_zone": update.time_zone or (stored.time_zone if stored else None),
        "email": update.email or (stored.email if stored else None),
    }


def _audit_entry(tenant_id: int | None, actor_id: int | None, note: AuditNote) -> AuditEntry:
    return AuditEntry(
        tenant_id=tenant_id,
        actor_id=actor_id,
        action=note.action,
        target=note.target,
        details=note.details or None,
    )
