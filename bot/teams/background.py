"""Teams work after the HTTP request: in order per conversation, a bounded number at once.

`/api/messages` answers a message activity as soon as it is admitted, so a burst of
messages is not held open while each is handled; the SDK's turn for it (typing, commands)
and then the coaching turn (`bot.teams.turns.answer_later`) run here and answer through
the connector. A conversation's work runs in the order it arrived, as it would within the
requests; at most `limit` items run at once, so a burst queues here instead of every turn
slowing every other; and each starts only once a burst of acks is over, or after `defer`
seconds (`bot.work.BackgroundWork`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from bot.work import BackgroundWork


class ConversationTurns:
    """Starts work on `work`, each item after the previous one of its conversation."""

    def __init__(self, work: BackgroundWork, limit: int, *, defer: float) -> None:
        self.work = work
        self._slots = asyncio.Semaphore(limit)
        self._defer = defer
        self._last: dict[str, asyncio.Future[None]] = {}

    def start(self, conversation: str, turn: Coroutine[Any, Any, None]) -> None:
        """Run `turn` once the conversation's earlier work has ended, however it ended."""
        previous = self._last.get(conversation)
        ended = asyncio.get_running_loop().create_future()
        self._last[conversation] = ended
        self.work.spawn(self._in_order(conversation, previous, ended, turn), defer=self._defer)

    async def _in_order(
        self,
        conversation: str,
        previous: asyncio.Future[None] | None,
        ended: asyncio.Future[None],
        turn: Coroutine[Any, Any, None],
    ) -> None:
        try:
            if previous is not None:
                await asyncio.shield(previous)
            async with self._slots:
                await self.work.yield_to_acks(self._defer)
                await turn
        finally:
            turn.close()  # a turn cancelled before it began was never awaited
            ended.set_result(None)
            if self._last.get(conversation) is ended:
                del self._last[conversation]
