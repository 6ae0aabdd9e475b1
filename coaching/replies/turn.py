"""What the engine concluded about one message: everything the composer words, in one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coaching.playbooks.base import Context, PlaybookReport
from coaching.playbooks.stages import Stage
from coaching.types import Commitment, Finding, TrustScores


@dataclass(frozen=True)
class Turn:
    """Everything the engine concluded about one message, for the composer to word."""

    ctx: Context
    reports: Sequence[PlaybookReport]
    findings: Sequence[Finding]
    commitments: Sequence[Commitment]
    scores: TrustScores | None
    stage: Stage | None
    hunch: str | None = None
    """With no finding: the code the message most nearly shows, asked about as a question."""
    already: Sequence[Commitment] = ()
    """The rep's open commitments this message repeats, named instead of stored again."""
