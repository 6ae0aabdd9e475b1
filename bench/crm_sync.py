"""HubSpot sync: 10,000 deals of 50 reps from the loopback CRM v3 stand-in into SQLite.

The baseline, measured in the same run against the same stand-in, is reading the same
100 search pages with plain aiohttp and `json` (no SDK, no mapping, no store): the work any
sync must do just to receive the data. The ratio says what the SDK's models, the mapping,
the owner match and the upserts cost on top, independent of how fast this machine is. A
second sync right after (nothing changed: one page, the last deal again) shows what cron
pays every run. Goal: the full sync under 30 s on the shared 2-CPU machine.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.crm_hubspot import PAGE_SIZE, PROPERTIES, HubSpotDeals
from coaching.digests.crm import SyncReport, sync_deals
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, MemberUpdate
from coaching.types import Platform, Role
from storage.crm_repo import SqlCrmStore
from storage.repository import open_store
from storage.team_repo import SqlTeamStore
from tests.fakes.hubspot_api import SEARCH_PATH, FakeHubSpot, hubspot_time

DEALS = 10_000
REPS = 50
GOAL_SECONDS = 30.0
T0 = datetime(2025, 6, 1, tzinfo=UTC)
STAGES = ("appointmentscheduled", "presentationscheduled", "contractsent", "closedwon")


def stand_in() -> FakeHubSpot:
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
            hs_next_step="Review the rollout plan with their team",
            hs_last_sales_activity_date=hubspot_time(T0 + timedelta(days=number % 120)),
            createdate=hubspot_time(T0),
            hs_lastmodifieddate=hubspot_time(T0 + timedelta(seconds=number)),
        )
    return fake


async def baseline(fake: FakeHubSpot) -> int:
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


async def measure(url: str, fake: FakeHubSpot) -> tuple[float, float, float, SyncReport]:
    store = await open_store(url, migrate=True)
    try:
        admin = UserRef(platform=Platform.CONSOLE, tenant="bench", user="admin")
        people = [MemberUpdate("admin", Role.ADMIN)] + [
            MemberUpdate(f"rep{n}", Role.REP, email=f"rep{n}@example.com") for n in range(REPS)
        ]
        await SqlTeamStore(store.engine).save_members(admin, people, AuditNote("bench"))
        crm = SqlCrmStore(store.engine)
        source = HubSpotDeals(fake.token, host=fake.url)
        started = time.perf_counter()
        received = await baseline(fake)
        base = time.perf_counter() - started
        assert received == DEALS, received
        started = time.perf_counter()
        report = await sync_deals(source, crm)
        full = time.perf_counter() - started
        started = time.perf_counter()
        await sync_deals(source, crm)
        again = time.perf_counter() - started
        return full, base, again, report
    finally:
        await store.close()


def run() -> bool:
    """Print the sync benchmark; True when the full sync meets the goal."""
    fake = stand_in()
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            full, base, again, report = asyncio.run(measure(url, fake))
    finally:
        fake.stop()
    met = full < GOAL_SECONDS and report.stored == DEALS
    print("HubSpot sync (baseline: the same search pages read with plain aiohttp + json)")
    print(
        f"{report.stored:,} deals of {REPS} reps  full sync {full:6.2f} s  "
        f"{full / base:5.1f}x baseline (baseline {base:.2f} s)  "
        f"next sync, nothing changed {again * 1000:.0f} ms  "
        f"goal < {GOAL_SECONDS:g} s: {'met' if met else 'NOT met'}"
    )
    return met


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
