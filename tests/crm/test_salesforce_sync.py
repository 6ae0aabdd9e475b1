"""Read-only Salesforce sync against a loopback stand-in of the REST API, into a real store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from bot.crm_salesforce import SalesforceDeals
from coaching.digests.crm import SyncReport, sync_deals
from coaching.digests.deals import DealStage
from coaching.errors import CoachingError
from storage.crm_repo import SqlCrmStore
from storage.repository import SqlStore
from tests.crm.support import T0, assert_northwind_arrived, opportunity, people, stored
from tests.fakes.salesforce_api import TOKEN_PATH, FakeSalesforce, Scripted


@pytest.fixture
def salesforce(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSalesforce]:
    fake = FakeSalesforce().start()
    fake.add_owner("005A", "Ana.Lopez@Example.com")
    fake.add_owner("005B", "ben@example.com")
    fake.add_owner("005C", "someone.else@example.com")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(fake.ca_file))
    yield fake
    fake.stop()


async def run(
    fake: FakeSalesforce,
    store: SqlStore,
    sleeps: list[float] | None = None,
    *,
    secret: str | None = None,
    page_size: int = 2000,
) -> SyncReport:
    async def sleep(seconds: float) -> None:
        (sleeps if sleeps is not None else []).append(seconds)

    source = SalesforceDeals(
        fake.url, fake.client_id, secret or fake.secret, page_size=page_size, sleep=sleep
    )
    return await sync_deals(source, SqlCrmStore(store.engine))


async def test_an_opportunity_arrives_with_amount_stage_dates_next_step_and_its_rep(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    opportunity(
        salesforce,
        1,
        Name="Northwind platform",
        Amount=249999.5,
        StageName="Negotiation/Review",
        CloseDate="2026-03-31",
        NextStep="Security review with their CISO",
        LastActivityDate="2026-01-02",
    )

    report = await run(salesforce, store)

    assert (report.fetched, report.stored, report.unmatched) == (1, 1, 0)
    await assert_northwind_arrived(store, "salesforce:006000000000000001")


async def test_it_signs_in_with_client_credentials_and_only_reads(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    for number in range(1, 451):
        opportunity(salesforce, number, owner="005A" if number % 2 else "005B")

    report = await run(salesforce, store, page_size=200)

    assert (report.fetched, report.stored) == (450, 450)
    assert len(await stored(store)) == 450
    [token, *reads] = salesforce.requests
    assert (token.method, token.path) == ("POST", TOKEN_PATH)
    assert token.form["grant_type"] == "client_credentials"
    assert {seen.method for seen in reads} == {"GET"}
    first, *more = [seen.path for seen in reads]
    assert first.endswith("/query/")
    assert [path.rsplit("-", 1)[1] for path in more] == ["200", "400"]
    assert all(seen.authorization == "Bearer 00DTEST!token-1" for seen in reads)


async def test_the_next_sync_asks_only_for_what_changed_since_the_cursor(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    opportunity(salesforce, 1)
    opportunity(salesforce, 2)
    first = await run(salesforce, store)
    opportunity(
        salesforce, 3, StageName="Closed Won", IsClosed=True, IsWon=True, CloseDate="2026-01-05"
    )

    second = await run(salesforce, store)

    assert first.cursor == T0 + timedelta(minutes=2)
    [*_, last] = salesforce.queries()
    assert last.query is not None
    assert "WHERE SystemModstamp >= 2026-01-05T09:02:00Z" in last.query
    assert "ORDER BY SystemModstamp, Id" in last.query
    assert second.fetched == 2  # the second again (the cursor is inclusive) and the third
    rows = await stored(store)
    assert len(rows) == 3
    assert rows["salesforce:006000000000000003"].stage == DealStage.WON.value
    assert rows["salesforce:006000000000000003"].closed_at == date(2026, 1, 5)


async def test_a_sync_interrupted_by_the_api_limit_resumes_without_duplicates(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    for number in range(1, 601):
        opportunity(salesforce, number)
    limit = Scripted(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    salesforce.script.extend([None, limit])

    with pytest.raises(CoachingError) as failed:
        await run(salesforce, store, page_size=200)
    assert failed.value.code == "crm.unavailable"
    assert "API request limit" in failed.value.message
    assert len(await stored(store)) == 200

    report = await run(salesforce, store, page_size=200)

    rows = await stored(store)
    assert sorted(rows) == sorted(f"salesforce:006{n:015d}" for n in range(1, 601))
    assert report.fetched == 401  # the 200th again, from the stored cursor


async def test_an_expired_token_mid_sync_is_renewed_once_and_the_sync_goes_on(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    for number in range(1, 401):
        opportunity(salesforce, number)
    source = SalesforceDeals(salesforce.url, salesforce.client_id, salesforce.secret, page_size=200)
    crm = SqlCrmStore(store.engine)
    pages = source.pages(None)
    first = await anext(pages)
    salesforce.expire_tokens()
    rest = [deal async for page in pages for deal in page]

    assert len(first) + len(rest) == 400
    assert salesforce.tokens_issued == 2
    await crm.save_crm_page("salesforce", [*first, *rest], T0)
    assert len(await stored(store)) == 400


async def test_a_token_that_never_lives_is_one_line_after_one_renewal(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    opportunity(salesforce, 1)
    salesforce.tokens_expire_at_once = True

    with pytest.raises(CoachingError) as failed:
        await run(salesforce, store)

    assert failed.value.code == "crm.unauthorized"
    assert salesforce.tokens_issued == 2
    assert await stored(store) == {}


async def test_a_wrong_secret_is_one_clear_line_and_nothing_changes(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    opportunity(salesforce, 1)

    with pytest.raises(CoachingError) as failed:
        await run(salesforce, store, secret="not-the-secret")

    assert failed.value.code == "crm.unauthorized"
    assert "COACH_SALESFORCE_CLIENT_SECRET" in failed.value.message
    assert "\n" not in failed.value.message
    assert "not-the-secret" not in failed.value.message
    assert salesforce.queries() == []
    assert await stored(store) == {}
    assert await SqlCrmStore(store.engine).crm_cursor("salesforce") is None


async def test_a_rate_limit_waits_as_long_as_retry_after_says(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    opportunity(salesforce, 1)
    salesforce.script.append(Scripted(429, "REQUEST_LIMIT_EXCEEDED", headers={"Retry-After": "7"}))
    sleeps: list[float] = []

    report = await run(salesforce, store, sleeps)

    assert sleeps == [7.0]
    assert report.stored == 1
    assert len(salesforce.queries()) == 2


async def test_an_answer_that_is_not_salesforces_is_one_line_too(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    opportunity(salesforce, 1)
    salesforce.script.append(Scripted(200, message="a proxy's page, not a query result"))

    with pytest.raises(CoachingError) as failed:
        await run(salesforce, store)

    assert failed.value.code == "crm.unavailable"
    assert "could not read" in failed.value.message
    assert await stored(store) == {}


async def test_neither_credentials_nor_deal_data_reach_the_logs(
    salesforce: FakeSalesforce, store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    await people(store)
    opportunity(salesforce, 1, Name="Northwind platform", NextStep="Call their CFO")
    salesforce.script.append(Scripted(429, headers={"Retry-After": "1"}))
    caplog.set_level(logging.DEBUG)

    await run(salesforce, store)

    ours = ("bot", "coaching", "simple_salesforce", "urllib3", "requests")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(ours))
    assert "rate limit" in logged
    for secret in (salesforce.secret, "00DTEST", "Northwind", "CFO", "ana.lopez"):
        assert secret not in logged


async def test_owners_who_are_no_rep_are_skipped_and_custom_stages_still_close(
    salesforce: FakeSalesforce, store: SqlStore
) -> None:
    await people(store)
    opportunity(salesforce, 1, StageName="Technical win")
    opportunity(salesforce, 2, owner="005C")
    opportunity(salesforce, 3, owner="005Z")
    opportunity(salesforce, 4, StageName="Lost to competitor", IsClosed=True)
    opportunity(salesforce, 5, Amount=None, Name="")

    report = await run(salesforce, store)

    assert (report.stored, report.unmatched) == (3, 2)
    rows = await stored(store)
    assert rows["salesforce:006000000000000001"].stage == DealStage.DISCOVERY.value
    assert rows["salesforce:006000000000000004"].stage == DealStage.LOST.value
    unnamed = rows["salesforce:006000000000000005"]
    assert (unnamed.name, unnamed.value) == ("Salesforce deal 006000000000000005", None)
