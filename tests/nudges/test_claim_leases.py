"""Leases on digest and reminder claims: a run that dies after claiming loses nothing.

A stalled run hands half its batch to the console outbox and is then cancelled (it died
between the platform accepting messages and the database recording them) or resumed late
(it outlived its lease). Its claim must hold until the lease has passed, then be taken
over by exactly one later run, and a late run must not overwrite its successor's record.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from contextlib import suppress
from datetime import timedelta
from typing import Any, TypeVar

from bot.delivery import Dispatcher
from bot.outbox import ConsoleOutbox
from coaching.digests.reminders import ReminderService
from coaching.digests.service import DELIVERY_LEASE
from coaching.team.rules import Clock
from storage.digest_repo import SqlDigestStore
from storage.models import NudgeDelivery, OutboxMessage
from storage.outbox_repo import SqlOutbox
from storage.repository import SqlStore, open_store
from tests.nudges.scenario import seed_s27
from tests.nudges.stalled import StalledSender
from tests.nudges.test_digests import MONDAY_9, count, digests
from tests.nudges.test_reminders import TUESDAY, WEDNESDAY, reminders, seed

T = TypeVar("T")
ONE_MINUTE = timedelta(minutes=1)
REMINDED = ["Rosa sends the data", "pushed back", "send Lena the pricing"]


def after(clock: Clock, delay: timedelta) -> Clock:
    return Clock(at=clock.at + delay)


def stalled_sender(store: SqlStore) -> StalledSender:
    return StalledSender(ConsoleOutbox(SqlOutbox(store.engine)))


async def stalled(run: Coroutine[Any, Any, T], sender: StalledSender) -> asyncio.Task[T]:
    """`run` started and waiting in its send, after the platform took half its batch."""
    task = asyncio.create_task(run)
    await asyncio.wait_for(sender.accepted.wait(), timeout=60)
    return task


async def die(task: asyncio.Task[Any]) -> None:
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task


def stalled_reminders(store: SqlStore, sender: StalledSender) -> ReminderService:
    return ReminderService(SqlDigestStore(store.engine), Dispatcher([sender]))


async def test_a_digest_claim_holds_for_its_lease_then_one_run_sends_it(store: SqlStore) -> None:
    await seed_s27(store)
    sender = stalled_sender(store)
    await die(await stalled(digests(store, sender).run(MONDAY_9), sender))
    assert await count(store, NudgeDelivery, NudgeDelivery.status == "pending") == 2
    assert await count(store, OutboxMessage) == 1

    within = await digests(store).run(after(MONDAY_9, DELIVERY_LEASE - ONE_MINUTE))
    assert (within.digests, within.skipped) == ([], 2)
    assert await count(store, NudgeDelivery, NudgeDelivery.status == "pending") == 2

    past = await digests(store).run(after(MONDAY_9, DELIVERY_LEASE))
    assert sorted(d.manager for d in past.digests) == ["M1", "M2"]
    assert await count(store, NudgeDelivery, NudgeDelivery.status == "sent") == 2
    assert await count(store, OutboxMessage) == 2
    assert (await digests(store).run(after(MONDAY_9, timedelta(hours=2)))).digests == []


async def test_racing_runs_past_the_lease_take_a_digest_over_once(database_url: str) -> None:
    first = await open_store(database_url, migrate=True)
    second = await open_store(database_url, migrate=True)
    try:
        await seed_s27(first)
        sender = stalled_sender(first)
        await die(await stalled(digests(first, sender).run(MONDAY_9), sender))

        later = after(MONDAY_9, DELIVERY_LEASE)
        reports = await asyncio.gather(digests(first).run(later), digests(second).run(later))

        assert sorted(d.manager for report in reports for d in report.digests) == ["M1", "M2"]
        assert await count(first, NudgeDelivery, NudgeDelivery.status == "sent") == 2
        assert await count(first, OutboxMessage) == 2
    finally:
        await first.close()
        await second.close()


async def test_a_run_that_outlived_its_lease_leaves_its_successors_claim(
    store: SqlStore,
) -> None:
    await seed_s27(store)
    first, second = stalled_sender(store), stalled_sender(store)
    slow = await stalled(digests(store, first).run(MONDAY_9), first)
    successor = await stalled(digests(store, second).run(after(MONDAY_9, DELIVERY_LEASE)), second)

    first.resume.set()
    assert (await slow).failed == 2
    third = await digests(store).run(after(MONDAY_9, DELIVERY_LEASE + ONE_MINUTE))
    await die(successor)

    assert (third.digests, third.skipped) == ([], 2)
    assert await count(store, NudgeDelivery, NudgeDelivery.status == "pending") == 2


async def test_a_reminder_claim_holds_for_its_lease_then_one_run_sends_it(store: SqlStore) -> None:
    await seed(store)
    sender = stalled_sender(store)
    await die(await stalled(stalled_reminders(store, sender).run(TUESDAY), sender))
    assert await count(store, OutboxMessage) == 2

    assert await reminders(store).run(after(TUESDAY, DELIVERY_LEASE - ONE_MINUTE)) == []
    past = await reminders(store).run(after(TUESDAY, DELIVERY_LEASE))

    assert sorted(r.text for r in past) == REMINDED
    assert await count(store, OutboxMessage) == 3
    assert await reminders(store).run(after(TUESDAY, timedelta(hours=2))) == []
    assert len(await reminders(store).run(WEDNESDAY)) == 3


async def test_racing_runs_past_the_lease_take_a_reminder_over_once(database_url: str) -> None:
    first = await open_store(database_url, migrate=True)
    second = await open_store(database_url, migrate=True)
    try:
        await seed(first)
        sender = stalled_sender(first)
        await die(await stalled(stalled_reminders(first, sender).run(TUESDAY), sender))

        later = after(TUESDAY, DELIVERY_LEASE)
        runs = await asyncio.gather(reminders(first).run(later), reminders(second).run(later))

        assert sorted(r.text for run in runs for r in run) == REMINDED
        assert await count(first, OutboxMessage) == 3
    finally:
        await first.close()
        await second.close()


async def test_a_run_that_outlived_its_lease_leaves_its_successors_reminder_claim(
    store: SqlStore,
) -> None:
    await seed(store)
    first, second = stalled_sender(store), stalled_sender(store)
    slow = await stalled(stalled_reminders(store, first).run(TUESDAY), first)
    successor = await stalled(
        stalled_reminders(store, second).run(after(TUESDAY, DELIVERY_LEASE)), second
    )

    first.resume.set()
    assert await slow == []
    third = await reminders(store).run(after(TUESDAY, DELIVERY_LEASE + ONE_MINUTE))
    await die(successor)

    assert third == []
    assert await count(store, OutboxMessage) == 2
