"""`coach worker` and `coach scheduler`: the background side of a deployment.

The worker runs queued jobs (`bot.queue`); run as many as the load needs. Workers also
queue the hourly CRM sync, digests and reminders themselves (saq's cron), so a deployment
with a queue needs no scheduler. The scheduler is for the rest: without a queue it runs the
hourly work in its own process (once at start, then at the top of every hour), and with one
it enqueues the same jobs, which is harmless: the hour's job key collapses duplicates while
queued, and the database's unique claims make a repeated run send nothing.

A turn job's arguments are the rep's message, and saq logs a failed job with all of them
(and every job at DEBUG). Both commands keep saq's log at INFO or above and log a job by its
function, key and counters only, so a database restart never writes message bodies to a log.

`bot.cli` imports this module for every command, `coach serve` included, so saq, redis and
`bot.queue` are imported only when one of these two commands runs. The logger keeps its
name from before the CLI became a package, `bot.cli_worker`, so log filters still match.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.options import DbOpt, fail, run, settings_for
from bot.logging_setup import configure_logging
from coaching.errors import CoachingError

if TYPE_CHECKING:
    from config.settings import Settings

log = logging.getLogger("bot.cli_worker")

QUEUE_AWAY = CoachingError(
    "queue.unavailable", "The job queue (COACH_QUEUE_URL) is not answering; nothing was queued."
)
# While Redis is away the scheduler retries this often, so an hour's work is only late.
TICK_RETRY_SECONDS = 60
NEEDS_QUEUE = CoachingError(
    "config.no_queue", "coach worker needs COACH_QUEUE_URL (redis://...) to take jobs from."
)


class JobsWithoutArguments(logging.Filter):
    """Log records about a saq job show the job without its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        from saq import Job

        if isinstance(record.args, tuple):
            record.args = tuple(
                argument.info() if isinstance(argument, Job) else argument
                for argument in record.args
            )
        return True


def _configure_logging(settings: Settings) -> None:
    configure_logging(settings.server.log_level, vetted=("saq",))
    saq_log = logging.getLogger("saq")
    saq_log.addFilter(JobsWithoutArguments())
    saq_log.setLevel(max(saq_log.getEffectiveLevel(), logging.INFO))


def worker(db: DbOpt = None) -> None:
    """Run queued jobs (coaching turns, digests, reminders) until stopped."""
    settings = settings_for(db)
    if not settings.queue.url:
        fail(NEEDS_QUEUE, as_json=False)
    _configure_logging(settings)
    run(_work(settings, settings.queue.url), as_json=False)


async def _work(settings: Settings, url: str) -> None:
    from bot.queue import build_worker, connect_queue

    queue = connect_queue(url, settings.queue.name)
    await queue.connect()
    try:
        await build_worker(settings, queue).start()
    finally:
        await queue.disconnect()


def scheduler(
    db: DbOpt = None,
    once: Annotated[bool, typer.Option("--once", help="One tick, then exit (for cron).")] = False,
) -> None:
    """Enqueue the digests and reminders run every hour (run them here without a queue)."""
    settings = settings_for(db)
    _configure_logging(settings)
    run(_schedule(settings, once=once), as_json=False)


async def _schedule(settings: Settings, *, once: bool) -> None:
    """Tick every hour; while Redis is away, try again every minute (`--once`: fail)."""
    import asyncio

    from redis.exceptions import RedisError

    from bot.queue import job_queue, seconds_to_next_hour, tick

    async with job_queue(settings) as jobs:
        while True:
            try:
                await tick(jobs, datetime.now(UTC))
            except (RedisError, OSError) as error:
                if once:
                    raise QUEUE_AWAY from error
                log.warning("The job queue is not answering; the scheduler tries again soon")
                await asyncio.sleep(TICK_RETRY_SECONDS)
                continue
            if once:
                return
            await asyncio.sleep(seconds_to_next_hour(datetime.now(UTC)))
