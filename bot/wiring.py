"""Builds the coaching service from Settings: the one place adapters get their service from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from coaching.config import Settings
from coaching.engine import OfflineEngine
from coaching.llm import LLMCoach
from coaching.service import CoachService
from storage.repository import open_store


@asynccontextmanager
async def coach_service(settings: Settings) -> AsyncIterator[CoachService]:
    """A ready service on a migrated store, closed again on exit."""
    store = await open_store(settings.database_url, migrate=True)
    try:
        yield CoachService(
            store=store,
            engine=OfflineEngine(),
            llm=LLMCoach.from_settings(settings),
            max_input_chars=settings.max_input_chars,
            memory_turns=settings.memory_turns,
        )
    finally:
        await store.close()
