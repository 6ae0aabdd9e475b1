"""Read-only CRM sync: deals from a CRM into our `deals` table, page by page, resumable.

Decay, the P3 checks and the manager digest judge what happened in a deal; a CRM is where
reps already record it. A sync reads the deals modified since its stored cursor, oldest
first, and stores each page together with the cursor it reached, so a sync that stops
halfway (a crash, a rate limit it gave up on, a killed cron job) starts again from the last
page it finished. Deals are upserted by the CRM's own id, so reading a page twice never
duplicates a deal. Nothing is ever written back to the CRM.

This module is the domain side only: a `CrmSource` (the CRM's API, in `bot/`) yields pages
of `CrmDeal`, a `CrmStore` (in `storage/`) keeps them; neither HTTP nor SQL appears here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coaching.digests.ports import CrmSource, CrmStore


@dataclass(frozen=True, slots=True)
class SyncReport:
    """One sync's totals, for the CLI line and the job log (no deal names: they are data)."""

    source: str
    fetched: int
    stored: int
    unmatched: int
    cursor: datetime | None


async def sync_deals(source: CrmSource, store: CrmStore) -> SyncReport:
    """Read every page since the stored cursor and store each with the cursor it reaches.

    The cursor is inclusive (modified at or after), so the last deal of the previous run is
    read again and upserted unchanged: deals modified in the same millisecond are never
    skipped, and nothing is duplicated.
    """
    cursor = await store.crm_cursor(source.name)
    fetched = stored = unmatched = 0
    async for page in source.pages(cursor):
        if not page:
            continue
        reached = max(deal.modified_at for deal in page)
        cursor = reached if cursor is None else max(cursor, reached)
        saved = await store.save_crm_page(source.name, page, cursor)
        fetched += len(page)
        stored += saved.stored
        unmatched += saved.unmatched
    return SyncReport(source.name, fetched, stored, unmatched, cursor)
