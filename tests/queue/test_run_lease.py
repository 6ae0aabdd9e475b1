"""Turn leases on a real Redis: one run at a time, nothing after delivery, and a run that
was killed holding one blocks its retry for one term at most."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from saq import Queue

from bot.run_lease import AlreadyDelivered, TurnLeases

TERM_SECONDS = 0.6
KEY = "slack:event:Ev0001"
# A worker process that takes the lease and then hangs, until the test kills it.
HOLD_AND_HANG = """
import asyncio, sys
from redis.asyncio import Redis
from bot.run_lease import TurnLeases

async def main() -> None:
    leases = TurnLeases(Redis.from_url(sys.argv[1]), sys.argv[2], term_seconds=float(sys.argv[3]))
    async with leases.hold(sys.argv[4], "doomed"):
        print("held", flush=True)
        await asyncio.sleep(600)

asyncio.run(main())
"""


@pytest.fixture
async def leases(redis_url: str, queue: Queue) -> AsyncIterator[TurnLeases]:
    redis = Redis.from_url(redis_url)
    yield TurnLeases(redis, f"saq:{queue.name}", term_seconds=TERM_SECONDS)
    await redis.aclose()


async def test_a_second_run_waits_for_the_live_one_and_then_does_nothing(
    leases: TurnLeases,
) -> None:
    order: list[str] = []

    async def first() -> None:
        async with leases.hold(KEY, "first") as lease:
            order.append("first starts")
            await asyncio.sleep(3 * TERM_SECONDS)  # renewed meanwhile: it never lapses
            order.append("first delivers")
            lease.mark_delivered()

    async def second() -> None:
        await asyncio.sleep(TERM_SECONDS / 3)
        with pytest.raises(AlreadyDelivered):
            async with leases.hold(KEY, "second"):
                order.append("second runs")

    await asyncio.gather(first(), second())

    assert order == ["first starts", "first delivers"]


async def test_a_run_that_failed_before_delivering_leaves_the_turn_to_the_next(
    leases: TurnLeases,
) -> None:
    async def fail_holding() -> None:
        async with leases.hold(KEY, "first") as first:
            assert not first.retaken
            raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        await fail_holding()

    async with leases.hold(KEY, "retry") as retry:
        assert retry.retaken  # it may have sent something: the stored answer is resent


async def test_a_killed_holder_blocks_the_next_run_for_one_term_at_most(
    redis_url: str, queue: Queue, leases: TurnLeases
) -> None:
    prefix = f"saq:{queue.name}"
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_HANG, redis_url, prefix, str(TERM_SECONDS), KEY],
        stdout=subprocess.PIPE,
    ) as doomed:
        try:
            assert doomed.stdout is not None
            assert await asyncio.to_thread(doomed.stdout.readline) == b"held\n"
        finally:
            doomed.send_signal(signal.SIGKILL)

    # Nobody renews the lease any more: it lapses within one term (bounded generously).
    async with asyncio.timeout(10 * TERM_SECONDS), leases.hold(KEY, "rescuer") as rescue:
        assert rescue.retaken
