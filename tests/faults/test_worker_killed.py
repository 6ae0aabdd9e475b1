"""A `coach worker` killed in the middle of a coaching turn loses nothing and doubles nothing.

The turn is made slow by the model stand-in, which holds the first request open; the worker
process is SIGKILLed while it waits (no shutdown handler runs, the job stays "active" in
Redis). Its heartbeat stops, so another worker's sweeper queues the job again and that
worker completes it.
"""

from __future__ import annotations

from pathlib import Path

from saq import Queue, Status

from bot.queue import build_worker, turn_job
from coaching.types import IncomingMessage
from storage.models import ConversationTurn, ProcessedEvent
from tests.fakes.openai_server import Reply
from tests.faults.support import (
    Rig,
    coach_worker,
    count,
    eventually,
    turn,
    worker_environment,
    worker_settings,
)
from tests.queue.conftest import running

TEST_HEARTBEAT_SECONDS = 2
TEST_SWEEP_SECONDS = 1
MODEL_HANGS_SECONDS = 600.0


async def _job_status(queue: Queue, message: IncomingMessage) -> Status | None:
    job = await queue.job(turn_job(message).key)
    return None if job is None else job.status


async def test_a_turn_whose_worker_is_killed_completes_once_on_another_worker(
    tmp_path: Path, rig: Rig
) -> None:
    rig.openai.enqueue(Reply(delay=MODEL_HANGS_SECONDS))  # later requests fail fast: offline
    message = turn(1)
    await rig.queue.enqueue(turn_job(message, heartbeat=TEST_HEARTBEAT_SECONDS))

    with coach_worker(worker_environment(rig.variables), tmp_path / "worker.log") as doomed:

        async def waiting_for_the_model() -> bool:
            return len(rig.openai.requests) == 1

        await eventually(waiting_for_the_model, "the worker asking the model")
        assert await _job_status(rig.queue, message) is Status.ACTIVE
        doomed.kill()
        doomed.wait()

    assert await count(rig.store, ProcessedEvent) == 0
    rescuer = build_worker(
        worker_settings(rig.variables), rig.queue, grace_seconds=0, sweep_seconds=TEST_SWEEP_SECONDS
    )
    async with running(rescuer):

        async def completed() -> bool:
            return await _job_status(rig.queue, message) is Status.COMPLETE

        await eventually(completed, "another worker completing the turn")

    job = await rig.queue.job(turn_job(message).key)
    assert job is not None
    # At least once more; saq's sweeper can take a job it sees just as a worker takes it
    # (tobymao/saq#277), so a third run is possible, and changes nothing.
    assert job.attempts >= 2
    assert await count(rig.store, ProcessedEvent) == 1
    assert await count(rig.store, ConversationTurn) == 2  # the rep's words and the coaching
