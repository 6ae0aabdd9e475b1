"""What every analyser receives and returns, so the engine can combine them blindly.

An analyser is a pure function of the text and the clock: no I/O, no randomness, so the
offline coach is reproducible and fast, and the LLM path can build on its findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from coaching.types import (
    Commitment,
    Finding,
    MessageKind,
    Role,
    ScorecardEntry,
    TrustScores,
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Context:
    """The input to every analyser. `now` is aware and in the user's time zone.

    `promises` are the commitments already extracted from the text (the rep's and the
    customer's); `undated_promises` quote the rep's promises that carry no date.
    """

    text: str
    now: datetime
    role: Role = Role.REP
    kind: MessageKind = MessageKind.CHAT
    promises: tuple[Commitment, ...] = ()
    undated_promises: tuple[str, ...] = ()


@dataclass
class PlaybookReport:
    """What one playbook concluded about one input."""

    playbook: str
    findings: list[Finding] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    scores: TrustScores | None = None
    scorecard: list[ScorecardEntry] | None = None


Analyser = Callable[[Context], list[PlaybookReport]]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding text[start:end], an exact substring of `text`."""
    left = 0
    for boundary in _SENTENCE_END.finditer(text, 0, start):
        left = boundary.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left:right].strip()


def first_match(text: str, patterns: list[re.Pattern[str]]) -> re.Match[str] | None:
    """The earliest match of any pattern, so evidence follows the order of the text."""
    matches = [m for p in patterns if (m := p.search(text))]
    return min(matches, key=lambda m: m.start()) if matches else None
