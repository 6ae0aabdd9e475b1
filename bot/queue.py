"""Slow work on a Redis-backed queue (saq) when `COACH_QUEUE_URL` is set; in-process otherwise.

The jobs: `slack_turn` and `teams_turn` (a chat turn or proposal review that the web process
acknowledged and handed over, finished and answered in Slack or Teams by the worker),
`coach_turn` (one IncomingMessage through `CoachService.process`), and `digests_run` and
`reminders_run` (what `coach nudges run` and `coach reminders run` do).
Each is idempotent in the database, not in Redis: a turn carries its idempotency key, and
digests and reminders are claimed by rows unique per manager and ISO week or per reminder.
So a job retried after a crash, enqueued twice, or run by two schedulers changes nothing
the second time. Redis only decides who runs what: saq moves a job to its active list when
a worker takes it and keeps it there until it finishes; a job whose worker died is found by
the sweeper of any live worker once its timeout has passed, and queued again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Protocol
from uuid import uuid4

from pydantic import BaseModel
from redis.exceptions import RedisError
from saq import Job, Queue, Worker
from saq.types import Context, Function

from bot.clock import resolve_zone
from bot.slack.jobs import SlackJobs, open_slack_jobs
from bot.team_wiring import Workspace, cyclic_gc_paused, workspace
from bot.teams.jobs import TeamsJobs, open_teams_jobs
from bot.wiring import open_services
from coaching.config import Settings
from coaching.jobs import JobQueue
from coaching.service import CoachService
from coaching.team import Clock
from coaching.types import CoachingError, IncomingMessage

log = logging.getLogger(__name__)

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
# A web process waits this long for Redis to take a turn before answering it itself.
SUBMIT_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Jobs:
    """What the jobs run on: opened once per worker process, shared by its jobs."""

    coach: CoachService
    space: Workspace
    default_zone: tzinfo
    slack: SlackJobs | None = None
    teams: TeamsJobs | None = None


@asynccontextmanager
async def open_jobs(settings: Settings, *, platforms: bool = False) -> AsyncIterator[Jobs]:
    """The services; with `platforms`, also the Slack and Teams sides a worker answers on."""
    async with AsyncExitStack() as stack:
        services = await stack.enter_async_context(open_services(settings))
        space = await stack.enter_async_context(workspace(settings))
        slack = teams = None
        if platforms:
            slack = await stack.enter_async_context(open_slack_jobs(settings, services))
            teams = await stack.enter_async_context(open_teams_jobs(settings, services))
        yield Jobs(services.coach, space, resolve_zone(settings.default_timezone), slack, teams)


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


async def slack_turn(ctx: WorkerContext, *, payload: str) -> dict[str, bool]:
    slack = ctx["jobs"].slack
    if slack is None:
        raise NotConfigured("a Slack turn reached a worker without Slack settings")
    attempt, can_retry = _attempt(ctx)
    return await slack.run(payload, attempt=attempt, can_retry=can_retry)


async def teams_turn(ctx: WorkerContext, *, payload: str) -> dict[str, bool]:
    teams = ctx["jobs"].teams
    if teams is None:
        raise NotConfigured("a Teams turn reached a worker without Teams")
    attempt, can_retry = _attempt(ctx)
    return await teams.run(payload, attempt=attempt, can_retry=can_retry)


class NotConfigured(RuntimeError):
    """This worker cannot run the job; it fails and is retried, maybe by another worker."""


def _attempt(ctx: WorkerContext) -> tuple[int, bool]:
    """Which attempt this is (1 for the first), and whether another one may follow."""
    job = ctx.get("job")
    if job is None:
        return 1, False
    return job.attempts, job.retryable


JOB_FUNCTIONS: list[Function[WorkerContext]] = [
    slack_turn,
    teams_turn,
    coach_turn,
    digests_run,
    reminders_run,
]


def build_worker(
    settings: Settings, queue: Queue, *, grace_seconds: int = SHUTDOWN_GRACE_SECONDS
) -> Worker[WorkerContext]:
    """The worker `coach worker` runs: it opens the services once, at startup.

    On SIGTERM it lets running jobs finish for `grace_seconds`, then cancels them; saq
    puts a cancelled job back on the queue, so a stopped worker loses nothing.
    """

    async def startup(ctx: WorkerContext) -> None:
        resources = AsyncExitStack()
        ctx["jobs"] = await resources.enter_async_context(open_jobs(settings, platforms=True))
        ctx["resources"] = resources

    async def shutdown(ctx: WorkerContext) -> None:
        await ctx["resources"].aclose()

    return Worker(
        queue,
        functions=JOB_FUNCTIONS,
        startup=startup,
        shutdown=shutdown,
        shutdown_grace_period_s=grace_seconds,
    )


def connect_queue(url: str, name: str) -> Queue:
    """The queue `name` on the Redis at `url`; deployments sharing a Redis pick their own."""
    return Queue.from_url(url, name=name)


def turn_job(message: IncomingMessage) -> Job:
    """The job for one turn, keyed by its idempotency key (one is made when it has none,
    so every retry of this job is the same event to the store)."""
    if not message.idempotency_key:
        message = message.model_copy(update={"idempotency_key": f"job:{uuid4()}"})
    key = f"turn:{message.platform.value}:{message.idempotency_key}"
    return _job(TURN_JOB, key, TURN_TIMEOUT_SECONDS, message=message.model_dump_json())


def batch_job(function: str, at: datetime) -> Job:
    """A digests or reminders run for the hour of `at`: one queued per hour at most."""
    key = f"{function}:{at.strftime('%Y-%m-%dT%H')}"
    return _job(function, key, BATCH_TIMEOUT_SECONDS, at=at.isoformat())


def _job(function: str, key: str, timeout: int, **kwargs: Any) -> Job:
    return Job(
        function=function,
        kwargs=kwargs,
        key=key,
        timeout=timeout,
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

    async def submit(self, function: str, key: str, payload: BaseModel) -> bool:
        """A `bot.handoff.Handoff`: False (logged) while Redis cannot be reached."""
        job = _job(function, key, TURN_TIMEOUT_SECONDS, payload=payload.model_dump_json())
        try:
            async with asyncio.timeout(SUBMIT_TIMEOUT_SECONDS):
                await self.queue.enqueue(job)
        except (RedisError, OSError, TimeoutError) as error:
            log.warning("The job queue is unreachable (%s); working here", type(error).__name__)
            return False
        return True

    async def depth(self) -> int:
        """Jobs waiting for a worker, for `/metrics`."""
        return int(await self.queue.count("queued"))

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
async def open_handoff(settings: Settings) -> AsyncIterator[RedisJobs | None]:
    """The queue web processes hand slow turns to; None without `COACH_QUEUE_URL`."""
    if not settings.queue_url:
        yield None
        return
    queue = connect_queue(settings.queue_url, settings.queue_name)
    await queue.connect()
    try:
        yield RedisJobs(queue)
    finally:
        with suppress(RedisError, OSError):
            await queue.disconnect()


@asynccontextmanager
async def job_queue(settings: Settings) -> AsyncIterator[Scheduled]:
    """The queue `COACH_QUEUE_URL` names, or in-process work when it is unset."""
    if not settings.queue_url:
        async with open_jobs(settings) as jobs:
            yield InProcessJobs(jobs)
        return
    queue = connect_queue(settings.queue_url, settings.queue_name)
    await queue.connect()
    try:
        yield RedisJobs(queue)
    finally:
        await queue.disconnect()
