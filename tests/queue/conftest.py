"""The queue tests run against a real Redis (`COACH_TEST_REDIS_URL`, which CI sets).

Each test gets its own queue name, and only that queue's keys are deleted afterwards, so
the tests never flush a database someone else may be using.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import uuid4

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from saq import Job, Queue, Status, Worker

from bot.queue import build_worker
from config.settings import Settings
from tests.conftest import skip_unless_required

REDIS_URL_VARIABLE = "COACH_TEST_REDIS_URL"
DONE = {Status.COMPLETE, Status.FAILED, Status.ABORTED}
WAIT_SECONDS = 30.0


@pytest.fixture
async def redis_url() -> str:
    """A reachable Redis, or a skip (a failure in CI) that says what is missing."""
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        skip_unless_required(f"queue tests need Redis: set {REDIS_URL_VARIABLE} (CI sets it)")
    client = Redis.from_url(url)
    try:
        await client.info("server")
    except (RedisError, OSError):
        skip_unless_required(f"queue tests need Redis, and {REDIS_URL_VARIABLE} does not answer")
    finally:
        await client.aclose()
    return url


@pytest.fixture
async def queue(redis_url: str) -> AsyncIterator[Queue]:
    """A queue of its own on the test Redis, its keys removed afterwards."""
    name = f"test-{uuid4().hex}"
    opened = Queue.from_url(redis_url, name=name)
    await opened.connect()
    yield opened
    await opened.disconnect()
    client = Redis.from_url(redis_url)
    keys = [key async for key in client.scan_iter(match=f"saq:*{name}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A fresh SQLite database and a fixed zone; no `.env` and no queue URL."""
    return Settings(
        _env_file=None,
        COACH_DATABASE_URL=f"sqlite:///{tmp_path / 'coach.db'}",
        COACH_TIMEZONE="UTC",
        COACH_QUEUE_URL=None,
    )


@asynccontextmanager
async def running(worker: Worker) -> AsyncIterator[Worker]:  # type: ignore[type-arg]
    """The worker processing jobs in this test's event loop until the block ends."""
    task = asyncio.create_task(worker.start())
    try:
        yield worker
    finally:
        await worker.stop()
        await task


@asynccontextmanager
async def worker_for(settings: Settings, queue: Queue) -> AsyncIterator[Worker]:  # type: ignore[type-arg]
    """Our worker, stopped without a grace period: each test waits for its jobs first."""
    async with running(build_worker(settings, queue, grace_seconds=0)) as worker:
        yield worker


async def finished(queue: Queue, key: str) -> Job:
    """The job once it has completed, failed or been aborted; bounded polling, no timing."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        job = await queue.job(key)
        if job is not None and job.status in DONE:
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {key} did not finish within {WAIT_SECONDS} s")
