"""What digests, reminders and the CRM sync need from the outside, and the values that cross.

The services decide *what* to send and record it exactly once; an `Outbound` (wired in
`bot/delivery.py`) decides *how*: the console outbox, Slack or Teams, by the recipient's
platform. `deliver` reports the keys it delivered; anything else counts as failed and is
retried by the next run. The claim is recorded before anything is sent, so a sent message
is never sent again, and a claim whose run died is taken over once its lease lapses
(`coaching.digests.service.DELIVERY_LEASE`). `DigestStore`, `ReminderStore` and `CrmStore`
are what `storage/` implements; `CrmSource` is what a CRM client in `bot/` implements.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from coaching.commitments.ports import ReminderCandidate, ReminderKind, Tracked
from coaching.digests.deals import Deal, DealStage
from coaching.digests.model import Digest, FindingMark
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, Member
from coaching.types import CommitmentKind, Party, Platform


class Reminder(BaseModel):
    """A nudge to a rep about one of their commitments, the day before or on the day.

    `due` is the promised date and `due_words` how it stands on the send day ("overdue by 4
    days" after a snooze past it); `remind_on` is the day the reminder is about, which a
    snooze moves (`coaching.commitments.due`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    commitment_id: int
    when: ReminderKind
    text: str
    kind: CommitmentKind
    counterpart: str | None
    due: date | None
    party: Party
    rep: str
    remind_on: date | None
    due_words: str


@dataclass(frozen=True)
class Outgoing:
    """One message for one recipient; `key` is unique per digest week or reminder."""

    key: str
    recipient: Member
    digest: Digest | None = None
    reminder: Reminder | None = None


class Outbound(Protocol):
    @property
    def platforms(self) -> frozenset[Platform]:
        """The platforms this outbound can reach; others wait for their adapter."""
        ...

    async def deliver(self, items: Sequence[Outgoing]) -> set[str]:
        """Send the items; the keys of those delivered. Never raises for a failed send."""
        ...


@dataclass(frozen=True, slots=True)
class CrmDeal:
    """One deal as a CRM describes it, already mapped to our stages and calendar days.

    `crm_id` is unique across CRMs ("hubspot:123"); `owner_email` is lower-cased, and
    matched to a rep's email by the store. `opened_at` stands in for peak interest: a CRM
    does not record when the customer was keenest, and the day they opened the deal is
    the last day we know they were interested."""

    crm_id: str
    name: str
    owner_email: str | None
    stage: DealStage
    modified_at: datetime
    amount: int | None = None
    close_date: date | None = None
    next_step: str | None = None
    last_customer_action_at: date | None = None
    opened_at: date | None = None


@dataclass(frozen=True, slots=True)
class SavedPage:
    """What the store did with one page: deals written, and deals whose owner is no rep."""

    stored: int
    unmatched: int


class CrmSource(Protocol):
    """A CRM's deals modified at or after `since` (all when None), oldest first, in pages."""

    name: str

    def pages(self, since: datetime | None) -> AsyncIterator[Sequence[CrmDeal]]: ...


class CrmStore(Protocol):
    async def crm_cursor(self, source: str) -> datetime | None: ...

    async def save_crm_page(
        self, source: str, deals: Sequence[CrmDeal], cursor: datetime
    ) -> SavedPage: ...


Claims = Mapping[ReminderKind, Sequence[int]]


class ReminderStore(Protocol):
    async def reminder_candidates(
        self, *, around: datetime, lapsed_before: datetime
    ) -> list[tuple[ReminderCandidate, Member]]:
        """Live commitments whose reminder day is within a day or two of `around`, with
        their owners, where at least one reminder is unsent and unclaimed (or claimed at or
        before `lapsed_before` and never recorded delivered)."""
        ...

    async def claim_reminders(
        self, claims: Claims, *, at: datetime, lapsed_before: datetime
    ) -> dict[ReminderKind, set[int]]:
        """Claim reminders `at` where unclaimed or where the claim has lapsed; the
        commitment ids this run owns."""
        ...

    async def finish_reminders(self, *, sent: Claims, failed: Claims, at: datetime) -> None:
        """Record this run's claims (taken `at`) delivered, or clear them after a failed
        send so the next run tries again; a claim taken over since is left alone."""
        ...


@dataclass(frozen=True)
class Schedule:
    """A manager's digest slot in their own zone: weekday 0 is Monday."""

    weekday: int = 0
    hour: int = 9


@dataclass(frozen=True)
class ManagerSlot:
    manager: Member
    schedule: Schedule


@dataclass(frozen=True)
class TeamSnapshot:
    """What the digests read: reps (with their manager) and their commitments, deals, codes."""

    reps: list[Member] = field(default_factory=list)
    commitments: list[Tracked] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    findings: list[FindingMark] = field(default_factory=list)


@dataclass(frozen=True)
class DeliveryState:
    """A delivery record's status and, while `pending`, when its claim was taken."""

    status: str
    claimed_at: datetime | None = None

    def claimable(self, lapsed_before: datetime) -> bool:
        """Whether a run may claim it: it failed, or its claim's lease has run out."""
        if self.status == "failed":
            return True
        lapsed = self.claimed_at is None or self.claimed_at <= lapsed_before
        return self.status == "pending" and lapsed


class DigestStore(Protocol):
    async def member(self, who: UserRef) -> Member | None: ...

    async def members(self, who: UserRef, users: Sequence[str]) -> dict[str, Member]: ...

    async def managers(self) -> list[ManagerSlot]:
        """Every manager in every tenant, with their schedule."""
        ...

    async def delivery_states(
        self, keys: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], DeliveryState]:
        """The delivery records that exist among (manager id, ISO week) keys."""
        ...

    async def snapshot(
        self, *, manager_ids: Sequence[int], since: datetime, until: date
    ) -> TeamSnapshot:
        """The managers' reps and what their digests need between `since` and `until`."""
        ...

    async def claim(
        self, digests: Sequence[tuple[int, Digest]], *, at: datetime, lapsed_before: datetime
    ) -> set[int]:
        """Record pending deliveries claimed `at`, with their digests: new ones, ones that
        failed before, and pending ones claimed at or before `lapsed_before`; the manager
        ids now ours to send."""
        ...

    async def finish(
        self, *, sent: Sequence[tuple[int, str]], failed: Sequence[tuple[int, str]], at: datetime
    ) -> None:
        """Mark deliveries keyed by (manager id, ISO week) that this run claimed `at` sent
        (at `at`) or failed; one another run has taken over since is left to that run."""
        ...

    async def set_schedule(self, manager_id: int, schedule: Schedule) -> None: ...

    async def audit(self, who: UserRef, actor: Member | None, note: AuditNote) -> None: ...
