"""Shared by the CRM tests: reps with the emails their CRM knows them by, and deals in the
HubSpot and Salesforce stand-ins with sensible defaults (each a minute newer than the one
before)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from coaching.digests.deals import DealStage
from coaching.team.ports import AuditNote, MemberUpdate
from coaching.types import Role
from storage.crm_repo import SqlCrmStore
from storage.models import DealRow
from storage.repository import SqlStore
from storage.team_repo import SqlTeamStore
from tests.fakes.hubspot_api import FakeHubSpot, hubspot_time
from tests.fakes.salesforce_api import FakeSalesforce, salesforce_time
from tests.nudges.org import ref

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def people(store: SqlStore) -> None:
    """A manager and two reps, with the emails HubSpot knows them by (in lower case)."""
    updates = [
        MemberUpdate("m1", Role.MANAGER, "Maria"),
        MemberUpdate("ana", Role.REP, "Ana", manager="m1", email="ana.lopez@example.com"),
        MemberUpdate("ben", Role.REP, "Ben", manager="m1", email="ben@example.com"),
    ]
    await SqlTeamStore(store.engine).save_members(ref("m1"), updates, AuditNote("test"))


def deal(fake: FakeHubSpot, number: int, *, owner: str = "101", **props: str | None) -> None:
    defaults: dict[str, str | None] = {
        "dealname": f"Deal {number}",
        "hubspot_owner_id": owner,
        "dealstage": "presentationscheduled",
        "amount": "1000",
        "createdate": hubspot_time(T0 - timedelta(days=30)),
        "hs_lastmodifieddate": hubspot_time(T0 + timedelta(minutes=number)),
    }
    fake.put_deal(str(number), **{**defaults, **props})


def opportunity(fake: FakeSalesforce, number: int, *, owner: str = "005A", **fields: Any) -> None:
    """An open Opportunity of owner `owner`, modified `number` minutes after T0."""
    defaults: dict[str, Any] = {
        "Name": f"Opportunity {number}",
        "OwnerId": owner,
        "StageName": "Proposal/Price Quote",
        "IsClosed": False,
        "IsWon": False,
        "Amount": 1000.0,
        "CreatedDate": salesforce_time(T0 - timedelta(days=30)),
        "SystemModstamp": salesforce_time(T0 + timedelta(minutes=number)),
    }
    fake.put_opportunity(f"006{number:015d}", **{**defaults, **fields})


async def stored(store: SqlStore) -> dict[str, DealRow]:
    """Every synced deal by its CRM id."""
    async with SqlCrmStore(store.engine).sessions() as session:
        rows = (await session.scalars(select(DealRow))).all()
    return {row.crm_id or "": row for row in rows}


async def assert_northwind_arrived(store: SqlStore, crm_id: str) -> None:
    """ "Northwind platform" as both CRMs' tests describe it, as decay and the digest read it:
    249,999.50 in negotiation, closing 31 March, a next step, last customer action on 2
    January, opened 30 days before T0, and Ana's."""
    row = (await stored(store))[crm_id]
    assert row.name == "Northwind platform"
    assert row.value == 250_000
    assert row.stage == DealStage.NEGOTIATION.value
    assert row.close_date == date(2026, 3, 31)
    assert row.next_step == "Security review with their CISO"
    assert row.last_customer_action_at == date(2026, 1, 2)
    assert row.peak_interest_at == date(2025, 12, 6)
    assert row.closed_at is None
    members = await SqlTeamStore(store.engine).members(ref("m1"), ["ana"])
    assert row.user_id == members["ana"].id
