"""The composition root: every service, store and sender a process uses, on ONE engine.

`coach serve`, `coach worker`, `coach scheduler`, every CLI command and the benchmarks
open a `Root` (`open_root`) and take what they need from it. Each SQLAlchemy engine keeps
its own connection pool, so before this one process opened up to six of them (coaching,
team work, Slack installations, Teams references, the readiness probe, a sender's batch);
now the database is migrated once, connected through one pool, and closing the root
disposes it and closes the model client's connections. Nothing else in `bot/` creates an
engine.

Platform code is imported only when the settings use it: the Slack installation store
with Slack OAuth, the Teams SDK only when a root is asked for the platform senders.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.delivery import DigestSender, Dispatcher
from bot.outbox import ConsoleOutbox
from coaching.commitments.service import CommitmentService
from coaching.digests.reminders import ReminderService
from coaching.digests.service import DigestService
from coaching.engine import OfflineEngine
from coaching.feedback.service import FeedbackService
from coaching.llm import LLMCoach
from coaching.llm.breaker import Breaker
from coaching.observe import CoachObserver
from coaching.redact import Redactor
from coaching.review.service import ReviewService
from coaching.service import CoachService
from coaching.team.audit import AuditService
from coaching.team.limits import Limits
from coaching.team.privacy import PrivacyService
from coaching.team.service import TeamService
from coaching.trust_check import TrustCheck
from config.settings import ModelSettings, PrivacySettings, Settings
from storage.audit_repo import SqlAuditLog
from storage.digest_repo import SqlDigestStore
from storage.feedback_repo import SqlFeedback
from storage.outbox_repo import SqlOutbox
from storage.privacy_repo import SqlPrivacy
from storage.references import SqlConversationReferences
from storage.repository import SqlStore, open_store
from storage.review_repo import SqlReviewHistory
from storage.seed_repo import SqlSeeder
from storage.team_repo import SqlTeamStore
from storage.trust_repo import SqlTrustHistory
from storage.usage_repo import SqlUsage

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from storage.slack_store import SlackStores


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


@dataclass(frozen=True)
class Workspace:
    """The team side: what `coach team`, `commitments`, `nudges`, `reminders`, `outbox`,
    `demo` and the scheduled jobs work on."""

    store: SqlStore
    team: TeamService
    commitments: CommitmentService
    digests: DigestService
    reminders: ReminderService
    outbox: SqlOutbox
    seeder: SqlSeeder
    audit: AuditService


@dataclass(frozen=True)
class Root:
    """One process's services and platform stores, all on `store`'s one engine."""

    store: SqlStore
    services: Services
    space: Workspace
    references: SqlConversationReferences
    """Where Teams may post first (proactive messages), saved as users write to the coach."""
    slack: SlackStores | None
    """Slack's installation and OAuth state stores; None without Slack OAuth."""

    @property
    def engine(self) -> AsyncEngine:
        return self.store.engine


@asynccontextmanager
async def open_root(
    settings: Settings,
    observer: CoachObserver | None = None,
    senders: Sequence[DigestSender] | None = None,
) -> AsyncIterator[Root]:
    """Everything on one migrated database engine, disposed again on exit. Digests and
    reminders go to the console outbox and `senders` (by default the Slack and Teams
    senders the settings configure, `platform_senders`)."""
    store = await open_store(settings.database.url, migrate=True)
    llm = model_coach(settings.llm, settings.privacy, observer)
    try:
        engine = store.engine
        references = SqlConversationReferences(engine)
        slack = _slack_stores(settings, engine)
        chosen = platform_senders(settings, slack, references) if senders is None else senders
        services = _services(settings, store, llm, observer)
        yield Root(
            store=store,
            services=services,
            space=_workspace(store, services, chosen),
            references=references,
            slack=slack,
        )
    finally:
        if llm is not None:
            await llm.aclose()
        await store.close()


@asynccontextmanager
async def open_services(
    settings: Settings, observer: CoachObserver | None = None
) -> AsyncIterator[Services]:
    """Just the coaching services, for a command that delivers nothing."""
    async with open_root(settings, observer, senders=()) as root:
        yield root.services


@asynccontextmanager
async def workspace(
    settings: Settings, senders: Sequence[DigestSender] | None = None
) -> AsyncIterator[Workspace]:
    """Just the team side, for a command that needs nothing else (see `open_root`)."""
    async with open_root(settings, senders=senders) as root:
        yield root.space


def platform_senders(
    settings: Settings, slack: SlackStores | None, references: SqlConversationReferences
) -> list[DigestSender]:
    """Slack with a single-workspace bot token or OAuth installs; Teams always.

    Teams has no off switch: `coach serve` answers `/api/messages` even without a client id
    (local anonymous mode), and only users who wrote to the coach have a reference to post
    to. With OAuth (`SLACK_CLIENT_ID`) the Slack sender finds each workspace's token in the
    installation store. Nothing here raises or connects: every team command builds these,
    and a Slack setting the server would refuse must not stop `coach team`. The Slack and
    Teams code (and the Teams SDK) is imported only here, when a root is asked for senders.
    """
    from bot.slack.digest_sender import SlackDigestSender  # noqa: PLC0415
    from bot.slack.oauth import secret  # noqa: PLC0415
    from bot.slack.tokens import slack_tokens  # noqa: PLC0415
    from bot.teams.digest_sender import TeamsDigestSender  # noqa: PLC0415

    senders: list[DigestSender] = []
    if slack is not None or secret(settings.slack.bot_token):
        senders.append(SlackDigestSender(settings, slack_tokens(settings, slack)))
    senders.append(TeamsDigestSender(settings, references))
    return senders


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


def _services(
    settings: Settings, store: SqlStore, llm: LLMCoach | None, observer: CoachObserver | None
) -> Services:
    engine = store.engine
    team_store = SqlTeamStore(engine)
    trust = TrustCheck(SqlTrustHistory(engine))
    limits = Limits(
        SqlUsage(engine),
        per_minute=settings.limits.rate_limit_per_minute,
        daily_tokens=settings.limits.tenant_daily_tokens,
    )
    coach = CoachService(
        store=store,
        engine=OfflineEngine(),
        llm=llm,
        max_input_chars=settings.limits.max_input_chars,
        memory_turns=settings.coaching.memory_turns,
        trust=trust,
        limits=limits,
        observer=observer,
    )
    return Services(
        coach=coach,
        trust=trust,
        review=ReviewService(SqlReviewHistory(engine), coach),
        privacy=PrivacyService(SqlPrivacy(engine), retention_days=settings.privacy.retention_days),
        team=TeamService(team_store),
        commitments=CommitmentService(team_store),
        feedback=FeedbackService(SqlFeedback(engine)),
    )


def _workspace(store: SqlStore, services: Services, senders: Sequence[DigestSender]) -> Workspace:
    engine = store.engine
    outbox = SqlOutbox(engine)
    outbound = Dispatcher([ConsoleOutbox(outbox), *senders])
    digest_store = SqlDigestStore(engine)
    return Workspace(
        store=store,
        team=services.team,
        commitments=services.commitments,
        digests=DigestService(digest_store, outbound),
        reminders=ReminderService(digest_store, outbound),
        outbox=outbox,
        seeder=SqlSeeder(engine),
        audit=AuditService(SqlAuditLog(engine)),
    )


def _slack_stores(settings: Settings, engine: AsyncEngine) -> SlackStores | None:
    """The installation and state stores on the root's engine, with Slack OAuth only."""
    if not settings.slack.client_id:
        return None
    from storage.slack_store import slack_stores  # noqa: PLC0415

    return slack_stores(engine, client_id=settings.slack.client_id)
