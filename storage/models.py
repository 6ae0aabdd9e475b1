"""The typed ORM mapping of the coach's tables.

Alembic migrations are the only source of the schema; these classes describe the same tables
so repositories can query them with type checking. `tests/storage` compares the migrated
database with this metadata, so a model change without a migration fails the tests.

Types are chosen to behave the same on SQLite and PostgreSQL: short strings with CHECK
constraints instead of native enums, JSON (JSONB on PostgreSQL; zlib-compressed bytes for
the large digest documents), and timestamps that are always timezone-aware UTC when read
back.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from coaching.digests.deals import DealStage
from coaching.types import CommitmentKind, CommitmentStatus, Party, Platform, Role, Severity

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Speaker = Literal["user", "coach"]
AssessmentSource = Literal["self", "coach"]
NudgeStatus = Literal["pending", "sent", "failed"]
SPEAKERS: tuple[Speaker, ...] = ("user", "coach")
ASSESSMENT_SOURCES: tuple[AssessmentSource, ...] = ("self", "coach")
NUDGE_STATUSES: tuple[NudgeStatus, ...] = ("pending", "sent", "failed")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always returned timezone-aware (SQLite drops zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, _dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class JSONValue(TypeDecorator[Any]):
    """JSON, stored as JSONB on PostgreSQL. The PostgreSQL type is looked up when a
    PostgreSQL engine first uses a column, so a SQLite deployment never loads that dialect."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


class PackedJson(TypeDecorator[Any]):
    """A JSON document stored zlib-compressed (migration 0008), read back as the value.

    A weekly run keeps ~25 KB of JSON per digest in its delivery record and again in the
    console outbox: 50 MB a run at 1,000 managers, which PostgreSQL parsed into JSONB and
    SQLite rewrote on every status change. Compressed it is an eighth of that. Bytes are
    taken as already packed (`Digest.packed_json`, compressed once for both records);
    anything else is encoded here.
    """

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, _dialect: Dialect) -> bytes | None:
        if value is None or isinstance(value, bytes):
            return value
        return zlib.compress(json.dumps(value).encode(), 1)

    def process_result_value(self, value: bytes | None, _dialect: Dialect) -> Any:
        return None if value is None else json.loads(zlib.decompress(value))


NOW = text("CURRENT_TIMESTAMP")
FALSE = text("false")


def _enum(values: type[StrEnum], length: int) -> Enum:
    """A VARCHAR holding the enum's values; the CHECK constraint is declared by name below."""
    return Enum(
        values,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


def _one_of(column: str, values: Sequence[str], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


def _user_fk(ondelete: str = "CASCADE") -> ForeignKey:
    return ForeignKey("users.id", ondelete=ondelete)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSONValue,
        list[dict[str, Any]]: JSONValue,
    }


class Tenant(Base):
    """A Slack workspace, a Teams tenant, or the console's local organisation."""

    __tablename__ = "tenants"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        _one_of("platform", [p.value for p in Platform], "platform"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform, 16))
    external_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("tenant_id", "platform_user_id"),
        _one_of("role", [r.value for r in Role], "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    platform_user_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, 16))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    manager_id: Mapped[int | None] = mapped_column(_user_fk("SET NULL"), index=True)
    # Work email, lower-cased: how a CRM's deal owner is matched to the rep (team import).
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)


class ConversationTurn(Base):
    """Thread memory: one line said by the user or by the coach."""

    __tablename__ = "conversation_turns"
    __table_args__ = (
        Index(None, "user_id", "thread_key", "created_at"),
        _one_of("speaker", SPEAKERS, "speaker"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk())
    thread_key: Mapped[str | None] = mapped_column(String(255))
    speaker: Mapped[Speaker] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        Index(None, "user_id", "created_at"),
        _one_of("severity", [s.value for s in Severity], "severity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    turn_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_turns.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(_user_fk())
    code: Mapped[str] = mapped_column(String(64))
    severity: Mapped[Severity] = mapped_column(_enum(Severity, 8))
    evidence: Mapped[str] = mapped_column(Text)
    advice: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)


class CommitmentRow(Base):
    __tablename__ = "commitments"
    __table_args__ = (
        Index(None, "user_id", "status", "due"),
        _one_of("kind", [k.value for k in CommitmentKind], "kind"),
        _one_of("party", [p.value for p in Party], "party"),
        _one_of("status", [s.value for s in CommitmentStatus], "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk())
    source_turn_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_turns.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[CommitmentKind] = mapped_column(_enum(CommitmentKind, 32))
    counterpart: Mapped[str | None] = mapped_column(String(255))
    party: Mapped[Party] = mapped_column(_enum(Party, 16))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(_enum(CommitmentStatus, 16))
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime] = mapped_column(server_default=NOW)
    # A reminder's claim: `reminded_*_at` is when a run took it; `*_pending` stays true until
    # that run records it delivered, so a claim left by a dead run can be taken over.
    reminded_day_before_at: Mapped[datetime | None]
    reminded_due_at: Mapped[datetime | None]
    reminded_day_before_pending: Mapped[bool] = mapped_column(Boolean, server_default=FALSE)
    reminded_due_pending: Mapped[bool] = mapped_column(Boolean, server_default=FALSE)
    idempotency_key: Mapped[str | None] = mapped_column(String(320), unique=True)


class TrustAssessment(Base):
    __tablename__ = "trust_assessments"
    __table_args__ = (
        Index(None, "user_id", "created_at"),
        _one_of("source", ASSESSMENT_SOURCES, "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk())
    credibility: Mapped[float] = mapped_column(Float)
    reliability: Mapped[float] = mapped_column(Float)
    intimacy: Mapped[float] = mapped_column(Float)
    self_orientation: Mapped[float] = mapped_column(Float)
    trust: Mapped[float] = mapped_column(Float)
    source: Mapped[AssessmentSource] = mapped_column(String(8))
    answers: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)


class ProposalReview(Base):
    __tablename__ = "proposal_reviews"
    __table_args__ = (Index(None, "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk())
    title: Mapped[str | None] = mapped_column(String(255))
    text_sha256: Mapped[str] = mapped_column(String(64))
    findings: Mapped[list[dict[str, Any]]]
    scorecard: Mapped[list[dict[str, Any]] | None]
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)


class ProcessedEvent(Base):
    """One handled inbound event and the result sent back, for exactly-once replies."""

    __tablename__ = "processed_events"
    __table_args__ = (
        UniqueConstraint("platform", "event_key"),
        _one_of("platform", [p.value for p in Platform], "platform"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform, 16))
    event_key: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(_user_fk("SET NULL"), index=True)
    result: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
    # What the rep said (migration 0006), so a rated answer can be replayed as an
    # evaluation case; NULL for older events and once retention purged the turn.
    turn_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_turns.id", ondelete="SET NULL")
    )
    # The posted answer's message (Teams: a hash of conversation and activity id), which
    # a feedback invoke names instead of the event (migration 0006).
    reply_ref: Mapped[str | None] = mapped_column(String(64), index=True)


class NudgeDelivery(Base):
    """A manager's weekly digest; unique per ISO week so it is sent at most once.

    `claimed_at` is when the run now holding a `pending` record took it, on that run's
    clock; a later run may take over once the lease has passed. NULL: claimed before
    leases existed, so long expired.
    """

    __tablename__ = "nudge_deliveries"
    __table_args__ = (
        UniqueConstraint("manager_id", "iso_week"),
        _one_of("status", NUDGE_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(_user_fk())
    iso_week: Mapped[str] = mapped_column(String(8))
    status: Mapped[NudgeStatus] = mapped_column(String(8))
    digest: Mapped[dict[str, Any]] = mapped_column(PackedJson)
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
    sent_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]


class ConversationReference(Base):
    """Where to post proactive messages (reminders, digests) for one user."""

    __tablename__ = "conversation_references"
    __table_args__ = (_one_of("platform", [p.value for p in Platform], "platform"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), unique=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform, 16))
    reference: Mapped[dict[str, Any]]
    stale: Mapped[bool] = mapped_column(Boolean, server_default=FALSE)
    updated_at: Mapped[datetime] = mapped_column(server_default=NOW)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(_user_fk("SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)


# Deals, digest schedules and the console outbox (migration 0003).

OutboxKind = Literal["digest", "reminder"]
OUTBOX_KINDS: tuple[OutboxKind, ...] = ("digest", "reminder")
DEAL_STAGES = tuple(stage.value for stage in DealStage)


class DealRow(Base):
    """A rep's opportunity, as a CRM sync, an import or `coach demo` records it.

    `crm_id` is the CRM's own id ("hubspot:123"), the key a sync upserts by, so a renamed
    deal or one handed to another rep stays one row."""

    __tablename__ = "deals"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        UniqueConstraint("crm_id"),
        _one_of("stage", DEAL_STAGES, "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk())
    name: Mapped[str] = mapped_column(String(255))
    stage: Mapped[str] = mapped_column(String(16))
    value: Mapped[int | None] = mapped_column(BigInteger)
    product_line: Mapped[str | None] = mapped_column(String(255))
    peak_interest_at: Mapped[date | None] = mapped_column(Date)
    last_customer_action_at: Mapped[date | None] = mapped_column(Date)
    proposal_sent_at: Mapped[date | None] = mapped_column(Date)
    p3_requested: Mapped[bool] = mapped_column(Boolean, server_default=FALSE)
    p3_at: Mapped[date | None] = mapped_column(Date)
    decider_confirmed: Mapped[bool] = mapped_column(Boolean, server_default=FALSE)
    closed_at: Mapped[date | None] = mapped_column(Date)
    crm_id: Mapped[str | None] = mapped_column(String(80))
    close_date: Mapped[date | None] = mapped_column(Date)
    next_step: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime] = mapped_column(server_default=NOW)


class CrmCursor(Base):
    """How far a CRM sync has read: the last modification time it stored, per CRM.

    It is written in the same transaction as the deals of each page, so a sync that stops
    halfway starts again from the last page it finished."""

    __tablename__ = "crm_cursors"

    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    modified_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(server_default=NOW)


class DigestSchedule(Base):
    """When a manager wants their weekly digest, in their own zone; absent means Monday 09:00."""

    __tablename__ = "digest_schedules"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),
    )

    manager_id: Mapped[int] = mapped_column(_user_fk(), primary_key=True)
    weekday: Mapped[int]
    hour: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(server_default=NOW)


class OutboxMessage(Base):
    """A digest or reminder delivered to the console: `coach outbox` reads them back.

    `dedupe_key` is unique, so delivering the same digest or reminder twice stores it once.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (_one_of("kind", OUTBOX_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    kind: Mapped[OutboxKind] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(PackedJson)
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)


class UsageCounter(Base):
    """A rate or token counter for one user or tenant and one time window (migration 0004).

    Shared by every worker through the database; `coach retention run` drops old windows.
    """

    __tablename__ = "usage_counters"
    __table_args__ = (
        UniqueConstraint("scope", "subject", "window_start"),
        _one_of("scope", ("rate", "tokens"), "scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(600))
    window_start: Mapped[datetime]
    amount: Mapped[int] = mapped_column(BigInteger)


# Ratings of answers (migration 0006).

FeedbackVerdict = Literal["up", "down"]
FEEDBACK_VERDICTS: tuple[FeedbackVerdict, ...] = ("up", "down")


class FeedbackRow(Base):
    """One person's thumbs up or down on one answer; a second click updates it in place.

    The answer is its processed event (the stored result the rep saw), so the rating,
    the codes found and the rep's own words can be read back together for an export.
    """

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index(None, "created_at"),
        _one_of("verdict", FEEDBACK_VERDICTS, "verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("processed_events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    verdict: Mapped[FeedbackVerdict] = mapped_column(String(8))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=NOW)
    updated_at: Mapped[datetime] = mapped_column(server_default=NOW)
