"""Redis and then PostgreSQL restarted under one running `coach worker`.

Thirty reps' turns are queued; each waits a moment for the model, so the run spans both
restarts. Redis stays away long enough that some turns are stored while nobody can record
their jobs as finished; PostgreSQL goes away while turns are being coached. The worker is
never restarted: it reconnects to both servers by itself, and every turn ends up stored
exactly once, whether its job was retried after a database error or found again by the
heartbeat sweeper because Redis never heard it had finished.
"""

from __future__ import annotations

from pathlib import Path

from saq import Job, Status
from sqlalchemy import select

from bot.queue import turn_job
from coaching.types import IncomingMessage
from storage.db import NOT_ANSWERING
from storage.models import ConversationTurn, ProcessedEvent
from tests.fakes.openai_server import Reply
from tests.faults.support import (
    Rig,
    coach_worker,
    count,
    count_when_up,
    eventually,
    turn,
    worker_environment,
)

TURNS = 30
MODEL_SECONDS = 2.0
IN_FLIGHT = 10  # the jobs one worker runs at once (saq's default concurrency)
STAGGER_SECONDS = 1.0
TEST_HEARTBEAT_SECONDS = 10
# What saq logs, with the job's key, once it cannot record a job's outcome (here: once the
# Redis client's own retries are spent), so the outage outlasts them.
SAQ_JOB_ERROR = "Error processing job"
REP_WORDS = "revised pricing"  # from every turn's text, as saq would log a job's arguments


async def _stored(rig: Rig) -> int:
    return await count_when_up(rig.store, ProcessedEvent)


async def _jobs(rig: Rig, messages: list[IncomingMessage]) -> list[Job | None]:
    return await rig.queue.jobs(turn_job(message).key for message in messages)


async def test_a_worker_rides_out_redis_and_postgres_restarts(tmp_path: Path, rig: Rig) -> None:
    # The first jobs the worker takes at once answer one after another, so some are still
    # waiting on the model when Redis goes away just after the first one is stored.
    staggered = [Reply(delay=MODEL_SECONDS + n * STAGGER_SECONDS) for n in range(IN_FLIGHT)]
    rest = [Reply(delay=MODEL_SECONDS) for _ in range(2 * TURNS - IN_FLIGHT)]
    rig.openai.enqueue(*staggered, *rest)
    messages = [turn(number, user=f"rep-{number}") for number in range(TURNS)]
    for message in messages:
        await rig.queue.enqueue(turn_job(message, heartbeat=TEST_HEARTBEAT_SECONDS))
    log = tmp_path / "worker.log"

    with coach_worker(worker_environment(rig.variables), log) as worker:
        await eventually(lambda: _more_than(rig, 0), "the first turn stored")
        rig.redis.stop()
        stored_before = await _stored_keys(rig)  # any turn stored from now on is unrecorded

        async def stored_without_redis() -> bool:
            return bool(await _stored_keys(rig) - stored_before)

        await eventually(stored_without_redis, "a turn stored without Redis")
        lost = turn_job(_by_key(messages, min(await _stored_keys(rig) - stored_before))).key

        async def gave_up_on_recording_it() -> bool:
            return any(
                SAQ_JOB_ERROR in line and f"key: {lost}," in line
                for line in log.read_text().splitlines()
            )

        await eventually(gave_up_on_recording_it, "the worker failing to record a finished job")
        rig.redis.start()
        assert await _stored(rig) < TURNS

        rig.postgres.stop()

        async def a_turn_failed() -> bool:
            errors = [job.error or "" for job in await _jobs(rig, messages) if job is not None]
            return any(NOT_ANSWERING in error for error in errors)

        await eventually(a_turn_failed, "a turn failing without its database")
        rig.postgres.start()

        async def all_done() -> bool:
            jobs = await _jobs(rig, messages)
            return all(job is not None and job.status is Status.COMPLETE for job in jobs)

        await eventually(all_done, "every job completed")
        assert worker.poll() is None  # the same process throughout

    lost_job = await rig.queue.job(lost)
    assert lost_job is not None
    assert lost_job.result == {"first_time": False}  # run again, and it changed nothing
    assert await count(rig.store, ProcessedEvent) == TURNS
    assert await count(rig.store, ConversationTurn) == 2 * TURNS
    assert REP_WORDS not in log.read_text()  # failures are logged without the rep's words


async def _more_than(rig: Rig, stored: int) -> bool:
    return await _stored(rig) > stored


async def _stored_keys(rig: Rig) -> set[str]:
    async with rig.store.sessions() as session:
        return set(await session.scalars(select(ProcessedEvent.event_key)))


def _by_key(messages: list[IncomingMessage], key: str) -> IncomingMessage:
    return next(message for message in messages if message.idempotency_key == key)
