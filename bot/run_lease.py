"""One run at a time for a platform turn: a lease in Redis, renewed while the run is alive.

A job can reach a second run while the first still works on it: saq's own sweep queued
again any job a lagging worker had just taken but not yet marked active (tobymao/saq#277;
`bot.queue.WorkerQueue` sweeps more carefully), and a web process whose hand-off timed out
may have queued the turn after all. For a Slack or Teams turn that second run used to
answer again (a command answered twice) or, finding the answer already stored, withdraw
the status message the first run had just replaced with the answer. So a turn job first
takes the lease named by its job key:

- nobody holds it: the run goes ahead (`retaken` if an earlier run held it and stopped
  without delivering: it may have got part of the answer out, so the stored one is resent);
- a live run holds it (renewed every third of its term): this run waits for that one;
- the turn was delivered: this run does nothing.

A run that dies (SIGKILL, a lost machine) stops renewing, and the lease lapses after one
term, so the retry saq makes for it is never blocked for longer than the heartbeat that
told saq the worker was gone. Like the queue itself, leases live in Redis: they decide who
runs, the database still decides what is stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# How long "delivered" is remembered: far longer than saq keeps retrying a job.
DELIVERED_MEMORY_SECONDS = 86_400
RENEWALS_PER_TERM = 3
# A run waiting for a live one looks this often whether it has delivered or lapsed.
BUSY_POLL_SECONDS = 0.5

# KEYS: lease, history. ARGV: holder, term (ms), memory (s).
_TAKE = """
local history = redis.call('GET', KEYS[2])
if history == 'delivered' then return 'delivered' end
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 'busy' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], 'taken', 'EX', ARGV[3])
if history then return 'retaken' end
return 'taken'
"""
# KEYS: lease. ARGV: holder, term (ms).
_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""
# KEYS: lease, history. ARGV: holder, memory (s), delivered (1) or given up (0).
_END = """
if ARGV[3] == '1' then redis.call('SET', KEYS[2], 'delivered', 'EX', ARGV[2]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
"""


@dataclass
class Lease:
    """The lease a run holds: `retaken` says an earlier run held it first."""

    retaken: bool
    delivered: bool = field(default=False, init=False)

    def mark_delivered(self) -> None:
        """The answer is out: when the lease ends, later runs of this turn do nothing."""
        self.delivered = True


class AlreadyDelivered(Exception):
    """Another run of this turn has delivered its answer."""


class TurnLeases:
    """Leases on one Redis, under `prefix` (the queue's own key space)."""

    def __init__(self, redis: Redis, prefix: str, *, term_seconds: float) -> None:
        self._redis = redis
        self._prefix = prefix
        self._term_ms = max(int(term_seconds * 1000), 1)
        self._take = redis.register_script(_TAKE)
        self._renew = redis.register_script(_RENEW)
        self._end = redis.register_script(_END)

    @asynccontextmanager
    async def hold(self, key: str, holder: str) -> AsyncIterator[Lease]:
        """The lease on `key`, once nobody else holds it; raises `AlreadyDelivered` for a
        delivered turn. Renewed while the block runs; released (delivered or not) after."""
        keys = [f"{self._prefix}:lease:{key}", f"{self._prefix}:delivery:{key}"]
        lease = await self._wait_for(keys, holder)
        stop = asyncio.Event()
        renewing = asyncio.create_task(self._keep(keys[0], holder, stop))
        try:
            yield lease
        finally:
            stop.set()
            await renewing
            try:
                delivered = "1" if lease.delivered else "0"
                await self._end(keys, [holder, DELIVERED_MEMORY_SECONDS, delivered])
            except (RedisError, OSError):
                # The lease lapses by itself; a later run may resend the stored answer.
                log.warning("Could not end a turn's lease; it lapses on its own")

    @property
    def _pause(self) -> float:
        return self._term_ms / 1000 / RENEWALS_PER_TERM

    async def _wait_for(self, keys: list[str], holder: str) -> Lease:
        while True:
            state = await self._take(keys, [holder, self._term_ms, DELIVERED_MEMORY_SECONDS])
            state = state.decode() if isinstance(state, bytes) else str(state)
            if state == "delivered":
                raise AlreadyDelivered(keys[0])
            if state != "busy":
                return Lease(retaken=state == "retaken")
            await asyncio.sleep(min(self._pause, BUSY_POLL_SECONDS))

    async def _keep(self, lease_key: str, holder: str, stop: asyncio.Event) -> None:
        while not await _set_within(stop, self._pause):
            try:
                if not await self._renew([lease_key], [holder, self._term_ms]):
                    log.warning("A turn's lease lapsed while it ran; another run may take it")
            except (RedisError, OSError):
                log.warning("Could not renew a turn's lease; trying again")


async def _set_within(event: asyncio.Event, seconds: float) -> bool:
    with suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)
    return event.is_set()
