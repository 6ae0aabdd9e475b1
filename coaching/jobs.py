"""The one thing the coaching side asks of a background-job queue.

Adapters hand a turn to a `JobQueue` instead of coaching it inline when slow work should
leave the web process. `bot.queue` implements it on Redis (or runs the turn in-process);
coaching never imports the queue library, so the offline default needs no Redis.
"""

from __future__ import annotations

from typing import Protocol

from coaching.types import IncomingMessage


class JobQueue(Protocol):
    async def enqueue_turn(self, message: IncomingMessage) -> None:
        """Coach `message` exactly once, now or on a worker.

        Enqueueing the same message twice is harmless: its idempotency key makes the
        second run answer from the store without writing anything.
        """
        ...
