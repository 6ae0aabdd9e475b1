"""Shared by the CRM tests: reps with the emails their CRM knows them by, and deals in the
HubSpot and Salesforce stand-ins with sensible defaults (each a minute newer than the one
before)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from coaching.team import MemberUpdate
from coaching.team_service import AuditNote
from coaching.types import Role
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
