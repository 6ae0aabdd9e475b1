"""Shared pieces of the LLM tests: a coach wired to the loopback stand-in, and one turn."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from coaching.engine import OfflineEngine
from coaching.llm import LLMCoach
from coaching.llm.capabilities import Capabilities
from coaching.playbooks.base import Context
from coaching.ports import Turn
from coaching.types import CoachingResult, IncomingMessage, Platform
from tests.fakes.openai_server import FakeOpenAI, Reply, answer

TEXT = "I sent the proposal to Acme on Monday and will just wait for their decision."
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
ADVICE = (
    "Don't wait for Acme to decide alone. Ask your contact today for thirty minutes with "
    "the decision group before they choose, and offer two dates this week."
)


def coach_for(
    fake: FakeOpenAI,
    *,
    model: str = "fake-model",
    base_url: str | None = None,
    timeout: float = 5.0,
    **options: Any,
) -> LLMCoach:
    """A coach with its own capability memory, so no test learns from another."""
    client = fake.client(timeout=timeout, base_url=base_url)
    options.setdefault("capabilities", Capabilities())
    return LLMCoach(client, model=model, timeout_seconds=timeout, **options)


def message(text: str = TEXT) -> IncomingMessage:
    return IncomingMessage(platform=Platform.CONSOLE, tenant="t", user="u", text=text, now=NOW)


def offline(text: str = TEXT) -> CoachingResult:
    return OfflineEngine().coach(Context(text=text, now=NOW))


async def refine(
    coach: LLMCoach, text: str = TEXT, memory: list[Turn] | None = None
) -> CoachingResult:
    return await coach.refine(message=message(text), offline=offline(text), memory=memory or [])


def good_answer(reply: str = ADVICE) -> dict[str, Any]:
    """An answer the gate serves: real advice that keeps the offline high-severity finding."""
    return {
        "reply": reply,
        "findings": [
            {
                "code": "p3.not_requested",
                "severity": "high",
                "evidence": TEXT,
                "advice": "Ask for the final presentation before they decide.",
                "category": None,
            }
        ],
    }


def good() -> Reply:
    return answer(good_answer())


def wrapped_in_prose() -> Reply:
    """What a model without any format enforcement tends to write."""
    return Reply(content=f"Here is my coaching:\n```json\n{json.dumps(good_answer())}\n```")
