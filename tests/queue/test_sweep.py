"""The worker's sweep on a real Redis: a job a worker has just taken is left alone; one whose
worker died (before or after marking it active) is queued again after a heartbeat."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from redis.asyncio import Redis
from saq import Job, Status
from saq.utils import now

from bot.queue import WorkerQueue, connect_queue

HEARTBEAT_SECONDS = 1
LOCK_SECONDS = 1  # the sweep lock: one sweep per second at most, as a worker would


@pytest.fixture
async def worker_queue(redis_url: str) -> AsyncIterator[WorkerQueue]:
    """A `WorkerQueue` of its own, its keys removed afterwards."""
    opened = connect_queue(redis_url, f"test-sweep-{uuid4().hex}")
    assert isinstance(opened, WorkerQueue)
    await opened.connect()
    yield opened
    keys = [key async for key in opened.redis.scan_iter(match=f"saq:*{opened.name}*")]
    if keys:
        await opened.redis.delete(*keys)
    await opened.disconnect()


async def take(queue: WorkerQueue, redis_url: str) -> Job:
    """A job enqueued and then moved to the active list, as a worker's dequeue does, by
    a worker that has not (yet, or ever) marked it active."""
    # saq's abort marker is named by the key alone, across queues: each test has its own.
    key = f"slack:event:{uuid4().hex}"
    job = await queue.enqueue(Job("slack_turn", key=key, heartbeat=HEARTBEAT_SECONDS))
    assert job is not None
    raw = Redis.from_url(redis_url)
    try:
        assert await raw.lmove(f"saq:{queue.name}:queued", f"saq:{queue.name}:active") == (
            job.id.encode()
        )
    finally:
        await raw.aclose()
    return job


async def sweep_after_lock(queue: WorkerQueue) -> list[str]:
    await asyncio.sleep(LOCK_SECONDS + 0.1)
    return await queue.sweep(LOCK_SECONDS)


async def test_a_job_just_taken_is_not_swept(worker_queue: WorkerQueue, redis_url: str) -> None:
    job = await take(worker_queue, redis_url)

    assert await worker_queue.sweep(LOCK_SECONDS) == []

    stored = await worker_queue.job(job.key)
    assert stored is not None
    assert stored.status is Status.QUEUED
    assert await worker_queue.count("active") == 1


async def test_a_job_whose_worker_died_before_marking_it_is_queued_again(
    worker_queue: WorkerQueue, redis_url: str
) -> None:
    job = await take(worker_queue, redis_url)
    assert await worker_queue.sweep(LOCK_SECONDS) == []  # first seen: given a heartbeat

    assert await sweep_after_lock(worker_queue) == [job.id]

    assert await worker_queue.count("active") == 0
    assert await worker_queue.count("queued") == 1


async def test_an_active_job_is_swept_only_once_its_heartbeat_is_stale(
    worker_queue: WorkerQueue, redis_url: str
) -> None:
    job = await take(worker_queue, redis_url)
    await job.update(status=Status.ACTIVE, started=now())  # as a worker does; then it dies

    assert await worker_queue.sweep(LOCK_SECONDS) == []
    assert await sweep_after_lock(worker_queue) == [job.id]
    assert await worker_queue.count("queued") == 1
