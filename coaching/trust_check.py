"""The trust self-assessment: twelve statements of our own, answered on a 1-5 scale.

A rep rates how true each statement is of them; the answers become the four components of
the trust equation on the contract's 1-10 scale. Stored with history, the trend shows
whether the habits the coach suggests are taking hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import mean
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

from coaching.playbooks.catalog import playbook
from coaching.ports import UserRef
from coaching.types import CoachingError, TrustScores

Component = Literal["credibility", "reliability", "intimacy", "self_orientation"]
LIKERT = (1, 2, 3, 4, 5)
SCALE_HELP = "1 = not true of me at all, 5 = completely true of me"


@dataclass(frozen=True)
class Statement:
    component: Component
    text: str


STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "credibility", "When I don't know an answer, I say so plainly and come back with the facts."
    ),
    Statement(
        "credibility",
        "Every claim I make about our offer is one the client could check for themselves.",
    ),
    Statement(
        "credibility",
        "I understand how my client's business makes money well enough "
        "to discuss it with their finance lead.",
    ),
    Statement("reliability", "When I promise a client something, I give a date and keep it."),
    Statement("reliability", "My clients never have to chase me for a follow-up."),
    Statement(
        "reliability", "Every meeting I leave ends with a dated next step both sides agreed to."
    ),
    Statement("intimacy", "Clients tell me worries they would not put in an email."),
    Statement("intimacy", "In client conversations I ask more than I tell."),
    Statement("intimacy", "I go into first meetings curious, without a memorised script."),
    Statement(
        "self_orientation",
        "I push for decisions on my quarter's timeline rather than the client's.",
    ),
    Statement(
        "self_orientation", "In client meetings I mostly talk about our company and our product."
    ),
    Statement(
        "self_orientation",
        "I find it hard to tell a client that someone else would serve them better.",
    ),
)


@dataclass(frozen=True)
class Assessment:
    """One completed self-assessment."""

    at: datetime
    scores: TrustScores
    answers: tuple[int, ...]


class TrustHistory(Protocol):
    async def save_assessment(self, *, who: UserRef, assessment: Assessment) -> None: ...

    async def assessments(self, *, who: UserRef, limit: int) -> list[Assessment]:
        """This user's self-assessments, newest first."""
        ...


def parse_answers(raw: str) -> tuple[int, ...]:
    """ "4,5,3 ..." (commas or spaces) into one Likert answer per statement."""
    parts = [p for p in raw.replace(",", " ").split() if p]
    if len(parts) != len(STATEMENTS) or not all(p in {"1", "2", "3", "4", "5"} for p in parts):
        raise CoachingError(
            "input.bad_answers",
            f"Give {len(STATEMENTS)} answers, each a number from 1 to 5 ({SCALE_HELP}).",
        )
    return tuple(int(p) for p in parts)


def score_answers(answers: Sequence[int]) -> TrustScores:
    """Average each component's answers and stretch 1-5 onto the contract's 1-10 scale."""
    by_component: dict[Component, list[int]] = {}
    for statement, answer in zip(STATEMENTS, answers, strict=True):
        by_component.setdefault(statement.component, []).append(answer)

    def scaled(component: Component) -> float:
        return round(1 + (mean(by_component[component]) - 1) * 9 / 4, 1)

    return TrustScores.from_components(
        credibility=scaled("credibility"),
        reliability=scaled("reliability"),
        intimacy=scaled("intimacy"),
        self_orientation=scaled("self_orientation"),
    )


def coaching_for(scores: TrustScores) -> str:
    """Name the component to work on first, with the trust equation playbook's lever."""
    book = playbook("trust_equation")
    numerator = {
        "credibility": scores.credibility,
        "reliability": scores.reliability,
        "intimacy": scores.intimacy,
    }
    weakest = min(numerator, key=lambda k: numerator[k])
    if scores.self_orientation >= 10 - numerator[weakest]:
        weakest = "self_orientation"
    lever = book.rule(f"signal.lever_{weakest}").advice
    label = weakest.replace("_", "-")
    return f"Work on {label} first. {lever}"


def trend(history: Sequence[Assessment]) -> str | None:
    """How trust moved since the previous assessment, when there is one."""
    if len(history) < 2:
        return None
    latest, previous = history[0], history[1]
    change = round(latest.scores.trust - previous.scores.trust, 2)
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    return (
        f"Trust is {direction} since {previous.at.date().isoformat()}: "
        f"{previous.scores.trust:g} -> {latest.scores.trust:g}."
    )


class TrustCheck:
    """Scores a completed questionnaire, stores it, and says what it means."""

    def __init__(self, history: TrustHistory) -> None:
        self._history = history

    async def submit(
        self, who: UserRef, answers: Sequence[int], at: datetime
    ) -> tuple[Assessment, list[Assessment]]:
        """Store the assessment; return it with the user's history, newest first."""
        assessment = Assessment(at=at, scores=score_answers(answers), answers=tuple(answers))
        await self._history.save_assessment(who=who, assessment=assessment)
        return assessment, await self.history(who, 12)

    async def history(self, who: UserRef, limit: int) -> list[Assessment]:
        return await self._history.assessments(who=who, limit=limit)


class TrustReport(BaseModel):
    """What a finished self-assessment shows the rep (and `--json` prints)."""

    model_config = ConfigDict(frozen=True)

    scores: TrustScores
    advice: str
    trend: str | None
    history: list[dict[str, object]]


def build_report(assessment: Assessment, history: Sequence[Assessment]) -> TrustReport:
    return TrustReport(
        scores=assessment.scores,
        advice=coaching_for(assessment.scores),
        trend=trend(history),
        history=[{"at": a.at.isoformat(), "trust": a.scores.trust} for a in history],
    )
