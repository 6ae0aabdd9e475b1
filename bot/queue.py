"""Slow work on a Redis-backed queue (saq) when `COACH_QUEUE_URL` is set; in-process otherwise.

The jobs: `slack_turn` and `teams_turn` (a chat turn or proposal review that the web process
acknowledged and handed over, finished and answered in Slack or Teams by the worker),
`coach_turn` (one IncomingMessage through `CoachService.process`), `digests_run` and
`reminders_run` (what `coach nudges run` and `coach reminders run` do), and `crm_sync`
(`coach crm sync`, queued each hour before the digests when a CRM is configured).
Each is idempotent in the database, not in Redis: a turn carries its idempotency key,
digests and reminders are claimed by rows unique per manager and ISO week or per reminder,
and a CRM sync upserts deals by CRM id from its stored cursor.
So a job retried after a crash, enqueued twice, or run by two schedulers changes nothing
the second time. Redis only decides who runs what: saq moves a job to its active list when
a worker takes it and keeps it there until it finishes; a job whose worker died is found by
the sweeper of any live worker and queued again.

Every job carries a heartbeat (`HEARTBEAT_SECONDS`): while it runs, the worker touches it
in Redis a few times per heartbeat. A job untouched for a whole heartbeat belongs to a
worker that died (SIGKILL, a lost machine) or a finish Redis never heard of (it was away),
so the next sweep (every `SWEEP_SECONDS`) queues it again: within about 45 seconds, not
only after its much longer timeout. Workers use `WorkerQueue`, which also keeps the sweep
from mistaking live jobs for dead ones and pauses dequeuing while Redis is away. A Slack or
Teams turn also runs under a lease (`bot.run_lease`): never beside another run of itself,
and never again once its answer is out.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Protocol
from uuid import uuid4

from pydantic import BaseModel
from redis.exceptions import RedisError
from saq import CronJob, Job, Queue, Status, Worker
from saq.job import TERMINAL_STATUSES
from saq.queue.redis import RedisQueue
from saq.types import Context, Function
from saq.utils import millis, now

from bot.clock import resolve_zone
from bot.crm_sources import crm_sources
from bot.gc_pause import cyclic_gc_paused
from bot.run_lease import AlreadyDelivered, TurnLeases
from bot.slack.jobs import SlackJobs, open_slack_jobs
from bot.wiring import Workspace, open_root
from coaching.digests.crm import SyncFailure, sync_all
from coaching.digests.ports import CrmSource
from coaching.errors import CoachingError
from coaching.jobs import JobQueue
from coaching.service import CoachService
from coaching.team.rules import Clock
from coaching.types import IncomingMessage
from config.settings import Settings
from storage.crm_repo import SqlCrmStore

if TYPE_CHECKING:
    from bot.teams.jobs import TeamsJobs

log = logging.getLogger(__name__)

TURN_JOB = "coach_turn"
DIGESTS_JOB = "digests_run"
REMINDERS_JOB = "reminders_run"
CRM_JOB = "crm_sync"
# saq's cron, evaluated by every worker (Redis keeps one scheduled job by its key): just
# after each full hour, when the hourly digest slots open.
HOURLY_CRON = "0 * * * *"
HOURLY_TIMEOUT_SECONDS = 60
# A turn may wait for the model (COACH_LLM_TIMEOUT, retried); a batch job covers everyone.
TURN_TIMEOUT_SECONDS = 300
BATCH_TIMEOUT_SECONDS = 1800
ATTEMPTS = 5
RETRY_DELAY_SECONDS = 1.0
RETRY_BACKOFF_MAX_SECONDS = 60.0
SHUTDOWN_GRACE_SECONDS = 20
# A web process waits this long for Redis to take a turn before answering it itself.
SUBMIT_TIMEOUT_SECONDS = 2.0
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
    slack: SlackJobs | None = None
    teams: TeamsJobs | None = None
    crm: tuple[CrmSource, ...] = ()


@asynccontextmanager
async def open_jobs(settings: Settings, *, platforms: bool = False) -> AsyncIterator[Jobs]:
    """The services; with `platforms`, also the Slack side a worker answers on, and the
    Teams side when Teams is configured (only then is the Teams SDK imported; a Teams turn
    reaching a worker without it fails and is retried, `NotConfigured`)."""
    async with AsyncExitStack() as stack:
        root = await stack.enter_async_context(open_root(settings))
        slack = teams = None
        if platforms:
            slack = await stack.enter_async_context(open_slack_jobs(settings, root))
        if platforms and settings.teams.enabled:
            from bot.teams.jobs import open_teams_jobs

            teams = await stack.enter_async_context(open_teams_jobs(settings, root))
        zone = resolve_zone(settings.coaching.default_timezone)
        yield Jobs(root.services.coach, root.space, zone, slack, teams, crm_sources(settings))


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
        counts = {"sent": len(report.digests), "skipped": report.skipped, "failed": report.failed}
        del report  # the collector's closing pass then scans no digest
    return counts


async def run_reminders(jobs: Jobs, at: str) -> dict[str, int]:
    """Send the reminders due at the instant `at` (ISO), each at most once."""
    with cyclic_gc_paused():
        sent = await jobs.space.reminders.run(_clock(jobs, at))
    return {"sent": len(sent)}


async def run_crm_sync(jobs: Jobs) -> dict[str, Any]:
    """Read what changed in each configured CRM since its last sync, one result per CRM.
    A refused token or a CRM that is away is a result, not a retry: the next hour's run
    carries on from the stored cursor."""
    if not jobs.crm:
        return {"skipped": True}
    results: dict[str, Any] = {}
    for outcome in await sync_all(jobs.crm, SqlCrmStore(jobs.space.store.engine)):
        if isinstance(outcome, SyncFailure):
            log.warning("CRM sync of %s stopped: %s", outcome.source, outcome.error.code)
            results[outcome.source] = outcome.error.to_json()
        else:
            results[outcome.source] = outcome.counts()
    return results


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


async def crm_sync(ctx: WorkerContext, *, at: str) -> dict[str, Any]:
    del at  # the hour only keys the job, so two schedulers queue one sync
    return await run_crm_sync(ctx["jobs"])


async def hourly(ctx: WorkerContext) -> dict[str, str]:
    """The hour's batch jobs, queued by saq's cron in every worker, so a deployment with a
    queue needs no scheduler process: the same jobs and keys `coach scheduler` queues, with
    the hour it was scheduled for as their clock (one run an hour however many workers)."""
    job = ctx["job"]
    at = datetime.fromtimestamp(job.scheduled, UTC) if job.scheduled else datetime.now(UTC)
    await tick(RedisJobs(ctx["worker"].queue, crm=bool(ctx["jobs"].crm)), at)
    return {"at": at.isoformat(timespec="minutes")}


async def slack_turn(ctx: WorkerContext, *, payload: str) -> dict[str, bool]:
    return await _finish_turn(ctx, ctx["jobs"].slack, "Slack", payload)


async def teams_turn(ctx: WorkerContext, *, payload: str) -> dict[str, bool]:
    return await _finish_turn(ctx, ctx["jobs"].teams, "Teams", payload)


class PlatformJobs(Protocol):
    async def run(self, payload: str, *, resend: bool, can_retry: bool) -> dict[str, bool]: ...


class NotConfigured(RuntimeError):
    """This worker cannot run the job; it fails and is retried, maybe by another worker."""


async def _finish_turn(
    ctx: WorkerContext, side: PlatformJobs | None, platform: str, payload: str
) -> dict[str, bool]:
    """Run a platform's turn under its lease (`bot.run_lease`): never beside another live
    run of the same turn, never again once answered. The stored answer is resent when an
    earlier run may have got it out, and with attempts left a failure propagates, so saq
    runs the job again."""
    if side is None:
        raise NotConfigured(f"a {platform} turn reached a worker without {platform} settings")
    job = ctx.get("job")
    if job is None:
        return await side.run(payload, resend=False, can_retry=False)
    try:
        async with _leases(job).hold(job.key, holder=uuid4().hex) as lease:
            resend = job.attempts > 1 or lease.retaken
            result = await side.run(payload, resend=resend, can_retry=job.retryable)
            lease.mark_delivered()
            return result
    except AlreadyDelivered:
        log.info("A %s turn ran again after it was answered; nothing was sent", platform)
        return {"answered": False}


def _leases(job: Job) -> TurnLeases:
    """The leases beside the job's own queue, lasting one heartbeat unless renewed."""
    queue = job.get_queue()
    if not isinstance(queue, RedisQueue):
        raise NotConfigured("platform turns run on a Redis queue")
    term = job.heartbeat or HEARTBEAT_SECONDS
    return TurnLeases(queue.redis, f"saq:{queue.name}", term_seconds=term)


JOB_FUNCTIONS: list[Function[WorkerContext]] = [
    slack_turn,
    teams_turn,
    coach_turn,
    digests_run,
    reminders_run,
    crm_sync,
]


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
        ctx["jobs"] = await resources.enter_async_context(open_jobs(settings, platforms=True))
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
        functions=JOB_FUNCTIONS,
        startup=startup,
        shutdown=shutdown,
        shutdown_grace_period_s=grace_seconds,
        cron_jobs=[CronJob(hourly, cron=HOURLY_CRON, timeout=HOURLY_TIMEOUT_SECONDS)],
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


# KEYS: the sweep lock, the active list. ARGV: the lock's seconds. Nothing once locked.
_LOCK_AND_LIST_ACTIVE = """
if redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) then
    return redis.call('LRANGE', KEYS[2], 0, -1)
end
return {}
"""
# KEYS: the active list, the incomplete set. ARGV: a job id, 1 to drop it from both.
_FORGET_ACTIVE = """
redis.call('LREM', KEYS[1], 0, ARGV[1])
if ARGV[2] == '1' then redis.call('ZREM', KEYS[2], ARGV[1]) end
return 1
"""


class WorkerQueue(RedisQueue):
    """saq's Redis queue, with a sweep that never takes a live job, and a calm dequeue.

    saq's sweeper judges every active job from one snapshot, and a job a worker has just
    taken (moved to the active list) but not yet marked active looks abandoned to it: it
    queued such a job again while it ran, and a lagging worker (a slow link to Redis, a
    busy event loop) widens that moment to many milliseconds, so a burst of turns was
    often run twice. Here each job is judged from a fresh read, just before the verdict:
    an active job is dead only when its heartbeat is stale (or its timeout has passed),
    and a job taken but not yet marked active only when it is still so a whole heartbeat
    after the sweep first saw it (its worker died in between). A finished job left in the
    active list is only removed from it. Each requeued job is awaited for
    `SWEEP_ABORT_SECONDS`, not saq's five, so a sweep of many dead jobs stays short.

    A worker asks for its next job again the moment a dequeue fails, so with Redis away
    saq would spin a whole CPU until it is back; here a failed dequeue waits first.
    """

    async def sweep(self, lock: int = 60, abort: float = SWEEP_ABORT_SECONDS) -> list[str]:
        active = self.redis.register_script(_LOCK_AND_LIST_ACTIVE)
        forget = self.redis.register_script(_FORGET_ACTIVE)
        swept: list[str] = []
        for job_id in dict.fromkeys(await active([self._sweep, self._active], [lock])):
            job = await self._get_job_by_id(job_id)
            if job is None or job.status in TERMINAL_STATUSES:
                # Gone, or finished: nothing to run again, only a stale list entry.
                await forget([self._active, self._incomplete], [job_id, 0 if job else 1])
                if job is None:
                    swept.append(job_id.decode())
            elif await self._abandoned(job):
                await self._requeue(job, abort)
                swept.append(job_id.decode())
        return swept

    async def _abandoned(self, job: Job) -> bool:
        if job.status in (Status.ACTIVE, Status.ABORTING):
            return job.stuck
        grace_ms = int(millis(job.heartbeat or HEARTBEAT_SECONDS))
        # An enqueue stamps `queued` and a retry `touched`: together they name this take.
        taken = self.namespace(f"taken:{job.key}:{job.queued}:{job.touched}")
        seen_now = now()
        if await self.redis.set(taken, seen_now, nx=True, px=2 * grace_ms):
            return False  # first seen taken but not yet active: give its worker a heartbeat
        first_seen = await self.redis.get(taken)
        return first_seen is not None and seen_now - int(first_seen) > grace_ms

    async def _requeue(self, job: Job, abort: float) -> None:
        """What saq's sweep does with a dead job: abort it, then retry it if it may."""
        log.info("Sweeping job %s", job.info())
        await self.abort(job, error=self.swept_error_message)
        with suppress(TimeoutError):
            await job.refresh(abort)
        if job.retryable:
            await self.retry(job, error=self.swept_error_message)
        else:
            await self.finish(job, Status.ABORTED, error=self.swept_error_message)

    async def dequeue(self, timeout: float = 0.0, poll_interval: float = 0.0) -> Job | None:
        try:
            return await super().dequeue(timeout, poll_interval)
        except (RedisError, OSError):
            await asyncio.sleep(REDIS_AWAY_PAUSE_SECONDS)
            return None


def connect_queue(url: str, name: str) -> Queue:
    """The queue `name` on the Redis at `url`; deployments sharing a Redis pick their own."""
    return WorkerQueue.from_url(url, name=name)


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

    def __init__(self, queue: Queue, *, crm: bool = False) -> None:
        self.queue = queue
        self.crm = crm

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
        """Jobs waiting for a worker, for `/metrics`; ConnectionError while Redis is away,
        so the metrics need not know Redis's own errors."""
        try:
            return int(await self.queue.count("queued"))
        except RedisError as error:
            raise ConnectionError("the job queue did not answer") from error

    async def enqueue_turn(self, message: IncomingMessage) -> None:
        await self.queue.enqueue(turn_job(message))

    async def enqueue_batches(self, at: datetime) -> None:
        if self.crm:
            await self.queue.enqueue(batch_job(CRM_JOB, at))
        await self.queue.enqueue(batch_job(DIGESTS_JOB, at))
        await self.queue.enqueue(batch_job(REMINDERS_JOB, at))


class InProcessJobs:
    """No queue configured: the same job bodies run here, awaited by the caller."""

    def __init__(self, jobs: Jobs) -> None:
        self.jobs = jobs

    async def enqueue_turn(self, message: IncomingMessage) -> None:
        await run_turn(self.jobs, message.model_dump_json())

    async def enqueue_batches(self, at: datetime) -> None:
        if self.jobs.crm:
            await run_crm_sync(self.jobs)
        await run_digests(self.jobs, at.isoformat())
        await run_reminders(self.jobs, at.isoformat())


async def tick(jobs: Scheduled, at: datetime) -> None:
    """One scheduler tick (`coach scheduler`, hourly): this hour's CRM sync (when one is
    configured), digests and reminders."""
    await jobs.enqueue_batches(at)
    log.info("Scheduled the digests and reminders run for %s", at.isoformat(timespec="minutes"))


def seconds_to_next_hour(now: datetime) -> float:
    """Sleep until just after the next full hour, when the hourly digest slots open."""
    next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1, seconds=1)
    return (next_hour - now).total_seconds()


@asynccontextmanager
async def open_handoff(settings: Settings) -> AsyncIterator[RedisJobs | None]:
    """The queue web processes hand slow turns to; None without `COACH_QUEUE_URL`."""
    if not settings.queue.url:
        yield None
        return
    async with _redis_jobs(settings.queue.url, settings.queue.name) as jobs:
        yield jobs


@asynccontextmanager
async def job_queue(settings: Settings) -> AsyncIterator[Scheduled]:
    """The queue `COACH_QUEUE_URL` names, or in-process work when it is unset."""
    if not settings.queue.url:
        async with open_jobs(settings) as jobs:
            yield InProcessJobs(jobs)
        return
    crm = bool(crm_sources(settings))
    async with _redis_jobs(settings.queue.url, settings.queue.name, crm=crm) as queued:
        yield queued


@asynccontextmanager
async def _redis_jobs(url: str, name: str, *, crm: bool = False) -> AsyncIterator[RedisJobs]:
    """The queue, closed again on exit even when Redis has gone away meanwhile."""
    queue = connect_queue(url, name)
    await queue.connect()
    try:
        yield RedisJobs(queue, crm=crm)
    finally:
        with suppress(RedisError, OSError):
            await queue.disconnect()
