"""The weekly digest's shape: what `coach nudges preview --json` prints and adapters render.

Fields are only ever added, like the coaching contract's result object, because the
delivery records keep old digests as JSON and Slack and Teams render from this model.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from coaching.types import CommitmentKind, Party

NOTE = (
    "Prompts for your 1:1s, not a scoreboard: reps are listed by name and each item comes "
    "with one question to ask."
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CommitmentLine(_Model):
    id: int
    text: str
    kind: CommitmentKind
    counterpart: str | None
    due: date | None
    party: Party = Party.REP
    days_late: int | None = None
    on_time: bool | None = None
    due_words: str
    """How the promised date stands on the digest's day, in `coaching.commitments.due`'s words."""


class DealLine(_Model):
    name: str
    quiet_days: int
    last_customer_action: date | None
    requalify: bool


class CodeCount(_Model):
    """How often a finding code came up; `note` replaces any detail that must stay private."""

    code: str
    count: int
    recurring: bool
    note: str | None = None


class NudgeItem(_Model):
    """One thing worth a conversation, the evidence for it, and the question to ask."""

    code: str
    title: str
    evidence: str | None
    question: str


class RepDigest(_Model):
    rep: str
    name: str
    done_this_week: list[CommitmentLine]
    due_next_week: list[CommitmentLine]
    overdue: list[CommitmentLine]
    decaying_deals: list[DealLine]
    trust_gaps: list[CodeCount]
    items: list[NudgeItem]
    questions: list[str]


class Digest(_Model):
    manager: str
    manager_name: str
    iso_week: str
    generated_at: datetime
    window_start: date
    window_end: date
    reps: list[RepDigest]
    note: str = NOTE

    @cached_property
    def packed_json(self) -> bytes:
        """The digest as zlib-compressed JSON, the form its records keep (the delivery
        record and the console outbox both do), made once however many keep it: encoding
        per record was a fifth of a 1,000-digest run, and compressed it is an eighth of the
        bytes to write. Not a field: it is never part of the dump or of equality."""
        return zlib.compress(self.model_dump_json().encode(), 1)


@dataclass(frozen=True, slots=True)
class FindingMark:
    """That a finding with `code` was raised for a rep at `at`: no evidence, no text."""

    owner_id: int
    code: str
    at: datetime


def iso_week(day: date) -> str:
    """The ISO week label a delivery record is unique on, e.g. 2026-W10."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
