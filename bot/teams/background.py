"""Teams coaching turns after their HTTP request: in order per conversation, a few at once.

The handler answers `/api/messages` once typing shows, so a burst of messages is not held
open while each is coached; the turn itself runs here and answers through the connector
(`bot.teams.turns.answer_later`). Two messages of one conversation are answered in the
order they arrived, as they would be within their requests; at most `limit` turns coach
at once, so a burst queues here instead of every turn slowing every other, and turns start
only once a burst of acks is over (`bot.work.BackgroundWork`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from bot.work import BackgroundWork


class ConversationTurns:
    """Starts turns on `work`, each after the previous one of its conversation."""

    def __init__(self, work: BackgroundWork, limit: int) -> None:
        self.work = work
        self._slots = asyncio.Semaphore(limit)
        self._last: dict[str, asyncio.Future[None]] = {}

    def start(self, conversation: str, turn: Coroutine[Any, Any, None]) -> None:
        """Run `turn` once the conversation's earlier turns have ended, however they ended."""
        previous = self._last.get(conversation)
        ended = asyncio.get_running_loop().create_future()
        self._last[conversation] = ended
        self.work.spawn(self._in_order(conversation, previous, ended, turn))

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
                await self.work.yield_to_acks()
                await turn
        finally:
            turn.close()  # a turn cancelled before it began was never awaited
            ended.set_result(None)
            if self._last.get(conversation) is ended:
                del self._last[conversation]
