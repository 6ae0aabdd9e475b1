"""Shared fixtures: storage tests run on SQLite and, when CI provides one, on PostgreSQL.

`COACH_TEST_DATABASE_URL` names a PostgreSQL database the tests may wipe: its `public`
schema is dropped and recreated before each test, so every test starts from empty.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from storage.db import describe, normalise_url
from storage.models import AuditEntry
from storage.repository import SqlStore, open_store
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.teams_connector import FakeConnector

POSTGRES_URL_VARIABLE = "COACH_TEST_DATABASE_URL"
REQUIRE_SERVICES_VARIABLE = "COACH_TEST_REQUIRE_SERVICES"


def skip_unless_required(reason: str) -> NoReturn:
    """Skip on a newcomer's laptop; fail in CI, where the services must be there."""
    if os.environ.get(REQUIRE_SERVICES_VARIABLE):
        pytest.fail(f"{reason}, but {REQUIRE_SERVICES_VARIABLE} is set (CI)")
    pytest.skip(reason)


def _reset_postgres(url: str) -> None:
    engine = create_engine(
        normalise_url(url)[1], isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except OperationalError:
        skip_unless_required(
            f"PostgreSQL tests need a reachable server: {POSTGRES_URL_VARIABLE} names "
            f"{describe(url)}, which does not answer"
        )
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a fresh SQLite file, or the reset PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'coach.db'}"
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        skip_unless_required(f"PostgreSQL tests need {POSTGRES_URL_VARIABLE} (CI sets it)")
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
def fake_openai() -> Iterator[FakeOpenAI]:
    """The loopback Chat Completions stand-in."""
    server = FakeOpenAI().start()
    yield server
    server.stop()
