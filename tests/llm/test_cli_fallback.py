"""`coach ask` tells the person at the terminal, in one line, why the model was not used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.test_cli import run_coach


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def test_ask_prints_the_fallback_reason_in_one_line(tmp_path: Path, fake: FakeOpenAI) -> None:
    fake.enqueue(Reply(status=500))
    env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": fake.base_url, "COACH_LLM_MAX_RETRIES": "0"}
    done = run_coach("ask", "Sent the proposal, now I wait.", db=tmp_path / "c.db", env=env)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        "llm fallback (http_500, server_error): served the offline coaching"
    ]
    assert "Sent the proposal" not in done.stderr
