"""`/metrics` and `/readyz` over real HTTP, on the app `coach serve` runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.metrics import create_metrics
from bot.ops_routes import HEALTH_KEY, mount_ops
from bot.server import SERVICE_KEY, build_app
from storage.db import create_engine_for
from storage.health_repo import SqlHealth
from tests.fakes.openai_server import FakeOpenAI
from tests.ops.support import good_answer, message, settings_for


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


async def test_metrics_expose_turn_and_llm_figures_after_a_turn(
    tmp_path: Path, fake: FakeOpenAI
) -> None:
    fake.enqueue(good_answer())
    settings = settings_for(
        tmp_path / "coach.db", OPENAI_API_KEY=SecretStr("k"), OPENAI_BASE_URL=fake.base_url
    )
    settings = settings.replaced(COACH_LLM_MAX_RETRIES=0)
    async with TestClient(TestServer(build_app(settings))) as client:
        await client.app[SERVICE_KEY].handle(message("Sent the proposal to Dana yesterday."))
        await client.app[SERVICE_KEY].handle(message("And the pricing page, too."))
        response = await client.get("/metrics")
        body = await response.text()
    assert response.status == 200
    for name in (
        'coach_turn_seconds_count{engine="llm"}',
        'coach_turn_seconds_count{engine="offline"}',
        "coach_llm_seconds_count",
        'coach_llm_errors_total{kind="http_500"}',
        'coach_fallbacks_total{reason="http_500"}',
        "coach_digests_sent",
    ):
        assert name in body


async def test_readyz_is_ok_when_the_database_answers(tmp_path: Path) -> None:
    async with TestClient(TestServer(build_app(settings_for(tmp_path / "coach.db")))) as client:
        ready = await client.get("/readyz")
        healthy = await client.get("/healthz")
        assert (ready.status, await ready.json()) == (200, {"status": "ok"})
    assert healthy.status == 200


@pytest.mark.parametrize(
    "url",
    ["postgresql://nobody:secret@127.0.0.1:1/none", "sqlite:////nonexistent/dir/coach.db"],
)
async def test_readyz_is_503_with_a_reason_when_the_database_is_unreachable(url: str) -> None:
    app = web.Application()
    mount_ops(app, create_metrics())
    engine = create_engine_for(url)
    app[HEALTH_KEY] = SqlHealth(engine, url)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/readyz")
        payload = await response.json()
        metrics = await client.get("/metrics")
    await engine.dispose()
    assert response.status == 503
    assert payload["status"] == "unavailable"
    assert "Cannot open" in payload["reason"]
    assert "secret" not in payload["reason"]
    assert metrics.status == 200


async def test_readyz_turns_503_when_the_database_goes_away(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    async with TestClient(TestServer(build_app(settings_for(db)))) as client:
        db.rename(tmp_path / "moved.db")
        response = await client.get("/readyz")
        assert response.status == 503
