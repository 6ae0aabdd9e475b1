"""Builds the coaching services from Settings: the one place adapters get them from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from coaching.config import Settings
from coaching.engine import OfflineEngine
from coaching.llm import LLMCoach
from coaching.service import CoachService
from coaching.trust_check import TrustCheck
from storage.repository import open_store
from storage.trust_repo import SqlTrustHistory


@dataclass(frozen=True)
class Services:
    coach: CoachService
    trust: TrustCheck


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    """Ready services on one migrated store, closed again on exit."""
    store = await open_store(settings.database_url, migrate=True)
    trust = TrustCheck(SqlTrustHistory(store.engine))
    try:
        yield Services(
            coach=CoachService(
                store=store,
                engine=OfflineEngine(),
                llm=LLMCoach.from_settings(settings),
                max_input_chars=settings.max_input_chars,
                memory_turns=settings.memory_turns,
                trust=trust,
            ),
            trust=trust,
        )
    finally:
        await store.close()


@asynccontextmanager
async def coach_service(settings: Settings) -> AsyncIterator[CoachService]:
    """Just the coaching service, for adapters that need nothing else."""
    async with open_services(settings) as services:
        yield services.coach
