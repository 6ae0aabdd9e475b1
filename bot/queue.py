"""Slow work on a Redis-backed queue (saq) when `COACH_QUEUE_URL` is set; in-process otherwise.

Three jobs: `coach_turn` (one IncomingMessage through `CoachService.process`),
`digests_run` and `reminders_run` (what `coach nudges run` and `coach reminders run` do).
Each is idempotent in the database, not in Redis: a turn carries its idempotency key, and
digests and reminders are claimed by rows unique per manager and ISO week or per reminder.
So a job retried after a crash, enqueued twice, or run by two schedulers changes nothing
the second time. Redis only decides who runs what: saq moves a job to its active list when
a worker takes it and keeps it there until it finishes; a job whose worker died is found by
the sweeper of any live worker and queued again.

Every job carries a heartbeat (`HEARTBEAT_SECONDS`): while it runs, the worker touches it
in Redis a few times per heartbeat. A job untouched for a whole heartbeat belongs to a
worker that died (SIGKILL, a lost machine) or a finish Redis never heard of (it was away),
so the next sweep (every `SWEEP_SECONDS`) queues it again: within about 45 seconds, not
only after its much longer timeout. Workers use `WorkerQueue`, which also keeps the sweep
from mistaking live jobs for dead ones and pauses dequeuing while Redis is away.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Protocol
from uuid import uuid4

from redis.exceptions import RedisError
from saq import Job, Queue, Worker
from saq.queue.redis import RedisQueue
from saq.types import Context, Function

from bot.clock import resolve_zone
from bot.team_wiring import Workspace, cyclic_gc_paused, workspace
from bot.wiring import coach_service
from coaching.config import Settings
from coaching.jobs import JobQueue
from coaching.service import CoachService
from coaching.team import Clock
from coaching.types import CoachingError, IncomingMessage

log = logging.getLogger(__name__)

QUEUE_NAME = "salescoach"
TURN_JOB = "coach_turn"
DIGESTS_JOB = "digests_run"
REMINDERS_JOB = "reminders_run"
# A turn may wait for the model (COACH_LLM_TIMEOUT, retried); a batch job covers everyone.
TURN_TIMEOUT_SECONDS = 300
BATCH_TIMEOUT_SECONDS = 1800
ATTEMPTS = 5
RETRY_DELAY_SECONDS = 1.0
RETRY_BACKOFF_MAX_SECONDS = 60.0
SHUTDOWN_GRACE_SECONDS = 20
# A running job is touched PULSES_PER_HEARTBEAT times per heartbeat, so one slow Redis
# round trip never makes a live job look dead.
HEARTBEAT_SECONDS = 30
PULSES_PER_HEARTBEAT = 3
SWEEP_SECONDS = 10
SWEEP_ABORT_SECONDS = 1.0
REDIS_AWAY_PAUSE_SECONDS = 1.0


@dataclass(frozen=True)
class Jobs:
    """What the jobs run on: opened once per worker process, shared by its jobs."""

    coach: CoachService
    space: Workspace
    default_zone: tzinfo


@asynccontextmanager
async def open_jobs(settings: Settings) -> AsyncIterator[Jobs]:
    async with coach_service(settings) as coach, workspace(settings) as space:
        yield Jobs(coach, space, resolve_zone(settings.default_timezone))


async def run_turn(jobs: Jobs, message: str) -> dict[str, Any]:
    """Coach one message (JSON). A mistake the user must fix is a result, not a retry."""
    try:
        saved = await jobs.coach.process(IncomingMessage.model_validate_json(message))
    except CoachingError as error:
        return error.to_json()
    return {"first_time": saved.first_time}


async def run_digests(jobs: Jobs, at: str) -> dict[str, int]:
    """Send the digests due at the instant `at` (ISO); the ones sent before are skipped."""
    with cyclic_gc_paused():
        report = await jobs.space.digests.run(_clock(jobs, at))
    return {"sent": len(report.digests), "skipped": report.skipped, "failed": report.failed}


async def run_reminders(jobs: Jobs, at: str) -> dict[str, int]:
    """Send the reminders due at the instant `at` (ISO), each at most once."""
    with cyclic_gc_paused():
        sent = await jobs.space.reminders.run(_clock(jobs, at))
    return {"sent": len(sent)}


def _clock(jobs: Jobs, at: str) -> Clock:
    return Clock(at=datetime.fromisoformat(at), default_zone=jobs.default_zone)


class WorkerContext(Context, total=False):
    jobs: Jobs
    resources: AsyncExitStack


async def coach_turn(ctx: WorkerContext, *, message: str) -> dict[str, Any]:
    return await run_turn(ctx["jobs"], message)


async def digests_run(ctx: WorkerContext, *, at: str) -> dict[str, int]:
    return await run_digests(ctx["jobs"], at)


async def reminders_run(ctx: WorkerContext, *, at: str) -> dict[str, int]:
    return await run_reminders(ctx["jobs"], at)


def build_worker(
    settings: Settings,
    queue: Queue,
    *,
    grace_seconds: int = SHUTDOWN_GRACE_SECONDS,
    sweep_seconds: int = SWEEP_SECONDS,
) -> Worker[WorkerContext]:
    """The worker `coach worker` runs: it opens the services once, at startup.

    On SIGTERM it lets running jobs finish for `grace_seconds`, then cancels them; saq
    puts a cancelled job back on the queue, so a stopped worker loses nothing. Every
    `sweep_seconds` one live worker requeues the jobs whose heartbeat stopped.
    """

    async def startup(ctx: WorkerContext) -> None:
        resources = AsyncExitStack()
        ctx["jobs"] = await resources.enter_async_context(open_jobs(settings))
        ctx["resources"] = resources
        # saq's first sweep would run alongside this worker's first dequeue, and sweeps a
        # job it finds taken but not yet marked active (tobymao/saq#277). Sweeping here,
        # before any job is taken, holds the sweep lock through that moment. With Redis
        # away there is nothing to sweep yet: the periodic sweep catches up.
        with suppress(RedisError, OSError):
            await queue.sweep(sweep_seconds)

    async def shutdown(ctx: WorkerContext) -> None:
        await ctx["resources"].aclose()

    worker = Worker(
        queue,
        functions=[coach_turn, digests_run, reminders_run],
        startup=startup,
        shutdown=shutdown,
        shutdown_grace_period_s=grace_seconds,
    )
    worker.timers["sweep"] = sweep_seconds
    return _with_heartbeats(worker)


def _with_heartbeats(worker: Worker[WorkerContext]) -> Worker[WorkerContext]:
    """Every job function of `worker`, touching its job while it runs."""
    worker.functions = {name: _beating(run) for name, run in worker.functions.items()}
    return worker


def _beating(function: Function[WorkerContext]) -> Function[WorkerContext]:
    """`function`, with its job touched until it returns. The touching stops before saq
    records the outcome, so a late touch can never overwrite a finished job."""

    @functools.wraps(function)
    async def beating(ctx: WorkerContext, **kwargs: Any) -> Any:
        job = ctx.get("job")
        if job is None or not job.heartbeat:
            return await function(ctx, **kwargs)
        finished = asyncio.Event()
        pulse = asyncio.create_task(_pulse(job, finished))
        try:
            return await function(ctx, **kwargs)
        finally:
            finished.set()
            await pulse

    return beating


async def _pulse(job: Job, finished: asyncio.Event) -> None:
    """Touch `job` in Redis until `finished`; a failed touch (Redis restarting) is retried."""
    interval = job.heartbeat / PULSES_PER_HEARTBEAT
    while not await _set_within(finished, interval):
        try:
            await job.update()
        except (RedisError, OSError):
            log.warning("Could not touch a running %s job; trying again", job.function)


async def _set_within(event: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), seconds)
    except TimeoutError:
        return False
    return True


class WorkerQueue(RedisQueue):
    """saq's Redis queue, with two changes so a worker rides out faults calmly.

    The sweeper judges every active job from one snapshot, one after another, waiting
    for each job it requeues to be cancelled (five seconds in saq) before the next. Each
    wait makes the later jobs look staler than they are, so after a worker dies, live
    jobs would soon look dead too and be cancelled and run again. With one second, a
    live job survives a sweep that requeues 20 dead ones before it.

    A worker asks for its next job again the moment a dequeue fails, so with Redis away
    saq would spin a whole CPU until it is back; here a failed dequeue waits first.
    """

    async def sweep(self, lock: int = 60, abort: float = SWEEP_ABORT_SECONDS) -> list[str]:
        return await super().sweep(lock, abort)

    async def dequeue(self, timeout: float = 0.0, poll_interval: float = 0.0) -> Job | None:
        try:
            return await super().dequeue(timeout, poll_interval)
        except (RedisError, OSError):
            await asyncio.sleep(REDIS_AWAY_PAUSE_SECONDS)
            return None


def connect_queue(url: str) -> Queue:
    return WorkerQueue.from_url(url, name=QUEUE_NAME)


def turn_job(message: IncomingMessage, *, heartbeat: int = HEARTBEAT_SECONDS) -> Job:
    """The job for one turn, keyed by its idempotency key (one is made when it has none,
    so every retry of this job is the same event to the store)."""
    if not message.idempotency_key:
        message = message.model_copy(update={"idempotency_key": f"job:{uuid4()}"})
    key = f"turn:{message.platform.value}:{message.idempotency_key}"
    return _job(
        TURN_JOB, key, TURN_TIMEOUT_SECONDS, heartbeat=heartbeat, message=message.model_dump_json()
    )


def batch_job(function: str, at: datetime) -> Job:
    """A digests or reminders run for the hour of `at`: one queued per hour at most."""
    key = f"{function}:{at.strftime('%Y-%m-%dT%H')}"
    return _job(function, key, BATCH_TIMEOUT_SECONDS, at=at.isoformat())


def _job(
    function: str, key: str, timeout: int, *, heartbeat: int = HEARTBEAT_SECONDS, **kwargs: Any
) -> Job:
    return Job(
        function=function,
        kwargs=kwargs,
        key=key,
        timeout=timeout,
        heartbeat=heartbeat,
        retries=ATTEMPTS,
        retry_delay=RETRY_DELAY_SECONDS,
        retry_backoff=RETRY_BACKOFF_MAX_SECONDS,
    )


class Scheduled(JobQueue, Protocol):
    """Both ways to run work: turns for the adapters, hourly batches for `coach scheduler`."""

    async def enqueue_batches(self, at: datetime) -> None: ...


class RedisJobs:
    """Enqueues onto the shared queue; web processes and schedulers hold no job state."""

    def __init__(self, queue: Queue) -> None:
        self.queue = queue

    async def enqueue_turn(self, message: IncomingMessage) -> None:
        await self.queue.enqueue(turn_job(message))

    async def enqueue_batches(self, at: datetime) -> None:
        await self.queue.enqueue(batch_job(DIGESTS_JOB, at))
        await self.queue.enqueue(batch_job(REMINDERS_JOB, at))


class InProcessJobs:
    """No queue configured: the same job bodies run here, awaited by the caller."""

    def __init__(self, jobs: Jobs) -> None:
        self.jobs = jobs

    async def enqueue_turn(self, message: IncomingMessage) -> None:
        await run_turn(self.jobs, message.model_dump_json())

    async def enqueue_batches(self, at: datetime) -> None:
        await run_digests(self.jobs, at.isoformat())
        await run_reminders(self.jobs, at.isoformat())


async def tick(jobs: Scheduled, at: datetime) -> None:
    """One scheduler tick (`coach scheduler`, hourly): this hour's digests and reminders."""
    await jobs.enqueue_batches(at)
    log.info("Scheduled the digests and reminders run for %s", at.isoformat(timespec="minutes"))


def seconds_to_next_hour(now: datetime) -> float:
    """Sleep until just after the next full hour, when the hourly digest slots open."""
    next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1, seconds=1)
    return (next_hour - now).total_seconds()


@asynccontextmanager
async def job_queue(settings: Settings) -> AsyncIterator[Scheduled]:
    """The queue `COACH_QUEUE_URL` names, or in-process work when it is unset."""
    if not settings.queue_url:
        async with open_jobs(settings) as jobs:
            yield InProcessJobs(jobs)
        return
    queue = connect_queue(settings.queue_url)
    await queue.connect()
    try:
        yield RedisJobs(queue)
    finally:
        await queue.disconnect()
