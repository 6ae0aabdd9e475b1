"""Helpers of the fault suite: `coach worker` as a real process, turns, and patient polling."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from saq import Queue
from sqlalchemy import func, select

from coaching.errors import StoreUnavailable
from coaching.types import IncomingMessage, Platform
from config.settings import Settings
from storage.repository import SqlStore
from tests.fakes.openai_server import FakeOpenAI
from tests.faults.servers import PrivatePostgres, PrivateRedis

COACH = str(Path(sys.executable).with_name("coach"))
PATIENCE_SECONDS = 90.0
STOP_SECONDS = 30.0
SAID = "I'll send Lena the revised pricing by Friday"


def turn(number: int, user: str = "ana") -> IncomingMessage:
    """One rep's message as an adapter would enqueue it: with its own event key."""
    return IncomingMessage(
        platform=Platform.SLACK,
        tenant="T-faults",
        user=user,
        text=SAID,
        now=datetime(2026, 3, 2, 9, tzinfo=UTC),
        idempotency_key=f"evt-{number}",
    )


def worker_variables(database_url: str, queue_url: str, openai_url: str) -> dict[str, str]:
    """A worker's settings: the private servers, and a model that answers as slowly as the
    test scripts it to (never retried, so each turn asks it exactly once)."""
    return {
        "COACH_DATABASE_URL": database_url,
        "COACH_QUEUE_URL": queue_url,
        "OPENAI_API_KEY": "test-key",
        "OPENAI_BASE_URL": openai_url,
        "COACH_LLM_TIMEOUT": "300",
        "COACH_LLM_MAX_RETRIES": "0",
        "COACH_TIMEZONE": "UTC",
        "COACH_LOG_LEVEL": "INFO",
    }


@dataclass(frozen=True)
class Rig:
    """What a fault test breaks and watches: the private servers, the coach's store and
    queue on them, and the model stand-in."""

    postgres: PrivatePostgres
    database_url: str
    store: SqlStore
    redis: PrivateRedis
    queue: Queue
    openai: FakeOpenAI

    @property
    def variables(self) -> dict[str, str]:
        return worker_variables(self.database_url, self.redis.url, self.openai.base_url)


def worker_environment(variables: dict[str, str]) -> dict[str, str]:
    """For a `coach worker` process: this machine's environment without any coach or OpenAI
    settings, plus `variables`."""
    clean = dict(os.environ)
    return clean | variables


def worker_settings(variables: dict[str, str]) -> Settings:
    """For a worker in the test's own event loop: the same settings and nothing else (no
    `.env`, no environment)."""
    return Settings.model_validate(variables)


@contextmanager
def coach_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`coach worker` running in its own process (its log in `log`), stopped with SIGTERM
    at the end unless the test has already killed it."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            [COACH, "worker"], env=env, cwd=log.parent, stdout=output, stderr=output
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Poll `check` until it holds; fail with `what` after a generous bound (no timing)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE_SECONDS
    while loop.time() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {PATIENCE_SECONDS:.0f} s")


async def count(store: SqlStore, model: type[Any]) -> int:
    async with store.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def count_when_up(store: SqlStore, model: type[Any]) -> int:
    """Rows of `model`, or -1 while the database is restarting (polling carries on)."""
    try:
        return await count(store, model)
    except StoreUnavailable:
        return -1
