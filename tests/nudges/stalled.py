"""A console sender that stalls midway, for the tests of runs that die after claiming.

It hands the first half of a batch to the console outbox (the platform accepted those),
then waits until `resume` is set and reports nothing delivered. Cancelled or killed while
it waits, it is a run that died between the platform accepting messages and the database
recording them; resumed, it is a run that outlived its lease and then saw its send fail.

Run as a module it is such a worker in its own process, for the fault tests to kill:
`python -m tests.nudges.stalled digests|reminders DATABASE_URL NOW`.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from bot.clock import make_clock
from bot.delivery import Dispatcher
from bot.outbox import ConsoleOutbox
from coaching.digests.ports import Outgoing
from coaching.digests.reminders import ReminderService
from coaching.digests.service import DigestService
from coaching.types import Platform
from config.settings import Settings
from storage.digest_repo import SqlDigestStore
from storage.outbox_repo import SqlOutbox
from storage.repository import open_store


class StalledSender:
    platform = Platform.CONSOLE

    def __init__(self, outbox: ConsoleOutbox) -> None:
        self._outbox = outbox
        self.accepted = asyncio.Event()
        self.resume = asyncio.Event()

    async def send(self, items: Sequence[Outgoing]) -> set[str]:
        await self._outbox.send(items[: (len(items) + 1) // 2])
        self.accepted.set()
        await self.resume.wait()
        return set()


async def stall_forever(job: str, url: str, now: str) -> None:
    """One digest or reminders run, wired like `coach`, that stalls in its send."""
    settings = Settings(_env_file=None, COACH_DATABASE_URL=url)
    clock = make_clock(now, None, settings, one_user=False)
    store = await open_store(url, migrate=True)
    try:
        runs = SqlDigestStore(store.engine)
        outbound = Dispatcher([StalledSender(ConsoleOutbox(SqlOutbox(store.engine)))])
        if job == "digests":
            await DigestService(runs, outbound).run(clock)
        else:
            await ReminderService(runs, outbound).run(clock)
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(stall_forever(*sys.argv[1:4]))
