"""`SqlCrmStore`: deals from a CRM sync, upserted by CRM id, with the sync's cursor.

Each page is one transaction holding its deals and the cursor they reach, so an interrupted
sync never stores a cursor past deals it did not keep: the next run starts after the last
whole page. A deal's owner is matched to a rep by email (`users.email`, set by
the team import); when several users share an address (the same person in Slack and in the
console) the one created first gets the deal. A deal whose owner is no rep is not stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coaching.digests.deals import CLOSED_STAGES
from coaching.digests.ports import CrmDeal, SavedPage
from storage.models import CrmCursor, DealRow, User
from storage.sessions import Transactions
from storage.upsert import insert_or_update, upsert_many

_NAME_CHARS = 255
_COLUMNS = (
    "crm_id",
    "user_id",
    "name",
    "stage",
    "value",
    "close_date",
    "next_step",
    "last_customer_action_at",
    "peak_interest_at",
    "closed_at",
    "updated_at",
)


class SqlCrmStore(Transactions):
    async def crm_cursor(self, source: str) -> datetime | None:
        async with self.sessions() as session:
            return await session.scalar(
                select(CrmCursor.modified_at).where(CrmCursor.source == source)
            )

    async def save_crm_page(
        self, source: str, deals: Sequence[CrmDeal], cursor: datetime
    ) -> SavedPage:
        """Upsert the page's deals whose owner is a rep, and move the cursor, atomically."""
        now = datetime.now(UTC)
        async with self.transaction() as session:
            owners = await _owners(session, {d.owner_email for d in deals if d.owner_email})
            kept = [d for d in deals if d.owner_email in owners]
            names = await _names(session, kept, owners)
            rows = [_row(d, owners[d.owner_email or ""], names[d.crm_id], now) for d in kept]
            if rows:
                await session.execute(upsert_many(session, DealRow, ["crm_id"], _COLUMNS), rows)
            values = {"source": source, "modified_at": cursor, "updated_at": now}
            await session.execute(insert_or_update(session, CrmCursor, ["source"], values))
        return SavedPage(stored=len(rows), unmatched=len(deals) - len(kept))


async def _owners(session: AsyncSession, emails: set[str]) -> dict[str, int]:
    """Each address's first user (lowest id)."""
    if not emails:
        return {}
    rows = await session.execute(
        select(User.email, func.min(User.id)).where(User.email.in_(emails)).group_by(User.email)
    )
    return {email: user_id for email, user_id in rows if email is not None}


async def _names(
    session: AsyncSession, deals: Sequence[CrmDeal], owners: dict[str, int]
) -> dict[str, str]:
    """A rep's deal names are unique, a CRM's are not ("Acme renewal" twice): a name
    another deal of the same rep already holds gets the CRM id after it."""
    if not deals:
        return {}
    wanted = {d.name[:_NAME_CHARS] for d in deals}
    users = {owners[d.owner_email or ""] for d in deals}
    held = {
        (user_id, name): crm_id
        for user_id, name, crm_id in await session.execute(
            select(DealRow.user_id, DealRow.name, DealRow.crm_id).where(
                DealRow.user_id.in_(users), DealRow.name.in_(wanted)
            )
        )
    }
    names: dict[str, str] = {}
    for deal in deals:
        key = (owners[deal.owner_email or ""], deal.name[:_NAME_CHARS])
        holder = held.setdefault(key, deal.crm_id)
        if holder == deal.crm_id:
            names[deal.crm_id] = key[1]
        else:
            suffix = f" ({deal.crm_id})"
            names[deal.crm_id] = deal.name[: _NAME_CHARS - len(suffix)] + suffix
    return names


def _row(deal: CrmDeal, user_id: int, name: str, now: datetime) -> dict[str, Any]:
    return {
        "crm_id": deal.crm_id,
        "user_id": user_id,
        "name": name,
        "stage": deal.stage.value,
        "value": deal.amount,
        "close_date": deal.close_date,
        "next_step": deal.next_step,
        "last_customer_action_at": deal.last_customer_action_at,
        "peak_interest_at": deal.opened_at,
        "closed_at": deal.close_date if deal.stage in CLOSED_STAGES else None,
        "updated_at": now,
    }
