"""A console sender that stalls midway, for the tests of runs that die after claiming.

It hands the first half of a batch to the console outbox (the platform accepted those),
then waits until `resume` is set and reports nothing delivered. Cancelled or killed while
it waits, it is a run that died between the platform accepting messages and the database
recording them; resumed, it is a run that outlived its lease and then saw its send fail.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.outbox import ConsoleOutbox
from coaching.outbound import Outgoing
from coaching.types import Platform


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
