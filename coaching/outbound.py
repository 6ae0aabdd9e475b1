"""The port for messages the coach sends on its own: weekly digests and reminders.

The services decide *what* to send and record it exactly once; an `Outbound` (wired in
`bot/delivery.py`) decides *how*: the console outbox, Slack or Teams, by the recipient's
platform. `deliver` reports the keys it delivered; anything else counts as failed and is
retried by the next run. The claim is recorded before anything is sent, so a sent message
is never sent again, and a claim whose run died is taken over once its lease lapses
(`coaching.digest_service.DELIVERY_LEASE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from coaching.digest_model import Digest
from coaching.team import Member
from coaching.tracking import ReminderKind
from coaching.types import CommitmentKind, Party, Platform


class Reminder(BaseModel):
    """A nudge to a rep about one of their commitments, the day before or on the day.

    `due` is the promised date and `due_words` how it stands on the send day ("overdue by 4
    days" after a snooze past it); `remind_on` is the day the reminder is about, which a
    snooze moves (`coaching.due`).
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
