"""The call's shape: how much of it the rep talked, and their longest stretch alone.

A buyer who listens to a long pitch stops telling you what they need, so two measures are
flagged: a monologue over `MONOLOGUE_SECONDS` (or `MONOLOGUE_WORDS` when the file has no
times) as `call.monologue`, and a rep share of the words over `TALK_RATIO` as
`call.talk_ratio`.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.calls.transcript import Transcript, Utterance
from coaching.codes import CALL_MONOLOGUE, CALL_TALK_RATIO
from coaching.types import Finding, Severity

MONOLOGUE_SECONDS = 150
MONOLOGUE_WORDS = 375  # about 150 seconds of speech
TALK_RATIO = 0.65
_EVIDENCE_WORDS = 14


@dataclass(frozen=True)
class CallStats:
    """What the scorecard shows; `longest_seconds` is None for a file without times."""

    rep_words: int
    total_words: int
    longest_words: int
    longest_seconds: float | None
    longest_opening: str

    @property
    def talk_ratio(self) -> float:
        return round(self.rep_words / self.total_words, 2) if self.total_words else 0.0

    @property
    def long_monologue(self) -> bool:
        if self.longest_seconds is not None:
            return self.longest_seconds > MONOLOGUE_SECONDS
        return self.longest_words > MONOLOGUE_WORDS


def measure(transcript: Transcript, rep: str) -> CallStats:
    """Talk ratio and the rep's longest turn (by time when every turn has one)."""
    own = [turn for turn in transcript.turns if turn.speaker == rep]
    timed = transcript.timed
    longest = max(own, key=lambda t: _duration(t) if timed else t.words, default=None)
    return CallStats(
        rep_words=sum(turn.words for turn in own),
        total_words=sum(turn.words for turn in transcript.turns),
        longest_words=longest.words if longest else 0,
        longest_seconds=_duration(longest) if longest and timed else None,
        longest_opening=" ".join(longest.text.split()[:_EVIDENCE_WORDS]) if longest else "",
    )


def _duration(turn: Utterance) -> float:
    if turn.start is None or turn.end is None:
        return 0.0
    return max(turn.end - turn.start, 0.0)


def call_findings(stats: CallStats) -> list[Finding]:
    """`call.monologue` and `call.talk_ratio` when the call crossed their thresholds."""
    findings: list[Finding] = []
    if stats.long_monologue:
        findings.append(
            Finding(
                code=CALL_MONOLOGUE,
                severity=Severity.MEDIUM,
                evidence=stats.longest_opening,
                advice=(
                    f"You spoke for {monologue_length(stats)} without a break. Stop after a "
                    "minute or two and ask what matters most to them, then build on the answer."
                ),
            )
        )
    if stats.talk_ratio > TALK_RATIO:
        findings.append(
            Finding(
                code=CALL_TALK_RATIO,
                severity=Severity.MEDIUM,
                evidence=f"You spoke {stats.talk_ratio:.0%} of the words on this call.",
                advice=(
                    "Aim to talk less than half the call: open with a question about their "
                    "situation, and let silences run so the customer fills them."
                ),
            )
        )
    return findings


def monologue_length(stats: CallStats) -> str:
    """The longest monologue as "2 min 40 s", or in words when the file has no times."""
    return length_text(stats.longest_seconds, stats.longest_words)


def length_text(seconds: float | None, words: int) -> str:
    """A stretch of speech as "2 min 40 s" or "40 s", or "310 words" without times."""
    if seconds is None:
        return f"{words} words"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"
