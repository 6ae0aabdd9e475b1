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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from coaching.digests.deals import DealStage
from coaching.digests.ports import CrmDeal, CrmSource, CrmStore
from coaching.errors import CoachingError

NEXT_STEP_CHARS = 1000


def to_crm_deal(
    source: str,
    record_id: str,
    *,
    label: str,
    name: str | None,
    owner_email: str | None,
    stage: DealStage,
    modified_at: datetime,
    amount: str | float | None = None,
    close_date: date | None = None,
    next_step: str | None = None,
    last_customer_action_at: date | None = None,
    opened_at: date | None = None,
) -> CrmDeal:
    """One CRM record in our terms, by the same rules whichever CRM it came from.

    Every CRM hands over the same kinds of value in its own spelling; what they become is
    decided here once: the id is prefixed with the CRM ("salesforce:006..."), an unnamed
    deal is called after its CRM and id, the amount is whole currency units (half a unit
    rounded up), the next step is trimmed to what a digest line can hold, the owner's email
    is compared in lower case, and a time without a zone is UTC."""
    email = (owner_email or "").strip().lower()
    return CrmDeal(
        crm_id=f"{source}:{record_id}",
        name=(name or "").strip() or f"{label} deal {record_id}",
        owner_email=email or None,
        stage=stage,
        modified_at=modified_at if modified_at.tzinfo else modified_at.replace(tzinfo=UTC),
        amount=whole_units(amount),
        close_date=close_date,
        next_step=(next_step or "").strip()[:NEXT_STEP_CHARS] or None,
        last_customer_action_at=last_customer_action_at,
        opened_at=opened_at,
    )


def whole_units(value: str | float | None) -> int | None:
    """An amount as a CRM stores it (a decimal string, a JSON number) in whole units."""
    if value is None or value == "":
        return None
    try:
        return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class SyncReport:
    """One sync's totals, for the CLI line and the job log (no deal names: they are data)."""

    source: str
    fetched: int
    stored: int
    unmatched: int
    cursor: datetime | None

    def counts(self) -> dict[str, int]:
        return {"fetched": self.fetched, "stored": self.stored, "unmatched": self.unmatched}


@dataclass(frozen=True, slots=True)
class SyncFailure:
    """A CRM that refused or failed us this time; its pages stored before that are kept."""

    source: str
    error: CoachingError


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


async def sync_all(sources: Sequence[CrmSource], store: CrmStore) -> list[SyncReport | SyncFailure]:
    """Every configured CRM in turn, each from its own cursor: one CRM refusing a token
    keeps no other CRM's deals out of the coach."""
    outcomes: list[SyncReport | SyncFailure] = []
    for source in sources:
        try:
            outcomes.append(await sync_deals(source, store))
        except CoachingError as error:
            outcomes.append(SyncFailure(source.name, error))
    return outcomes
