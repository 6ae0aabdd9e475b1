"""`coach serve`'s application on a loopback port, in a thread of its own, for fuzzers.

Hypothesis drives synchronous tests, so the app, the Slack Web API stand-in, the token
issuer and the Teams connector run on an event loop in a background thread, and examples
are posted with the standard library's HTTP client.
"""

from __future__ import annotations

import asyncio
import http.client
import sqlite3
import threading
from collections.abc import Coroutine
from contextlib import AsyncExitStack, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from bot.server import build_app
from storage.repository import open_store
from tests.fakes.openid import FakeOpenId
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack.harness import slack_settings
from tests.teams.conftest import APP_ID, TENANT

_T = TypeVar("_T")


@dataclass
class Answer:
    status: int
    body: bytes


class LiveServer:
    """Slack (one workspace, signed) and Teams (tokens required) on one real app."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._stack = AsyncExitStack()
        self.port = 0
        self.issuer: FakeOpenId
        self.connector: FakeConnector
        self.slack_api: FakeSlackApi

    def __enter__(self) -> LiveServer:
        self._thread.start()
        self._run(self._start())
        return self

    def __exit__(self, *_exc: object) -> None:
        self._run(self._stack.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.read())
        finally:
            connection.close()

    def rows(self) -> dict[str, int]:
        """How many rows each table holds, read on a connection of its own."""
        with closing(sqlite3.connect(self.db)) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            ]
            return {
                table: int(connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
                for table in tables
            }

    def _run(self, work: Coroutine[Any, Any, _T]) -> _T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=60)

    async def _start(self) -> None:
        url = f"sqlite:///{self.db}"
        await (await open_store(url, migrate=True)).close()
        self.slack_api = await FakeSlackApi().start()
        self._stack.push_async_callback(self.slack_api.stop)
        self.issuer = await self._stack.enter_async_context(FakeOpenId())
        self.connector = await self._stack.enter_async_context(FakeConnector())
        settings = slack_settings(
            url,
            self.slack_api,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET="not-used-by-the-fuzzer",
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID=TENANT,
            COACH_TEAMS_OPENID_METADATA_URL=self.issuer.metadata_url,
        )
        runner = web.AppRunner(build_app(settings), shutdown_timeout=0.1)
        await runner.setup()
        self._stack.push_async_callback(runner.cleanup)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(runner.addresses[0][1])
