"""Builds the coaching services from Settings: the one place adapters get them from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.ops_wiring import build_limits, build_privacy
from coaching.commitments.service import CommitmentService
from coaching.engine import OfflineEngine
from coaching.feedback.service import FeedbackService
from coaching.llm import LLMCoach
from coaching.llm.breaker import Breaker
from coaching.observe import CoachObserver
from coaching.redact import Redactor
from coaching.review.service import ReviewService
from coaching.service import CoachService
from coaching.team.privacy import PrivacyService
from coaching.team.service import TeamService
from coaching.trust_check import TrustCheck
from config.settings import ModelSettings, PrivacySettings, Settings
from storage.feedback_repo import SqlFeedback
from storage.repository import open_store
from storage.review_repo import SqlReviewHistory
from storage.team_repo import SqlTeamStore
from storage.trust_repo import SqlTrustHistory


@dataclass(frozen=True)
class Services:
    coach: CoachService
    trust: TrustCheck
    review: ReviewService
    privacy: PrivacyService
    team: TeamService
    """Who a console user is: their stored role and zone, checked against their claim."""
    commitments: CommitmentService
    """The same accept/done/snooze/dismiss calls as `coach commitments`, for the chat."""
    feedback: FeedbackService
    """Thumbs up or down on answers, and the admins' list and export."""


def model_coach(
    model: ModelSettings, privacy: PrivacySettings, observer: CoachObserver | None = None
) -> LLMCoach | None:
    """The model's coach on the configured endpoint; None without a key, and the offline
    engine is then the coach."""
    if not model.enabled or model.api_key is None:
        return None
    # Imported here: the client library costs about a second of start-up, and the offline
    # default never needs it.
    from openai import AsyncOpenAI  # noqa: PLC0415

    client = AsyncOpenAI(
        api_key=model.api_key.get_secret_value(),
        base_url=model.base_url,
        timeout=model.timeout_seconds,
        max_retries=model.max_retries,
    )
    return LLMCoach(
        client,
        model=model.model,
        timeout_seconds=model.timeout_seconds,
        redactor=Redactor(privacy.redact_patterns, phone_region=privacy.phone_region),
        observer=observer,
        reasoning=model.reasoning,
        context_tokens=model.context_tokens,
        breaker=Breaker(failures=model.breaker_failures, cooldown_seconds=model.breaker_seconds),
    )


@asynccontextmanager
async def open_services(
    settings: Settings, observer: CoachObserver | None = None
) -> AsyncIterator[Services]:
    """Ready services on one migrated store, closed again on exit."""
    store = await open_store(settings.database.url, migrate=True)
    trust = TrustCheck(SqlTrustHistory(store.engine))
    coach = CoachService(
        store=store,
        engine=OfflineEngine(),
        llm=model_coach(settings.llm, settings.privacy, observer),
        max_input_chars=settings.limits.max_input_chars,
        memory_turns=settings.coaching.memory_turns,
        trust=trust,
        limits=build_limits(settings, store.engine),
        observer=observer,
    )
    team_store = SqlTeamStore(store.engine)
    try:
        yield Services(
            coach=coach,
            trust=trust,
            review=ReviewService(SqlReviewHistory(store.engine), coach),
            privacy=build_privacy(settings, store.engine),
            team=TeamService(team_store),
            commitments=CommitmentService(team_store),
            feedback=FeedbackService(SqlFeedback(store.engine)),
        )
    finally:
        await store.close()


@asynccontextmanager
async def coach_service(
    settings: Settings, observer: CoachObserver | None = None
) -> AsyncIterator[CoachService]:
    """Just the coaching service, for adapters that need nothing else."""
    async with open_services(settings, observer) as services:
        yield services.coach
