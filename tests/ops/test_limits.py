"""Per-user rate limits, the per-tenant token budget and custom redaction, on the wired
services (counters in the database, the loopback OpenAI stand-in as the model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.wiring import open_services
from coaching.errors import CoachingError
from coaching.team.limits import BUDGET_NOTE
from config.settings import Settings, load_settings
from tests.fakes.openai_server import FakeOpenAI
from tests.ops.support import count, good_answer, message, settings_for


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def _llm_settings(db: Path, fake: FakeOpenAI, **overrides: object) -> Settings:
    return settings_for(
        db,
        OPENAI_API_KEY=SecretStr("k"),
        OPENAI_BASE_URL=fake.base_url,
        COACH_LLM_MAX_RETRIES=0,
        **overrides,
    )


def _snapshot(db: Path) -> tuple[int, ...]:
    tables = ("users", "conversation_turns", "findings", "commitments", "usage_counters")
    sums = [count(db, f"SELECT count(*) FROM {table}") for table in tables]
    return (*sums, count(db, "SELECT coalesce(sum(amount), 0) FROM usage_counters"))


async def test_rate_limit_refuses_politely_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    async with open_services(settings_for(db, COACH_RATE_LIMIT_PER_MINUTE=2)) as services:
        await services.coach.handle(message("Call with Acme went well."))
        await services.coach.handle(message("They asked for a quote."))
        before = _snapshot(db)
        with pytest.raises(CoachingError) as refused:
            await services.coach.handle(message("One more question."))
        await services.coach.handle(message("Bob has his own limit.", user="bob"))
    assert refused.value.code == "rate.limited"
    assert "try again" in refused.value.message
    after = _snapshot(db)
    assert after[:2] == (before[0] + 1, before[1] + 2)


async def test_rate_limit_refusal_leaves_the_store_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    async with open_services(settings_for(db, COACH_RATE_LIMIT_PER_MINUTE=1)) as services:
        await services.coach.handle(message("Call with Acme went well."))
        before = _snapshot(db)
        with pytest.raises(CoachingError):
            await services.coach.handle(message("One more question."))
    assert _snapshot(db) == before


async def test_exhausted_tenant_budget_answers_offline_once_noted(
    tmp_path: Path, fake: FakeOpenAI
) -> None:
    fake.enqueue(good_answer(), good_answer())
    settings = _llm_settings(tmp_path / "coach.db", fake, COACH_TENANT_DAILY_TOKENS=2)
    async with open_services(settings) as services:
        first = await services.coach.handle(message("Sent the proposal to Dana."))
        second = await services.coach.handle(message("What next with Dana?"))
        other_tenant = await services.coach.handle(message("Hello", tenant="other"))
    assert first.engine == "llm"
    assert second.engine == "offline"
    assert second.reply.count(BUDGET_NOTE) == 1
    assert other_tenant.engine == "llm"
    assert len(fake.requests) == 2


async def test_custom_redaction_pattern_applies_before_the_model(
    tmp_path: Path, fake: FakeOpenAI
) -> None:
    fake.enqueue(good_answer())
    settings = _llm_settings(tmp_path / "coach.db", fake, COACH_REDACT_PATTERNS=[r"ACME-\d{4,}"])
    async with open_services(settings) as services:
        await services.coach.handle(message("Contract ACME-123456 for dana@acme.com is late."))
    sent = str(fake.requests[0]["messages"])
    assert "ACME-123456" not in sent
    assert "[redacted]" in sent
    assert "[email]" in sent


@pytest.mark.parametrize("raw", ["ACME-\\d+,  CUST\\d+ ", '["ACME-\\\\d+", "CUST\\\\d+"]'])
def test_redact_patterns_read_as_a_list_or_json(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_REDACT_PATTERNS", raw)
    assert Settings(_env_file=None).privacy.redact_patterns == [r"ACME-\d+", r"CUST\d+"]


def test_an_invalid_redact_pattern_is_rejected_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_REDACT_PATTERNS", "ACME-(unclosed")
    with pytest.raises(CoachingError, match="COACH_REDACT_PATTERNS"):
        load_settings()
