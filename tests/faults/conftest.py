"""The fault suite breaks servers on purpose, so it gets its own (`tests/faults/servers.py`).

One PostgreSQL cluster serves the whole session, each test in a database of its own; each
test gets a fresh Redis. A test that stopped a server and failed before starting it again
leaves it stopped: the next test's fixture starts it. The fixtures have names of their own
(`postgres_url`, `coach_store`, `coach_queue`), so a test here that asks for the shared
`database_url` or `store` still gets those.
"""

from __future__ import annotations

import os
import pwd
import shutil
from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import pytest
from saq import Queue
from sqlalchemy import create_engine, text

from bot.queue import connect_queue
from config.settings import QueueSettings
from storage.db import normalise_url
from storage.repository import SqlStore, open_store
from tests.conftest import skip_unless_required
from tests.fakes.openai_server import FakeOpenAI
from tests.faults.servers import (
    POSTGRES_OS_USER,
    PrivatePostgres,
    PrivateRedis,
    postgres_bindir,
    running,
)
from tests.faults.support import Rig


def _can_drop_root() -> bool:
    try:
        pwd.getpwnam(POSTGRES_OS_USER)
    except KeyError:
        return False
    return shutil.which("runuser") is not None


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PrivatePostgres]:
    bindir = postgres_bindir()
    if bindir is None:
        skip_unless_required(
            "fault tests need the PostgreSQL server programs initdb and pg_ctl "
            "(pg_config --bindir or /usr/lib/postgresql/*/bin)"
        )
    if os.geteuid() == 0 and not _can_drop_root():
        skip_unless_required(
            f"fault tests run PostgreSQL as the {POSTGRES_OS_USER!r} OS user when run as root, "
            "and need runuser and that user"
        )
    with running(PrivatePostgres(bindir)) as cluster:
        yield cluster


@pytest.fixture
def postgres(postgres_cluster: PrivatePostgres) -> PrivatePostgres:
    """The private cluster, running."""
    if not postgres_cluster.is_running():
        postgres_cluster.start()
    return postgres_cluster


@pytest.fixture
def postgres_url(postgres: PrivatePostgres) -> str:
    """A new, empty database on the private cluster."""
    name = f"faults_{uuid4().hex[:12]}"
    admin = create_engine(normalise_url(postgres.url)[1], isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return postgres.url_for(name)


@pytest.fixture
async def coach_store(postgres_url: str) -> AsyncIterator[SqlStore]:
    """The test's view of the database, migrated before any worker starts."""
    opened = await open_store(postgres_url, migrate=True)
    yield opened
    await opened.close()


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    program = shutil.which("redis-server")
    if program is None:
        skip_unless_required("fault tests need redis-server on PATH")
    with running(PrivateRedis(program)) as server:
        yield server


DEFAULT_QUEUE_NAME = QueueSettings().name


@pytest.fixture
async def coach_queue(redis_server: PrivateRedis) -> AsyncIterator[Queue]:
    """The queue `coach worker` takes jobs from, on the private Redis."""
    opened = connect_queue(redis_server.url, DEFAULT_QUEUE_NAME)
    await opened.connect()
    yield opened
    await opened.disconnect()


@pytest.fixture
def rig(
    *,
    postgres: PrivatePostgres,
    postgres_url: str,
    coach_store: SqlStore,
    redis_server: PrivateRedis,
    coach_queue: Queue,
    fake_openai: FakeOpenAI,
) -> Rig:
    return Rig(postgres, postgres_url, coach_store, redis_server, coach_queue, fake_openai)
