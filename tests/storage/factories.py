"""Small builders for the messages, results and row counts the storage tests share."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from coaching.ports import UserRef
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Finding,
    IncomingMessage,
    Party,
    Platform,
    Role,
    Severity,
)
from storage.models import Base
from storage.repository import SqlStore

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
ALICE = UserRef(platform=Platform.SLACK, tenant="T1", user="U-alice")
BOB = UserRef(platform=Platform.SLACK, tenant="T1", user="U-bob")


def message(
    text: str = "I sent the proposal to Acme and will wait for their decision.",
    *,
    who: UserRef = ALICE,
    key: str | None = None,
    thread: str | None = None,
    now: datetime = NOW,
    role: Role = Role.REP,
    name: str | None = "Alice",
) -> IncomingMessage:
    return IncomingMessage(
        platform=who.platform,
        tenant=who.tenant,
        user=who.user,
        text=text,
        now=now,
        user_name=name,
        role=role,
        thread=thread,
        idempotency_key=key,
    )


def commitment(
    text: str,
    *,
    due: date | None = None,
    kind: CommitmentKind = CommitmentKind.FOLLOW_UP,
    status: CommitmentStatus = CommitmentStatus.OPEN,
    party: Party = Party.REP,
) -> Commitment:
    return Commitment(text=text, kind=kind, due=due, counterpart="Lena", status=status, party=party)


def result(
    reply: str = "Ask Acme for a final presentation to the decision group.",
    commitments: list[Commitment] | None = None,
) -> CoachingResult:
    return CoachingResult(
        reply=reply,
        playbooks=["p3"],
        findings=[
            Finding(
                code="p3.not_requested",
                severity=Severity.HIGH,
                evidence="will wait for their decision",
                advice="Request a P3 before they decide.",
            ),
            Finding(
                code="creepy.never",
                severity=Severity.MEDIUM,
                evidence="her surgery",
                advice="Leave health out of it.",
                category="health",
            ),
        ],
        commitments=(
            [
                commitment("Ask Lena for a P3 slot", due=date(2026, 3, 12)),
                commitment("Send the revised pricing", status=CommitmentStatus.SUGGESTED),
            ]
            if commitments is None
            else commitments
        ),
    )


async def row_counts(store: SqlStore) -> dict[str, int]:
    """How many rows every table holds, to prove a call wrote nothing."""
    async with store.sessions() as session:
        return {
            table.name: await session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }
