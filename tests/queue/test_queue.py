"""The job queue on a real Redis: turns once, retries, scheduler ticks, in-process mode."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from saq import Job, Queue, Status
from sqlalchemy import func, select

from bot.queue import (
    DIGESTS_JOB,
    REMINDERS_JOB,
    RedisJobs,
    batch_job,
    job_queue,
    seconds_to_next_hour,
    tick,
    turn_job,
)
from coaching.service import CoachService
from coaching.types import IncomingMessage, Platform
from config.settings import Settings
from storage.models import ConversationTurn, NudgeDelivery, OutboxMessage, ProcessedEvent
from storage.repository import SqlStore, open_store
from tests.nudges.scenario import seed_s27
from tests.queue.conftest import finished, worker_for
from tests.test_cli import COACH, run_coach

MONDAY_9 = datetime.fromisoformat("2026-03-02T09:00")  # every manager's local 09:00


def message(key: str | None = "evt-1") -> IncomingMessage:
    return IncomingMessage(
        platform=Platform.CONSOLE,
        tenant="console",
        user="ana",
        text="I'll send Lena the revised pricing by Friday",
        now=datetime(2026, 3, 2, 9, tzinfo=UTC),
        idempotency_key=key,
    )


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[SqlStore]:
    opened = await open_store(settings.database.url, migrate=True)
    yield opened
    await opened.close()


async def count(store: SqlStore, model: type[Any]) -> int:
    async with store.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_a_turn_enqueued_twice_is_stored_once(
    settings: Settings, queue: Queue, store: SqlStore
) -> None:
    jobs = RedisJobs(queue)
    key = turn_job(message()).key
    await jobs.enqueue_turn(message())
    await jobs.enqueue_turn(message())  # while the first is queued: collapsed by its key

    async with worker_for(settings, queue):
        first = await finished(queue, key)
        await jobs.enqueue_turn(message())  # after it ran: the store answers, writes nothing
        again = await finished(queue, key)

    assert (first.status, first.result) == (Status.COMPLETE, {"first_time": True})
    assert (again.status, again.result) == (Status.COMPLETE, {"first_time": False})
    assert await count(store, ProcessedEvent) == 1
    assert await count(store, ConversationTurn) == 2  # the rep's words and the coaching


async def test_a_job_that_fails_once_is_retried_and_completes_once(
    settings: Settings, queue: Queue, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = CoachService.process
    calls: list[str] = []

    async def flaky(self: CoachService, incoming: IncomingMessage) -> Any:
        calls.append(incoming.text)
        if len(calls) == 1:
            raise RuntimeError("the database went away for a moment")
        return await real(self, incoming)

    monkeypatch.setattr(CoachService, "process", flaky)
    await RedisJobs(queue).enqueue_turn(message())

    async with worker_for(settings, queue):
        job = await finished(queue, turn_job(message()).key)

    assert (job.status, job.attempts, job.result) == (Status.COMPLETE, 2, {"first_time": True})
    assert len(calls) == 2
    assert await count(store, ProcessedEvent) == 1


async def test_a_turn_without_a_key_keeps_one_key_across_retries() -> None:
    job = turn_job(message(key=None))
    stored = IncomingMessage.model_validate_json(job.kwargs["message"] if job.kwargs else "")

    assert stored.idempotency_key
    assert job.key == f"turn:console:{stored.idempotency_key}"


async def test_two_scheduler_ticks_in_one_hour_send_one_digest_per_manager(
    settings: Settings, queue: Queue, store: SqlStore
) -> None:
    await seed_s27(store)
    jobs = RedisJobs(queue)
    digests = batch_job(DIGESTS_JOB, MONDAY_9).key

    async with worker_for(settings, queue):
        await tick(jobs, MONDAY_9)
        first = await finished(queue, digests)
        await tick(jobs, MONDAY_9.replace(minute=30))  # a second scheduler, same hour
        second = await finished(queue, digests)
        reminders = await finished(queue, batch_job(REMINDERS_JOB, MONDAY_9).key)

    assert first.result == {"sent": 2, "skipped": 0, "failed": 0}
    assert second.result == {"sent": 0, "skipped": 2, "failed": 0}
    assert reminders.status is Status.COMPLETE
    assert await count(store, NudgeDelivery) == 2
    digest_mail = select(func.count()).where(OutboxMessage.kind == "digest")
    async with store.sessions() as session:
        assert await session.scalar(digest_mail) == 2


async def test_a_worker_schedules_the_hourly_run_itself(settings: Settings, queue: Queue) -> None:
    async with worker_for(settings, queue):
        cron = await scheduled_job(queue, "cron:hourly")

    next_hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    assert cron.function == "hourly"
    assert abs(cron.scheduled - next_hour.timestamp()) <= 3600  # this hour's or the next


async def test_the_hourly_run_sends_the_digests_due_at_its_hour_once(
    settings: Settings, queue: Queue, store: SqlStore
) -> None:
    await seed_s27(store)
    monday_16_utc = datetime(2026, 3, 2, 16, tzinfo=UTC)  # past both managers' 09:00
    for key in ("hourly-a", "hourly-b"):  # two workers' cron firing for the same hour
        await queue.enqueue(Job("hourly", key=key, scheduled=int(monday_16_utc.timestamp())))

    async with worker_for(settings, queue):
        await finished(queue, "hourly-a")
        await finished(queue, "hourly-b")
        digests = await finished(queue, batch_job(DIGESTS_JOB, monday_16_utc).key)

    assert digests.status is Status.COMPLETE
    assert await count(store, NudgeDelivery) == 2


async def scheduled_job(queue: Queue, key: str) -> Job:
    """The job once the worker has put it on the queue; bounded polling, no timing."""
    for _ in range(200):
        job = await queue.job(key)
        if job is not None:
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"no job {key} was scheduled")


async def test_without_a_queue_url_the_job_runs_in_process(
    settings: Settings, store: SqlStore
) -> None:
    await seed_s27(store)
    events = await count(store, ProcessedEvent)

    async with job_queue(settings) as jobs:
        await jobs.enqueue_turn(message())
        assert await count(store, ProcessedEvent) == events + 1
        await jobs.enqueue_batches(MONDAY_9)
        await jobs.enqueue_batches(MONDAY_9)

    assert await count(store, NudgeDelivery) == 2


def test_the_scheduler_wakes_just_after_each_full_hour() -> None:
    assert seconds_to_next_hour(datetime(2026, 3, 2, 9, 59, 30, tzinfo=UTC)) == 31
    assert seconds_to_next_hour(datetime(2026, 3, 2, 10, 0, 1, tzinfo=UTC)) == 3600


def closed_queue_url() -> str:
    """A Redis URL on a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def test_a_scheduler_tick_with_redis_away_fails_politely(tmp_path: Path) -> None:
    env = {"COACH_QUEUE_URL": closed_queue_url()}

    done = run_coach("scheduler", "--once", db=tmp_path / "coach.db", env=env)

    assert done.returncode == 2
    assert (
        done.stderr
        == "coach: The job queue (COACH_QUEUE_URL) is not answering; nothing was queued.\n"
    )


def test_a_running_scheduler_outlives_redis_being_away(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "COACH_QUEUE_URL": closed_queue_url(),
        "COACH_DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
    }
    with subprocess.Popen(
        [COACH, "scheduler"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    ) as scheduler:
        try:
            assert scheduler.stderr is not None
            first = json.loads(scheduler.stderr.readline())  # blocks until it logs; no timing
            assert scheduler.poll() is None  # still running, waiting to try again
        finally:
            scheduler.terminate()
            scheduler.wait(timeout=30)
    assert (first["level"], first["logger"]) == ("WARNING", "bot.cli_worker")
    assert "tries again" in first["message"]
