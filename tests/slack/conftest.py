"""Each test gets the real server (`build_app`) on a fresh database, and the Slack stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.server import build_app
from storage.repository import SqlStore
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.harness import SlackHarness, slack_settings


@pytest.fixture
async def slack(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> AsyncIterator[SlackHarness]:
    """The coach, single-workspace, served on 127.0.0.1 (`store` has migrated the database)."""
    app = build_app(slack_settings(database_url, slack_api))
    async with TestClient(TestServer(app)) as client:
        yield SlackHarness(client, slack_api)
