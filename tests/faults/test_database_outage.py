"""The database going away and coming back under a coach that keeps running.

`coach serve` opens its services once. While PostgreSQL is down a rep gets a polite
"not answering" instead of a driver error, nothing of the failed turn is stored, and
`/readyz` tells the load balancer; once it is back the same services (same engine, same
pool) serve again, with no process restart.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.server import SERVICE_KEY, build_app
from coaching.errors import StoreUnavailable
from config.settings import Settings
from storage.db import NOT_ANSWERING
from storage.models import ConversationTurn, ProcessedEvent
from storage.repository import SqlStore
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.faults.servers import PrivatePostgres
from tests.faults.support import count, eventually, turn
from tests.test_cli import run_coach

# Long enough for the test to stop PostgreSQL while the turn waits for the model.
MODEL_SECONDS = 5.0
SAID_BY_CLI = "Booked the demo with Priya for Thursday."


def served(database_url: str, openai: FakeOpenAI | None = None) -> TestServer:
    """What `coach serve` runs, on the private database (and the model stand-in)."""
    values = {"COACH_DATABASE_URL": database_url, "COACH_TIMEZONE": "UTC"}
    if openai is not None:
        values |= {"OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": openai.base_url}
        values |= {"COACH_LLM_MAX_RETRIES": "0"}
    return TestServer(build_app(Settings.model_validate(values)))


async def test_a_turn_that_loses_its_database_fails_politely_and_stores_nothing(
    tmp_path: Path,
    postgres: PrivatePostgres,
    postgres_url: str,
    coach_store: SqlStore,
    fake_openai: FakeOpenAI,
) -> None:
    async with TestClient(served(postgres_url, fake_openai)) as client:
        coach = client.app[SERVICE_KEY]
        assert (await coach.process(turn(1))).first_time  # the model fails fast: offline
        fake_openai.enqueue(Reply(delay=MODEL_SECONDS))
        waiting = asyncio.create_task(coach.process(turn(2)))

        async def asked_the_model() -> bool:
            return len(fake_openai.requests) == 2

        await eventually(asked_the_model, "the second turn asking the model")
        postgres.stop()
        try:
            with pytest.raises(StoreUnavailable) as lost:
                await waiting
            with pytest.raises(StoreUnavailable) as keyless:
                await coach.process(turn(3).model_copy(update={"idempotency_key": None}))
            ready = await client.get("/readyz")
            ready_body = await ready.json()
            cli = await asyncio.to_thread(
                run_coach, "ask", SAID_BY_CLI, "--json", "--db", postgres_url, cwd=tmp_path
            )
        finally:
            postgres.start()

        assert str(lost.value) == str(keyless.value) == NOT_ANSWERING
        assert ready.status == 503
        assert ready_body["status"] == "unavailable"
        assert "check that the server is running" in ready_body["reason"]
        assert (cli.returncode, json.loads(cli.stdout)["error"]["code"]) == (2, "store.unavailable")
        assert cli.stderr.startswith("coach: Cannot open the PostgreSQL database")
        assert len(cli.stderr.splitlines()) == 1  # one friendly line, no traceback
        assert await count(coach_store, ProcessedEvent) == 1  # the lost turn left nothing

        again = await coach.process(turn(2))
        ready_again = await client.get("/readyz")

    assert again.first_time
    assert ready_again.status == 200
    assert await count(coach_store, ProcessedEvent) == 2
    assert await count(coach_store, ConversationTurn) == 4


async def test_after_a_database_restart_the_first_request_succeeds(
    postgres: PrivatePostgres, postgres_url: str, coach_store: SqlStore
) -> None:
    async with TestClient(served(postgres_url)) as client:
        coach = client.app[SERVICE_KEY]
        await coach.process(turn(1))
        assert (await client.get("/readyz")).status == 200  # both pools now hold a connection
        postgres.restart()

        after = await coach.process(turn(2))
        ready = await client.get("/readyz")

    assert after.first_time
    assert ready.status == 200
    assert await count(coach_store, ProcessedEvent) == 2
