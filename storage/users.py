"""Tenants and users as every repository finds or creates them: one way, in one place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coaching.ports import UserRef
from coaching.types import Role
from storage.models import ProcessedEvent, Tenant, User
from storage.upsert import insert_or_skip


async def find_user_id(session: AsyncSession, who: UserRef) -> int | None:
    return await session.scalar(
        select(User.id)
        .join(Tenant, Tenant.id == User.tenant_id)
        .where(
            Tenant.platform == who.platform,
            Tenant.external_id == who.tenant,
            User.platform_user_id == who.user,
        )
    )


async def find_own_event(session: AsyncSession, who: UserRef, key: str) -> ProcessedEvent | None:
    """The processed event `key` if `who` sent it: nobody reads or rates another user's answer."""
    user_id = await find_user_id(session, who)
    if user_id is None:
        return None
    return await session.scalar(
        select(ProcessedEvent).where(
            ProcessedEvent.platform == who.platform,
            ProcessedEvent.event_key == key,
            ProcessedEvent.user_id == user_id,
        )
    )


async def ensure_tenant(session: AsyncSession, who: UserRef) -> int:
    """The id of `who`'s tenant, created on first sight (by this worker or one racing it)."""
    theirs = select(Tenant.id).where(
        Tenant.platform == who.platform, Tenant.external_id == who.tenant
    )
    found = await session.scalar(theirs)
    if found is not None:
        return found
    new = {"platform": who.platform, "external_id": who.tenant}
    await session.execute(insert_or_skip(session, Tenant, ["platform", "external_id"]), new)
    return (await session.scalars(theirs)).one()


async def ensure_user(
    session: AsyncSession, who: UserRef, *, user_name: str | None = None, role: Role | None = None
) -> User:
    """The user's row, creating the tenant and user on first sight.

    `role` is the role a new user is created with (a rep when None); a stored role never
    changes here, because only an admin's `team import` or `team add` changes roles. A
    given name replaces the stored one; None keeps it.
    """
    tenant_id = await ensure_tenant(session, who)
    mine = select(User).where(User.tenant_id == tenant_id, User.platform_user_id == who.user)
    user = await session.scalar(mine)
    if user is None:
        new = {"tenant_id": tenant_id, "platform_user_id": who.user, "role": role or Role.REP}
        await session.execute(insert_or_skip(session, User, ["tenant_id", "platform_user_id"]), new)
        user = (await session.scalars(mine)).one()
    if user_name is not None:
        user.display_name = user_name
    await session.flush()
    return user
