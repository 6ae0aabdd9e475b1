"""Read-only HubSpot sync against a loopback stand-in of the CRM v3 API, into a real store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot import crm_hubspot
from bot.crm_hubspot import HubSpotDeals
from coaching.digests.crm import sync_deals
from coaching.digests.deals import DealStage
from coaching.errors import CoachingError
from storage.crm_repo import SqlCrmStore
from storage.repository import SqlStore
from tests.crm.support import T0, assert_northwind_arrived, deal, people, stored
from tests.fakes import hubspot_api
from tests.fakes.hubspot_api import OWNERS_PATH, SEARCH_PATH, FakeHubSpot, Scripted, hubspot_time


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    fake = FakeHubSpot().start()
    fake.add_owner("101", "Ana.Lopez@Example.com")
    fake.add_owner("102", "ben@example.com")
    fake.add_owner("103", "someone.else@example.com")
    yield fake
    fake.stop()


async def run(fake: FakeHubSpot, store: SqlStore, sleeps: list[float] | None = None):
    async def sleep(seconds: float) -> None:
        (sleeps if sleeps is not None else []).append(seconds)

    source = HubSpotDeals(fake.token, host=fake.url, sleep=sleep)
    return await sync_deals(source, SqlCrmStore(store.engine))


async def test_a_deal_arrives_with_amount_stage_dates_next_step_and_its_rep(
    hubspot: FakeHubSpot, store: SqlStore
) -> None:
    await people(store)
    deal(
        hubspot,
        1,
        dealname="Northwind platform",
        amount="249999.50",
        dealstage="contractsent",
        closedate="2026-03-31T00:00:00.000Z",
        hs_next_step="Security review with their CISO",
        hs_last_sales_activity_date="2026-01-02T16:20:00.000Z",
    )

    report = await run(hubspot, store)

    assert (report.fetched, report.stored, report.unmatched) == (1, 1, 0)
    await assert_northwind_arrived(store, "hubspot:1")


async def test_neither_the_token_nor_deal_data_reach_the_logs(
    hubspot: FakeHubSpot, store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    await people(store)
    deal(hubspot, 1, dealname="Northwind platform", hs_next_step="Call their CFO")
    hubspot.script.extend([Scripted(429, headers={"Retry-After": "1"})])
    caplog.set_level(logging.DEBUG)

    await run(hubspot, store)

    # The database driver's own DEBUG lines echo SQL parameters; the CRM side must not.
    ours = ("bot", "coaching", "hubspot", "urllib3")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(ours))
    assert "rate limit" in logged
    for secret in (hubspot.token, "Northwind", "CFO", "ana.lopez"):
        assert secret not in logged


async def test_pages_are_followed_and_only_reads_are_made(
    hubspot: FakeHubSpot, store: SqlStore
) -> None:
    await people(store)
    for number in range(1, 251):
        deal(hubspot, number, owner="101" if number % 2 else "102")

    report = await run(hubspot, store)

    assert (report.fetched, report.stored) == (250, 250)
    assert len(await stored(store)) == 250
    assert [s.body and s.body.get("after") for s in hubspot.searches()] == [None, "100", "200"]
    assert {(s.method, s.path) for s in hubspot.requests} == {
        ("GET", OWNERS_PATH),
        ("POST", SEARCH_PATH),
    }


async def test_the_next_sync_asks_only_for_what_changed_since_the_cursor(
    hubspot: FakeHubSpot, store: SqlStore
) -> None:
    await people(store)
    deal(hubspot, 1)
    deal(hubspot, 2)
    first = await run(hubspot, store)
    deal(hubspot, 3, dealname="Deal 3", dealstage="closedwon", closedate=hubspot_time(T0))

    second = await run(hubspot, store)

    assert first.cursor == T0 + timedelta(minutes=2)
    [*_, last] = hubspot.searches()
    assert last.body is not None
    [group] = last.body["filterGroups"]
    assert group["filters"] == [
        {
            "propertyName": "hs_lastmodifieddate",
            "operator": "GTE",
            "value": str(int(first.cursor.timestamp() * 1000)),
        }
    ]
    assert second.fetched == 2  # deal 2 again (same instant is never skipped) and deal 3
    rows = await stored(store)
    assert len(rows) == 3
    assert rows["hubspot:3"].stage == DealStage.WON.value
    assert rows["hubspot:3"].closed_at == T0.date()


async def test_a_sync_interrupted_halfway_resumes_without_duplicates(
    hubspot: FakeHubSpot, store: SqlStore
) -> None:
    await people(store)
    for number in range(1, 301):
        deal(hubspot, number)
    hubspot.script.extend([None, Scripted(500, message="internal error")])

    with pytest.raises(CoachingError) as failed:
        await run(hubspot, store)
    assert failed.value.code == "crm.unavailable"
    assert len(await stored(store)) == 100

    report = await run(hubspot, store)

    rows = await stored(store)
    assert len(rows) == 300
    assert sorted(rows) == sorted(f"hubspot:{n}" for n in range(1, 301))
    assert report.fetched == 201  # deal 100 is read again from the stored cursor


async def test_a_rate_limit_waits_as_long_as_retry_after_says(
    hubspot: FakeHubSpot, store: SqlStore
) -> None:
    await people(store)
    deal(hubspot, 1)
    hubspot.script.extend([Scripted(429, headers={"Retry-After": "7"}, message="secondly")])
    sleeps: list[float] = []

    report = await run(hubspot, store, sleeps)

    assert sleeps == [7.0]
    assert report.stored == 1
    assert len(hubspot.searches()) == 2


async def test_an_expired_token_is_one_clear_line_and_nothing_changes(
    hubspot: FakeHubSpot, store: SqlStore
) -> None:
    await people(store)
    deal(hubspot, 1)
    hubspot.expired = True

    with pytest.raises(CoachingError) as failed:
        await run(hubspot, store)

    assert failed.value.code == "crm.unauthorized"
    assert "COACH_HUBSPOT_TOKEN" in failed.value.message
    assert "\n" not in failed.value.message
    assert hubspot.token not in failed.value.message
    assert await stored(store) == {}
    assert await SqlCrmStore(store.engine).crm_cursor("hubspot") is None


async def test_an_answer_that_is_not_hubspots_is_one_line_too(
    hubspot: FakeHubSpot, store: SqlStore
) -> None:
    await people(store)
    deal(hubspot, 1)
    hubspot.script.extend([Scripted(200, message="a proxy's page, not a search result")])

    with pytest.raises(CoachingError) as failed:
        await run(hubspot, store)

    assert failed.value.code == "crm.unavailable"
    assert "could not read" in failed.value.message
    assert await stored(store) == {}


async def test_deals_of_unknown_owners_are_skipped_and_same_names_both_kept(
    hubspot: FakeHubSpot, store: SqlStore
) -> None:
    await people(store)
    deal(hubspot, 1, dealname="Acme renewal")
    deal(hubspot, 2, dealname="Acme renewal")
    deal(hubspot, 3, owner="103")
    deal(hubspot, 4, owner="999")
    deal(hubspot, 5, dealstage="1234567", hs_is_closed="true", hs_is_closed_won="false")

    report = await run(hubspot, store)

    assert (report.stored, report.unmatched) == (3, 2)
    rows = await stored(store)
    assert rows["hubspot:1"].name == "Acme renewal"
    assert rows["hubspot:2"].name == "Acme renewal (hubspot:2)"
    assert rows["hubspot:5"].stage == DealStage.LOST.value


async def test_past_the_search_depth_the_query_starts_again_from_the_newest_time(
    hubspot: FakeHubSpot, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HubSpot pages one search only 10,000 deep; the stand-in and the client both go 200
    deep here, so 450 deals take three searches and every deal still arrives once."""
    monkeypatch.setattr(hubspot_api, "SEARCH_DEPTH", 200)
    monkeypatch.setattr(crm_hubspot, "SEARCH_DEPTH", 200)
    await people(store)
    for number in range(1, 451):
        deal(hubspot, number)

    report = await run(hubspot, store)

    assert len(await stored(store)) == 450
    starts = [s.body for s in hubspot.searches() if s.body and s.body.get("after") is None]
    assert len(starts) == 3
    assert report.cursor == T0 + timedelta(minutes=450)
