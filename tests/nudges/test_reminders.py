"""Reminders on a real store: the day before and on the day, once each, even when raced."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, datetime

from bot.delivery import Dispatcher
from bot.outbox import ConsoleOutbox
from coaching.commitments.ports import ReminderKind
from coaching.digests.ports import Outgoing
from coaching.digests.reminders import ReminderService
from coaching.team.rules import Clock
from coaching.types import CommitmentStatus, Party, Platform, Role
from storage.digest_repo import SqlDigestStore
from storage.outbox_repo import SqlOutbox
from storage.repository import SqlStore, open_store
from tests.nudges.org import Org
from tests.storage.factories import row_counts

TUESDAY = Clock(at=datetime.fromisoformat("2026-03-03T08:00"))
WEDNESDAY = Clock(at=datetime.fromisoformat("2026-03-04T08:00"))


def reminders(store: SqlStore) -> ReminderService:
    outbox = ConsoleOutbox(SqlOutbox(store.engine))
    return ReminderService(SqlDigestStore(store.engine), Dispatcher([outbox]))


async def seed(store: SqlStore) -> Org:
    org = Org(store)
    await org.people(("maria", Role.MANAGER, None), ("ana", Role.REP, "maria"))
    wednesday = date(2026, 3, 4)
    await org.promise("ana", "send Lena the pricing", due=wednesday)
    await org.promise("ana", "Rosa sends the data", due=wednesday, party=Party.CUSTOMER)
    await org.promise("ana", "maybe later", due=wednesday, status=CommitmentStatus.SUGGESTED)
    await org.promise("ana", "kept", due=wednesday, status=CommitmentStatus.DONE)
    await org.promise(
        "ana",
        "pushed back",
        due=date(2026, 3, 2),
        status=CommitmentStatus.SNOOZED,
        snoozed_until=wednesday,
    )
    return org


async def test_each_reminder_goes_out_once(store: SqlStore) -> None:
    await seed(store)
    service = reminders(store)

    tuesday = await service.run(TUESDAY)
    tuesday_again = await service.run(TUESDAY)
    wednesday = await service.run(WEDNESDAY)
    wednesday_again = await service.run(WEDNESDAY)

    assert sorted(r.text for r in tuesday) == [
        "Rosa sends the data",
        "pushed back",
        "send Lena the pricing",
    ]
    assert {r.when for r in tuesday} == {ReminderKind.DAY_BEFORE}
    assert {r.when for r in wednesday} == {ReminderKind.DUE_DAY}
    assert len(wednesday) == 3
    assert tuesday_again == wednesday_again == []
    assert (await row_counts(store))["outbox_messages"] == 6


async def test_racing_runs_send_each_reminder_once(database_url: str) -> None:
    first = await open_store(database_url, migrate=True)
    second = await open_store(database_url, migrate=True)
    try:
        await seed(first)
        runs = await asyncio.gather(reminders(first).run(TUESDAY), reminders(second).run(TUESDAY))
        assert sum(len(sent) for sent in runs) == 3
        assert (await row_counts(first))["outbox_messages"] == 3
    finally:
        await first.close()
        await second.close()


class DownSender:
    """A platform that accepts nothing: every item is left undelivered."""

    platform = Platform.CONSOLE

    async def send(self, _items: Sequence[Outgoing]) -> set[str]:
        return set()


async def test_a_failed_reminder_is_sent_by_the_next_run(store: SqlStore) -> None:
    await seed(store)
    down = ReminderService(SqlDigestStore(store.engine), Dispatcher([DownSender()]))

    assert await down.run(TUESDAY) == []
    assert len(await reminders(store).run(TUESDAY)) == 3
