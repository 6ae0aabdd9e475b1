"""Builds the coaching services from Settings: the one place adapters get them from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.ops_wiring import build_limits, build_privacy
from coaching.commitment_service import CommitmentService
from coaching.config import Settings
from coaching.engine import OfflineEngine
from coaching.feedback import FeedbackService
from coaching.llm import LLMCoach
from coaching.observe import CoachObserver
from coaching.privacy import PrivacyService
from coaching.review import ReviewService
from coaching.service import CoachService
from coaching.team_service import TeamService
from coaching.trust_check import TrustCheck
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


@asynccontextmanager
async def open_services(
    settings: Settings, observer: CoachObserver | None = None
) -> AsyncIterator[Services]:
    """Ready services on one migrated store, closed again on exit."""
    store = await open_store(settings.database_url, migrate=True)
    trust = TrustCheck(SqlTrustHistory(store.engine))
    coach = CoachService(
        store=store,
        engine=OfflineEngine(),
        llm=LLMCoach.from_settings(settings, observer),
        max_input_chars=settings.max_input_chars,
        memory_turns=settings.memory_turns,
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
