"""Shared fixtures: storage tests run on SQLite and, when CI provides one, on PostgreSQL.

`COACH_TEST_DATABASE_URL` names a PostgreSQL server (through one of its databases). Each
test run creates a database of its own there, resets that database's `public` schema before
each test and drops it at the end, so several runs can share one server without touching
each other's data or the database the URL names.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import NoReturn
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from storage.db import describe, normalise_url
from storage.models import AuditEntry
from storage.repository import SqlStore, open_store
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.teams_connector import FakeConnector

POSTGRES_URL_VARIABLE = "COACH_TEST_DATABASE_URL"
REQUIRE_SERVICES_VARIABLE = "COACH_TEST_REQUIRE_SERVICES"
# Configuration the coach, its SDKs or the OpenAI client read from the environment.
_DEPLOYMENT_PREFIXES = ("COACH_", "OPENAI_", "SLACK_", "CONNECTIONS__")
_TEST_RUN_PREFIX = "COACH_TEST_"


@pytest.fixture(autouse=True)
def hermetic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from no deployment settings, whatever the developer exported.

    An `OPENAI_API_KEY` or `COACH_DATABASE_URL` in a developer's shell would otherwise reach
    the real API or their own database, from this process and from every `coach` subprocess a
    test starts (they inherit `os.environ`). The `COACH_TEST_*` switches that point the run at
    its services are kept.
    """
    for name in list(os.environ):
        if name.startswith(_DEPLOYMENT_PREFIXES) and not name.startswith(_TEST_RUN_PREFIX):
            monkeypatch.delenv(name)


def skip_unless_required(reason: str) -> NoReturn:
    """Skip on a newcomer's laptop; fail in CI, where the services must be there."""
    if os.environ.get(REQUIRE_SERVICES_VARIABLE):
        pytest.fail(f"{reason}, but {REQUIRE_SERVICES_VARIABLE} is set (CI)")
    pytest.skip(reason)


def _autocommit(url: str) -> Engine:
    return create_engine(
        normalise_url(url)[1], isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )


def _unreachable(url: str) -> NoReturn:
    skip_unless_required(
        f"PostgreSQL tests need a reachable server: {POSTGRES_URL_VARIABLE} names "
        f"{describe(url)}, which does not answer"
    )


@pytest.fixture(scope="session")
def postgres_run_url() -> Iterator[str]:
    """A database of this run's own on the server `COACH_TEST_DATABASE_URL` names."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        skip_unless_required(f"PostgreSQL tests need {POSTGRES_URL_VARIABLE} (CI sets it)")
    name = f"coach_test_{os.getpid()}_{uuid4().hex[:8]}"
    server = _autocommit(url)
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        server.dispose()
        _unreachable(url)
    own = make_url(normalise_url(url)[1]).set(database=name)
    yield own.render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _reset_postgres(url: str) -> None:
    engine = _autocommit(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except OperationalError:
        _unreachable(url)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a fresh SQLite file, or this run's reset PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'coach.db'}"
    url: str = request.getfixturevalue("postgres_run_url")
    _reset_postgres(url)
    return url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    """An opened store on a database migrated to the newest schema."""
    opened = await open_store(database_url, migrate=True)
    yield opened
    await opened.close()


async def audited_targets(store: SqlStore, action_prefix: str) -> list[str]:
    """The targets of the audit entries whose action starts with `action_prefix`, sorted."""
    query = select(AuditEntry.target).where(AuditEntry.action.startswith(action_prefix))
    async with store.sessions() as session:
        return sorted(str(target) for target in await session.scalars(query))


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    """The loopback Slack Web API stand-in."""
    api = await FakeSlackApi().start()
    yield api
    await api.stop()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """The loopback Bot Framework connector stand-in."""
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    """The loopback Chat Completions stand-in."""
    async with FakeOpenAI() as server:
        yield server
