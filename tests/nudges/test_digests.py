"""Weekly digests on a real store: S27, exactly once per week, retries, a constant query count."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import ColumnElement, func, select

from bot.delivery import DigestSender, Dispatcher
from bot.outbox import ConsoleOutbox
from coaching.digests.ports import Outgoing
from coaching.digests.service import DigestService
from coaching.errors import CoachingError
from coaching.team.rules import Clock
from coaching.types import Platform, Role
from storage.digest_repo import SqlDigestStore
from storage.models import AuditEntry, NudgeDelivery, OutboxMessage
from storage.outbox_repo import SqlOutbox
from storage.repository import SqlStore, open_store
from tests.nudges.org import Org, StatementCounter, ref
from tests.nudges.scenario import ACTIVITY_DETAIL, HEALTH_DETAIL, REPS, WEEK, seed_s27


def wall(text: str) -> Clock:
    """The same local time for everyone, as `--now` without `--tz` gives."""
    return Clock(at=datetime.fromisoformat(text))


MONDAY_9 = wall("2026-03-02T09:00")


def digests(store: SqlStore, *senders: DigestSender) -> DigestService:
    outbound = Dispatcher(list(senders) or [ConsoleOutbox(SqlOutbox(store.engine))])
    return DigestService(SqlDigestStore(store.engine), outbound)


async def count(store: SqlStore, model: type[Any], *where: ColumnElement[bool]) -> int:
    async with store.sessions() as session:
        query = select(func.count()).select_from(model).where(*where)
        return await session.scalar(query) or 0


async def test_s27_digest_from_stored_state(store: SqlStore) -> None:
    await seed_s27(store)

    digest = await digests(store).preview(ref("M1"), "M1", MONDAY_9)

    assert digest.iso_week == WEEK
    sections = {section.rep: section for section in digest.reps}
    assert list(sections) == list(REPS)
    codes = {rep: {item.code for item in s.items} for rep, s in sections.items()}
    assert {"trust.reliability", "p3.not_requested"} <= codes["ana"]
    assert [line.days_late for line in sections["ana"].overdue] == [3]
    assert {"decay.stale", "funnel.activity_metrics"} <= codes["ben"]
    assert "recognition" in codes["cara"]
    assert {"revenue.unbalanced", "creepy.never"} <= codes["dana"]
    assert all(item.question for s in digest.reps for item in s.items)
    assert all(2 <= len(s.questions) <= 3 for s in digest.reps)
    text = digest.model_dump_json().lower()
    for private in (HEALTH_DETAIL, "health", ACTIVITY_DETAIL, "dials", "zed"):
        assert private not in text


async def test_a_digest_is_for_its_manager_or_an_admin_only(store: SqlStore) -> None:
    org = await seed_s27(store)
    await org.people(("boss", Role.ADMIN, None))
    service = digests(store)

    for intruder in ("M2", "ana", "nobody"):
        with pytest.raises(CoachingError) as refused:
            await service.preview(ref(intruder), "M1", MONDAY_9)
        assert refused.value.code == "auth.forbidden"
    assert (await service.preview(ref("boss"), "M1", MONDAY_9)).manager == "M1"
    with pytest.raises(CoachingError) as unknown:
        await service.preview(ref("boss"), "ana", MONDAY_9)
    assert unknown.value.code == "team.unknown_manager"
    assert await count(store, AuditEntry, AuditEntry.action == "refused.nudges.preview") == 4


async def test_run_twice_sends_once_per_manager_and_week(store: SqlStore) -> None:
    await seed_s27(store)
    service = digests(store)

    assert (await service.run(wall("2026-03-02T08:59"))).digests == []
    first = await service.run(MONDAY_9)
    second = await service.run(MONDAY_9)

    assert sorted(d.manager for d in first.digests) == ["M1", "M2"]
    assert (second.digests, second.skipped) == ([], 2)
    assert await count(store, NudgeDelivery, NudgeDelivery.status == "sent") == 2
    assert await count(store, OutboxMessage) == 2


async def stored_digests(store: SqlStore) -> tuple[dict[str, Any], dict[str, Any]]:
    """The delivery records' digests and the console outbox payloads, by manager."""
    async with store.sessions() as session:
        records = (await session.scalars(select(NudgeDelivery))).all()
        messages = (await session.scalars(select(OutboxMessage))).all()
        return (
            {r.digest["manager"]: r.digest for r in records},
            {m.payload["manager"]: m.payload for m in messages},
        )


async def test_the_records_keep_the_digest_as_sent_also_after_a_retry(store: SqlStore) -> None:
    await seed_s27(store)
    assert (
        await digests(store, FlakySender(ConsoleOutbox(SqlOutbox(store.engine)))).run(MONDAY_9)
    ).failed == 2

    retried = await digests(store).run(wall("2026-03-02T10:00"))
    sent = {d.manager: d.model_dump(mode="json") for d in retried.digests}

    assert sorted(sent) == ["M1", "M2"]
    assert {d["generated_at"][:16] for d in sent.values()} == {"2026-03-02T10:00"}
    assert await stored_digests(store) == (sent, sent)


async def test_racing_workers_send_one_digest_per_manager(database_url: str) -> None:
    first = await open_store(database_url, migrate=True)
    second = await open_store(database_url, migrate=True)
    try:
        await seed_s27(first)
        reports = await asyncio.gather(digests(first).run(MONDAY_9), digests(second).run(MONDAY_9))
        managers = sorted(d.manager for report in reports for d in report.digests)
        assert managers == ["M1", "M2"]
        assert await count(first, NudgeDelivery) == 2
        assert await count(first, OutboxMessage) == 2
    finally:
        await first.close()
        await second.close()


class FlakySender:
    """Fails its first batch, then delivers: a platform outage that passes."""

    platform = Platform.CONSOLE

    def __init__(self, outbox: ConsoleOutbox) -> None:
        self.outbox = outbox
        self.calls = 0

    async def send(self, items: Sequence[Outgoing]) -> set[str]:
        self.calls += 1
        if self.calls == 1:
            raise ConnectionError("platform down")
        return await self.outbox.send(items)


async def test_a_failed_send_is_retried_by_the_next_run_never_duplicated(store: SqlStore) -> None:
    await seed_s27(store)
    service = digests(store, FlakySender(ConsoleOutbox(SqlOutbox(store.engine))))

    failed = await service.run(MONDAY_9)
    assert (failed.digests, failed.failed) == ([], 2)
    assert await count(store, NudgeDelivery, NudgeDelivery.status == "failed") == 2

    retried = await service.run(MONDAY_9)
    again = await service.run(MONDAY_9)
    assert len(retried.digests) == 2
    assert again.digests == []
    assert await count(store, NudgeDelivery, NudgeDelivery.status == "sent") == 2
    assert await count(store, OutboxMessage) == 2


async def test_a_managers_own_day_and_hour_in_their_zone(store: SqlStore) -> None:
    org = await seed_s27(store)
    service = digests(store)
    await service.set_schedule(ref("M2"), weekday=4, hour=16)
    m2 = await org.member("M2")

    monday = await service.run(MONDAY_9)
    friday = await service.run(wall("2026-03-06T16:00"))

    assert [d.manager for d in monday.digests] == ["M1"]
    assert [d.manager for d in friday.digests] == [m2.user]


async def _team(org: Org, manager: str, size: int) -> None:
    reps = [f"{manager}-rep{i:02d}" for i in range(size)]
    await org.people((manager, Role.MANAGER, None), *((r, Role.REP, manager) for r in reps))
    for rep in reps:
        await org.promise(rep, "send the pricing", due=date(2026, 2, 27))
        await org.finding(rep, "trust.credibility", datetime(2026, 3, 1, tzinfo=UTC), evidence="x")


async def test_queries_do_not_grow_with_the_number_of_reps(store: SqlStore) -> None:
    org = Org(store)
    service = digests(store)
    await _team(org, "small", 3)
    with StatementCounter(store) as small_run:
        assert len((await service.run(MONDAY_9)).digests) == 1
    await _team(org, "large", 30)

    with StatementCounter(store) as small:
        assert len((await service.preview(ref("small"), "small", MONDAY_9)).reps) == 3
    with StatementCounter(store) as large:
        assert len((await service.preview(ref("large"), "large", MONDAY_9)).reps) == 30
    with StatementCounter(store) as both_run:
        assert len((await service.run(wall("2026-03-09T09:00"))).digests) == 2

    assert small.count == large.count
    assert small_run.count == both_run.count
