"""The work that follows an acknowledgement: tracked, so nothing is lost and tests can wait.

Slack wants an answer within 3 seconds (https://api.slack.com/apis/events-api#responding)
and Teams wants `/api/messages` answered quickly, so both adapters acknowledge first and
hand the coaching to `BackgroundWork.spawn()`. Spawned work (and each turn, between its
steps) waits until no ack has been prepared for `QUIET_SECONDS`, for at most a few tenths
of a second (`MAX_DEFER_SECONDS`, or what the caller allows): on one event loop, coaching would
otherwise steal the time a burst of acks needs (`bench/slack_ack.py`,
`bench/slack_burst.py` and `bench/teams_burst.py` measure it). The task set keeps a strong
reference to every task (asyncio only keeps weak ones), `drain()` waits for all of it
(tests, graceful shutdown), and `claim()` stops two copies of the same in-flight request
racing in one process before the database settles it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager, suppress
from typing import Any

log = logging.getLogger(__name__)

MAX_DEFER_SECONDS = 0.5  # a reply may wait this long for a burst of acks, no longer
QUIET_SECONDS = 0.01  # a gap this long between acks ends a burst


class BackgroundWork:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._claimed: set[str] = set()
        self._acking = 0
        # Set once no ack has been in flight for QUIET_SECONDS; one timer decides it for
        # every waiting task, so a burst of N requests costs no N-by-N polling.
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._quiet_timer: asyncio.TimerHandle | None = None

    @contextmanager
    def acknowledging(self) -> Iterator[None]:
        """Around the handling of one inbound request, until its ack is ready."""
        self._acking += 1
        self._quiet.clear()
        if self._quiet_timer is not None:
            self._quiet_timer.cancel()
            self._quiet_timer = None
        try:
            yield
        finally:
            self._acking -= 1
            if self._acking == 0:
                loop = asyncio.get_running_loop()
                self._quiet_timer = loop.call_later(QUIET_SECONDS, self._quiet.set)

    def spawn(self, work: Coroutine[Any, Any, None], *, defer: float = MAX_DEFER_SECONDS) -> None:
        """Run `work` once a burst of acks is over, or `defer` seconds from now."""
        task = asyncio.create_task(self._after_acks(work, defer))
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def claim(self, key: str) -> bool:
        """True for the first caller with this key until it is released."""
        if key in self._claimed:
            return False
        self._claimed.add(key)
        return True

    def release(self, key: str) -> None:
        self._claimed.discard(key)

    async def drain(self) -> None:
        """Return once every spawned task, and any task they spawned, has finished."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def close(self, *, timeout: float) -> None:
        """Let running replies finish on shutdown; cancel what is still running after that."""
        try:
            await asyncio.wait_for(self.drain(), timeout)
        except TimeoutError:
            for task in set(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _after_acks(self, work: Coroutine[Any, Any, None], defer: float) -> None:
        try:
            await self.yield_to_acks(defer)
        except asyncio.CancelledError:
            work.close()  # cancelled at shutdown before it began: never started, never awaited
            raise
        await work

    async def yield_to_acks(self, defer: float = MAX_DEFER_SECONDS) -> None:
        """Wait until acks have been quiet for QUIET_SECONDS (a burst of requests is over),
        for at most `defer` seconds in all."""
        if self._quiet.is_set():
            return
        with suppress(TimeoutError):
            await asyncio.wait_for(self._quiet.wait(), defer)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Background work after an ack failed", exc_info=task.exception())
