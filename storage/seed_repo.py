"""`SqlSeeder`: bulk, idempotent inserts of deals and commitments.

`coach demo`, the tests and the benchmark use it to build an organisation's state in a few
statements. Rows are keyed (a deal by owner and name, a commitment by its idempotency key)
and existing rows are skipped, so seeding twice never duplicates anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from coaching.digests.deals import Deal
from coaching.types import Commitment
from storage.models import CommitmentRow, DealRow
from storage.team_repo import SqlMembers
from storage.upsert import insert_or_skip


@dataclass(frozen=True)
class SeedCommitment:
    """A commitment to store for `owner_id`; `key` makes the insert idempotent."""

    owner_id: int
    key: str
    commitment: Commitment
    created_at: datetime
    updated_at: datetime
    snoozed_until: date | None = None


class SqlSeeder(SqlMembers):
    async def add_deals(self, deals: Sequence[Deal]) -> int:
        """Insert deals not stored yet; how many were new."""
        if not deals:
            return 0
        rows = [{"user_id": d.owner_id, **_deal_values(d)} for d in deals]
        async with self.transaction() as session:
            statement = insert_or_skip(session, DealRow, ["user_id", "name"])
            result = await session.execute(statement.returning(DealRow.id), rows)
            return len(result.all())

    async def add_commitments(self, items: Sequence[SeedCommitment]) -> int:
        """Insert commitments whose key is not stored yet; how many were new."""
        if not items:
            return 0
        rows = [
            {
                "user_id": item.owner_id,
                "idempotency_key": item.key,
                "text": item.commitment.text,
                "kind": item.commitment.kind,
                "counterpart": item.commitment.counterpart,
                "party": item.commitment.party,
                "due": item.commitment.due,
                "status": item.commitment.status,
                "snoozed_until": item.snoozed_until,
                "created_at": item.created_at,
                "updated_at": item.updated_at,
            }
            for item in items
        ]
        async with self.transaction() as session:
            statement = insert_or_skip(session, CommitmentRow, ["idempotency_key"])
            result = await session.execute(statement.returning(CommitmentRow.id), rows)
            return len(result.all())


def _deal_values(deal: Deal) -> dict[str, object]:
    return {
        "name": deal.name,
        "stage": deal.stage.value,
        "value": deal.value,
        "product_line": deal.product_line,
        "peak_interest_at": deal.peak_interest_at,
        "last_customer_action_at": deal.last_customer_action_at,
        "proposal_sent_at": deal.proposal_sent_at,
        "p3_requested": deal.p3_requested,
        "p3_at": deal.p3_at,
        "decider_confirmed": deal.decider_confirmed,
        "closed_at": deal.closed_at,
    }
