"""A server or worker process holds exactly one database engine, and closing it disposes it.

Every engine that connects or is disposed is seen through SQLAlchemy's own engine events,
registered on the `Engine` class, so the count covers whatever created an engine, ours or
a library's. Only the async engines that serve requests count: the migration runs once on
Alembic's own short-lived synchronous connection (`storage.migrate`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import Connection, Engine, event

from bot.queue import open_jobs, run_digests, run_reminders
from bot.server import ROOT_KEY, build_app
from config.settings import Settings
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.harness import slack_settings

MONDAY_9 = "2026-03-02T09:00:00+00:00"


@dataclass
class Engines:
    """The async engines that connected and those that were disposed, in this test."""

    connected: list[Engine] = field(default_factory=list)
    disposed: list[Engine] = field(default_factory=list)

    def _connect(self, connection: Connection) -> None:
        if connection.dialect.is_async and connection.engine not in self.connected:
            self.connected.append(connection.engine)

    def _dispose(self, engine: Engine) -> None:
        if engine.dialect.is_async:
            self.disposed.append(engine)


@pytest.fixture
def engines() -> Iterator[Engines]:
    seen = Engines()
    event.listen(Engine, "engine_connect", seen._connect)
    event.listen(Engine, "engine_disposed", seen._dispose)
    yield seen
    event.remove(Engine, "engine_connect", seen._connect)
    event.remove(Engine, "engine_disposed", seen._dispose)


def both_platforms(database_url: str, slack_api: FakeSlackApi, **overrides: Any) -> Settings:
    """Multi-workspace Slack (installations in our database) and Teams, both configured."""
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": None,
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": SecretStr("client-secret"),
        "COACH_TEAMS_ALLOW_ANONYMOUS": True,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": None,
        "COACH_QUEUE_URL": None,
    }
    values.update(overrides)
    return slack_settings(database_url, slack_api, **values)


@pytest.fixture(params=["queue-off", "queue-on"])
def queue_url(request: pytest.FixtureRequest) -> str | None:
    """No queue (turns run in the web process), or the test Redis (turns are handed off)."""
    if request.param == "queue-off":
        return None
    url: str = request.getfixturevalue("redis_url")
    return url


async def test_a_server_with_slack_and_teams_holds_one_engine_and_closes_it(
    database_url: str, slack_api: FakeSlackApi, engines: Engines, queue_url: str | None
) -> None:
    app = build_app(both_platforms(database_url, slack_api, COACH_QUEUE_URL=queue_url))

    async with TestClient(TestServer(app)) as client:
        ready = await client.get("/readyz")
        metrics = await client.get("/metrics")
        # The install page saves an OAuth state through the Slack state store.
        install = await client.get("/slack/install")
        root_engine = app[ROOT_KEY].engine.sync_engine

    assert (ready.status, metrics.status, install.status) == (200, 200, 200)
    assert engines.connected == [root_engine]
    assert engines.disposed == [root_engine]


async def test_a_worker_with_slack_and_teams_holds_one_engine_and_closes_it(
    database_url: str, slack_api: FakeSlackApi, engines: Engines
) -> None:
    settings = both_platforms(database_url, slack_api)

    async with open_jobs(settings, platforms=True) as jobs:
        assert jobs.slack is not None
        assert jobs.teams is not None
        await run_digests(jobs, MONDAY_9)
        await run_reminders(jobs, MONDAY_9)
        root_engine = jobs.space.store.engine.sync_engine

    assert engines.connected == [root_engine]
    assert engines.disposed == [root_engine]
