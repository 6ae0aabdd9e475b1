"""CRM sync: 10,000 deals of 50 reps from the HubSpot and Salesforce stand-ins into SQLite.

Each baseline, measured in the same run against the same stand-in, is reading the same
pages with plain aiohttp and `json` (no SDK, no mapping, no store): the work any sync must
do just to receive the data. For HubSpot that is 100 search pages over HTTP; for
Salesforce the token request and 5 query batches of 2,000 over HTTPS, as the real API
pages. The ratio says what the SDK, the mapping, the owner match and the upserts cost on
top, independent of how fast this machine is. A second sync right after (nothing changed:
one page, the last deal again) shows what cron pays every run. Goal: each full sync under
30 s on the shared 2-CPU machine.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.crm_hubspot import PAGE_SIZE, PROPERTIES, HubSpotDeals
from bot.crm_salesforce import API_VERSION, FIELDS, SalesforceDeals
from coaching.digests.crm import SyncReport, sync_deals
from coaching.digests.ports import CrmSource
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, MemberUpdate
from coaching.types import Platform, Role
from storage.crm_repo import SqlCrmStore
from storage.repository import open_store
from storage.team_repo import SqlTeamStore
from tests.fakes.hubspot_api import SEARCH_PATH, FakeHubSpot, hubspot_time
from tests.fakes.salesforce_api import TOKEN_PATH, FakeSalesforce, salesforce_time

DEALS = 10_000
REPS = 50
GOAL_SECONDS = 30.0
T0 = datetime(2025, 6, 1, tzinfo=UTC)
STAGES = ("appointmentscheduled", "presentationscheduled", "contractsent", "closedwon")
SALESFORCE_STAGES = ("Prospecting", "Proposal/Price Quote", "Negotiation/Review", "Closed Won")
NEXT_STEP = "Review the rollout plan with their team"


@dataclass(frozen=True)
class Figures:
    full: float
    base: float
    again: float
    report: SyncReport


def hubspot_stand_in() -> FakeHubSpot:
    fake = FakeHubSpot().start()
    for rep in range(REPS):
        fake.add_owner(str(1000 + rep), f"rep{rep}@example.com")
    for number in range(1, DEALS + 1):
        fake.put_deal(
            str(number),
            dealname=f"Account {number} expansion",
            hubspot_owner_id=str(1000 + number % REPS),
            dealstage=STAGES[number % len(STAGES)],
            amount=str(1000 + number),
            closedate=hubspot_time(T0 + timedelta(days=90)),
            hs_next_step=NEXT_STEP,
            hs_last_sales_activity_date=hubspot_time(T0 + timedelta(days=number % 120)),
            createdate=hubspot_time(T0),
            hs_lastmodifieddate=hubspot_time(T0 + timedelta(seconds=number)),
        )
    return fake


def salesforce_stand_in() -> FakeSalesforce:
    fake = FakeSalesforce().start()
    for rep in range(REPS):
        fake.add_owner(f"005{rep:015d}", f"rep{rep}@example.com")
    for number in range(1, DEALS + 1):
        stage = SALESFORCE_STAGES[number % len(SALESFORCE_STAGES)]
        fake.put_opportunity(
            f"006{number:015d}",
            Name=f"Account {number} expansion",
            OwnerId=f"005{number % REPS:015d}",
            StageName=stage,
            IsClosed=stage == "Closed Won",
            IsWon=stage == "Closed Won",
            Amount=float(1000 + number),
            CloseDate=(T0 + timedelta(days=90)).date().isoformat(),
            NextStep=NEXT_STEP,
            LastActivityDate=(T0 + timedelta(days=number % 120)).date().isoformat(),
            CreatedDate=salesforce_time(T0),
            SystemModstamp=salesforce_time(T0 + timedelta(seconds=number)),
        )
    return fake


async def hubspot_baseline(fake: FakeHubSpot) -> int:
    """Every search page with plain aiohttp and json: what receiving the data costs."""
    headers = {"Authorization": f"Bearer {fake.token}"}
    received = 0
    after: str | None = None
    async with aiohttp.ClientSession(headers=headers) as session:
        while True:
            body: dict[str, Any] = {"limit": PAGE_SIZE, "properties": list(PROPERTIES)}
            if after:
                body["after"] = after
            async with session.post(fake.url + SEARCH_PATH, json=body) as response:
                page = await response.json()
            received += len(page["results"])
            after = (page.get("paging") or {}).get("next", {}).get("after")
            if after is None:
                return received


async def salesforce_baseline(fake: FakeSalesforce) -> int:
    """The token, then every query batch with plain aiohttp and json, over the same TLS."""
    trust = ssl.create_default_context(cafile=str(fake.ca_file))
    form = {"grant_type": "client_credentials", "client_id": fake.client_id}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=trust)) as session:
        async with session.post(
            fake.url + TOKEN_PATH, data={**form, "client_secret": fake.secret}
        ) as response:
            token = (await response.json())["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        query = f"SELECT {', '.join(FIELDS)} FROM Opportunity ORDER BY SystemModstamp, Id"
        url = f"{fake.url}/services/data/v{API_VERSION}/query/"
        params: dict[str, str] | None = {"q": query}
        received = 0
        while True:
            async with session.get(url, params=params, headers=headers) as response:
                batch = await response.json()
            received += len(batch["records"])
            if batch["done"]:
                return received
            url, params = fake.url + batch["nextRecordsUrl"], None


async def measure(url: str, source: CrmSource, baseline: Callable[[], Awaitable[int]]) -> Figures:
    store = await open_store(url, migrate=True)
    try:
        admin = UserRef(platform=Platform.CONSOLE, tenant="bench", user="admin")
        people = [MemberUpdate("admin", Role.ADMIN)] + [
            MemberUpdate(f"rep{n}", Role.REP, email=f"rep{n}@example.com") for n in range(REPS)
        ]
        await SqlTeamStore(store.engine).save_members(admin, people, AuditNote("bench"))
        crm = SqlCrmStore(store.engine)
        started = time.perf_counter()
        received = await baseline()
        base = time.perf_counter() - started
        assert received == DEALS, received
        started = time.perf_counter()
        report = await sync_deals(source, crm)
        full = time.perf_counter() - started
        started = time.perf_counter()
        await sync_deals(source, crm)
        again = time.perf_counter() - started
        return Figures(full, base, again, report)
    finally:
        await store.close()


@contextmanager
def trusting(ca_file: Path) -> Iterator[None]:
    """simple-salesforce (requests) trusts the stand-in's CA the way an operator would."""
    before = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = str(ca_file)
    try:
        yield
    finally:
        if before is None:
            del os.environ["REQUESTS_CA_BUNDLE"]
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = before


def sync_hubspot(url: str) -> Figures:
    fake = hubspot_stand_in()
    try:
        source = HubSpotDeals(fake.token, host=fake.url)
        return asyncio.run(measure(url, source, lambda: hubspot_baseline(fake)))
    finally:
        fake.stop()


def sync_salesforce(url: str) -> Figures:
    fake = salesforce_stand_in()
    try:
        source = SalesforceDeals(fake.url, fake.client_id, fake.secret)
        with trusting(fake.ca_file):
            return asyncio.run(measure(url, source, lambda: salesforce_baseline(fake)))
    finally:
        fake.stop()


def run() -> bool:
    """Print the sync benchmark for both CRMs; True when both full syncs meet the goal."""
    ok = True
    print("CRM sync (baseline: the same pages read with plain aiohttp + json)")
    for label, sync in (("HubSpot", sync_hubspot), ("Salesforce", sync_salesforce)):
        with tempfile.TemporaryDirectory() as folder:
            figures = sync(f"sqlite:///{Path(folder) / 'bench.db'}")
        met = figures.full < GOAL_SECONDS and figures.report.stored == DEALS
        ok = ok and met
        print(
            f"{label:<10} {figures.report.stored:,} deals of {REPS} reps  "
            f"full sync {figures.full:6.2f} s  {figures.full / figures.base:5.1f}x baseline "
            f"(baseline {figures.base:.2f} s)  next sync, nothing changed "
            f"{figures.again * 1000:.0f} ms  goal < {GOAL_SECONDS:g} s: "
            f"{'met' if met else 'NOT met'}"
        )
    return ok


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
