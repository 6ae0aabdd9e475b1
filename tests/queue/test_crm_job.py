"""The hourly CRM sync job: queued by the scheduler tick when a CRM is configured, run
before the digests in-process, syncing every configured CRM, and skipped entirely without
credentials."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from saq import Queue
from sqlalchemy import select

from bot.queue import CRM_JOB, DIGESTS_JOB, RedisJobs, batch_job, job_queue, tick
from config.settings import Settings
from storage.models import DealRow, OutboxMessage
from storage.repository import open_store
from tests.crm.support import deal, opportunity, people
from tests.fakes.hubspot_api import FakeHubSpot, hubspot_time
from tests.fakes.salesforce_api import FakeSalesforce, salesforce_time
from tests.queue.conftest import finished, worker_for

MONDAY_9 = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    fake = FakeHubSpot().start()
    fake.add_owner("101", "ana.lopez@example.com")
    deal(
        fake,
        1,
        dealname="Globex fleet rollout",
        createdate=hubspot_time(MONDAY_9 - timedelta(days=200)),
        hs_last_sales_activity_date=hubspot_time(MONDAY_9 - timedelta(days=100)),
    )
    yield fake
    fake.stop()


@pytest.fixture
def salesforce(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSalesforce]:
    fake = FakeSalesforce().start()
    fake.add_owner("005A", "ana.lopez@example.com")
    opportunity(
        fake,
        1,
        Name="Initech pilot",
        CreatedDate=salesforce_time(MONDAY_9 - timedelta(days=200)),
        LastActivityDate=(MONDAY_9 - timedelta(days=100)).date().isoformat(),
    )
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(fake.ca_file))
    yield fake
    fake.stop()


def with_hubspot(settings: Settings, fake: FakeHubSpot) -> Settings:
    return settings.replaced(COACH_HUBSPOT_TOKEN=SecretStr(fake.token), COACH_HUBSPOT_URL=fake.url)


async def prepared(settings: Settings) -> None:
    store = await open_store(settings.database.url, migrate=True)
    try:
        await people(store)
    finally:
        await store.close()


async def rows(settings: Settings, model: type[DealRow] | type[OutboxMessage]) -> list[Any]:
    store = await open_store(settings.database.url, migrate=True)
    try:
        async with store.sessions() as session:
            return list((await session.scalars(select(model))).all())
    finally:
        await store.close()


async def test_in_process_the_sync_runs_first_so_the_digest_sees_the_decaying_deal(
    settings: Settings, hubspot: FakeHubSpot
) -> None:
    configured = with_hubspot(settings, hubspot)
    await prepared(configured)

    async with job_queue(configured) as jobs:
        await jobs.enqueue_batches(MONDAY_9)

    assert [d.crm_id for d in await rows(configured, DealRow)] == ["hubspot:1"]
    [digest] = await rows(configured, OutboxMessage)
    assert "Globex fleet rollout: no customer action for 100 days" in digest.body


async def test_the_job_syncs_hubspot_and_salesforce_before_the_digest(
    settings: Settings, hubspot: FakeHubSpot, salesforce: FakeSalesforce
) -> None:
    configured = with_hubspot(settings, hubspot).replaced(
        COACH_SALESFORCE_URL=salesforce.url,
        COACH_SALESFORCE_CLIENT_ID=salesforce.client_id,
        COACH_SALESFORCE_CLIENT_SECRET=SecretStr(salesforce.secret),
    )
    await prepared(configured)

    async with job_queue(configured) as jobs:
        await jobs.enqueue_batches(MONDAY_9)

    synced = sorted(d.crm_id for d in await rows(configured, DealRow))
    assert synced == ["hubspot:1", "salesforce:006000000000000001"]
    [digest] = await rows(configured, OutboxMessage)
    assert "Initech pilot: no customer action for 100 days" in digest.body
    assert "Globex fleet rollout: no customer action for 100 days" in digest.body


async def test_a_scheduler_tick_queues_one_sync_per_hour_for_the_worker(
    settings: Settings, queue: Queue, hubspot: FakeHubSpot
) -> None:
    configured = with_hubspot(settings, hubspot)
    await prepared(configured)
    jobs = RedisJobs(queue, crm=True)

    async with worker_for(configured, queue):
        await tick(jobs, MONDAY_9)
        await tick(jobs, MONDAY_9.replace(minute=30))
        synced = await finished(queue, batch_job(CRM_JOB, MONDAY_9).key)
        await finished(queue, batch_job(DIGESTS_JOB, MONDAY_9).key)

    assert synced.result == {"hubspot": {"fetched": 1, "stored": 1, "unmatched": 0}}
    assert len(hubspot.searches()) == 1


@pytest.mark.parametrize("token", [None, "pat-na1-test"])
async def test_the_scheduler_queues_a_sync_only_when_a_token_is_set(
    settings: Settings, queue: Queue, redis_url: str, token: str | None
) -> None:
    wired = settings.replaced(
        COACH_QUEUE_URL=redis_url,
        COACH_QUEUE_NAME=queue.name,
        COACH_HUBSPOT_TOKEN=SecretStr(token) if token else None,
    )

    async with job_queue(wired) as jobs:
        await tick(jobs, MONDAY_9)

    queued = await queue.job(batch_job(CRM_JOB, MONDAY_9).key)
    assert (queued is not None) is (token is not None)
    assert await queue.job(batch_job(DIGESTS_JOB, MONDAY_9).key) is not None
