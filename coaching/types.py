"""The neutral model every adapter speaks: one message in, one coaching result out.

Slack, Teams and the console all translate into `IncomingMessage` and render a
`CoachingResult`, so the coaching is the same wherever a rep asks. The JSON form of
`CoachingResult` is fixed by `coaching-contract.md`; fields are only ever added.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class Platform(StrEnum):
    CONSOLE = "console"
    SLACK = "slack"
    TEAMS = "teams"


class MessageKind(StrEnum):
    """What the rep asked for: a coaching turn, a proposal review or a call review (whose
    rep turns are coached as a chat turn, so a stored turn is only ever chat or review)."""

    CHAT = "chat"
    REVIEW = "review"
    CALL = "call"


class CommitmentKind(StrEnum):
    P3_REQUEST = "p3_request"
    FOLLOW_UP = "follow_up"
    INTRODUCTION = "introduction"
    SEND_MATERIAL = "send_material"
    MEETING = "meeting"
    OTHER = "other"


class CommitmentStatus(StrEnum):
    SUGGESTED = "suggested"
    OPEN = "open"
    DONE = "done"
    SNOOZED = "snoozed"
    CANCELLED = "cancelled"


class Party(StrEnum):
    """Who owes the next step: the rep's promise, or the customer's agreed action."""

    REP = "rep"
    CUSTOMER = "customer"


class _Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Contract):
    code: str
    severity: Severity
    evidence: str
    advice: str
    category: str | None = None

    @model_serializer(mode="wrap")
    def _drop_empty_category(self, handler: Any) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("category") is None:
            data.pop("category", None)
        return data


class Commitment(_Contract):
    id: int | None = None
    text: str
    kind: CommitmentKind
    due: date | None
    counterpart: str | None = None
    status: CommitmentStatus = CommitmentStatus.OPEN
    party: Party = Party.REP


class TrustScores(_Contract):
    """The trust equation on the contract's 1-10 scale: trust = (C + R + I) / S."""

    credibility: float = Field(ge=1, le=10)
    reliability: float = Field(ge=1, le=10)
    intimacy: float = Field(ge=1, le=10)
    self_orientation: float = Field(ge=1, le=10)
    trust: float

    @classmethod
    def from_components(
        cls, *, credibility: float, reliability: float, intimacy: float, self_orientation: float
    ) -> TrustScores:
        trust = round((credibility + reliability + intimacy) / self_orientation, 2)
        return cls(
            credibility=credibility,
            reliability=reliability,
            intimacy=intimacy,
            self_orientation=self_orientation,
            trust=trust,
        )


class ScorecardEntry(_Contract):
    criterion: str
    passed: bool
    evidence: str
    advice: str


class CoachingResult(_Contract):
    reply: str
    playbooks: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    scores: TrustScores | None = None
    scorecard: list[ScorecardEntry] | None = None
    engine: Literal["offline", "llm"] = "offline"
    model: str | None = None

    @model_serializer(mode="wrap")
    def _drop_absent_sections(self, handler: Any) -> dict[str, Any]:
        """`scores` and `scorecard` appear only when their playbook ran (the contract)."""
        data: dict[str, Any] = handler(self)
        for optional in ("scores", "scorecard"):
            if data.get(optional) is None:
                data.pop(optional, None)
        return data


class Attachment(_Contract):
    name: str
    content: bytes


class IncomingMessage(_Contract):
    """One thing a user said to the coach, stripped of every platform detail."""

    platform: Platform
    tenant: str
    user: str
    text: str
    now: datetime
    user_name: str | None = None
    role: Role | None = None
    """None: the role stored for this user (rep for a new one). A role given here is
    only the one a new user is created with; a stored role never changes this way."""
    channel: str | None = None
    thread: str | None = None
    kind: MessageKind = MessageKind.CHAT
    files: tuple[Attachment, ...] = ()
    idempotency_key: str | None = None

    @field_validator("text")
    @classmethod
    def _without_nul(cls, text: str) -> str:
        """PostgreSQL cannot store NUL, and no platform's text needs one."""
        return text.replace("\x00", "")
