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
from typing import Literal

from pydantic import BaseModel, ConfigDict

from coaching.errors import CoachingError
from coaching.playbooks.catalog import playbook
from coaching.playbooks.trust import HIGH_SELF_ORIENTATION, lever, weakest_component
from coaching.ports import Assessment, TrustHistory, UserRef
from coaching.types import TrustScores

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


# On this check's scale an answer of 1 scores 1, 4 scores 7.75 and 5 scores 10 (kept to one
# decimal). "Near-perfect" allows one "mostly true" among a part's three statements: C, R and I
# at 9.2 or more, S at 1.7 or less.
NEAR_PERFECT_PART = 9.0
NEAR_PERFECT_SELF_ORIENTATION = 2.0
BEST_TRUST = 30
NUMERATOR: tuple[Component, ...] = ("credibility", "reliability", "intimacy")
THIS_WEEK: dict[str, str] = {
    "credibility": (
        "This week: take the claim about our offer you make most often and replace it with "
        "one result the client could check for themselves."
    ),
    "reliability": (
        "This week: write down every promise you make to a client with its date, and end "
        "Friday with none of them past that date."
    ),
    "intimacy": (
        "This week: open each client conversation with one question about their situation, "
        "and hold back anything about ours until you have heard the answer."
    ),
    "self_orientation": (
        "This week: before each client meeting, write one line on what the client gets out of "
        "it; if the only honest answer is your own deadline, change the agenda."
    ),
}
KEEP_IT = (
    "This week: ask one client what would make your next conversation more useful to them, "
    "and do exactly that; trust stays high only by being earned again."
)


@dataclass(frozen=True)
class Coaching:
    """What the rep reads about one profile: which parts lead, the advice, the week's step."""

    focus: tuple[Component, ...]
    advice: str
    this_week: str


def _label(component: str) -> str:
    return component.replace("_", "-")


def _listed(components: Sequence[str]) -> str:
    names = [_label(c) for c in components]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def is_near_perfect(scores: TrustScores) -> bool:
    """Every part at the top of the scale, give or take one "mostly true" answer."""
    strong = all(getattr(scores, c) >= NEAR_PERFECT_PART for c in NUMERATOR)
    return strong and scores.self_orientation <= NEAR_PERFECT_SELF_ORIENTATION


def meaning(scores: TrustScores) -> str:
    """The trust number in one plain line, with its range and a middle point to compare."""
    total = round(scores.credibility + scores.reliability + scores.intimacy, 2)
    return (
        f"Trust {scores.trust:g} out of a possible {BEST_TRUST} (the lowest is 0.3): "
        f"credibility, reliability and intimacy add up to {total:g} and are divided by "
        f"self-orientation {scores.self_orientation:g}; a steady 5 on every part gives 3."
    )


def _focus(scores: TrustScores) -> tuple[Component, ...]:
    """The parts that lead, from the trust equation's own weakest-component reading.

    A numerator part that is already near the top is no gap, so then the divisor leads; parts
    level with the weakest one are named with it rather than picked between silently.
    """
    weakest = weakest_component(scores, flagged=True)
    if weakest is None or weakest == "self_orientation":
        return ("self_orientation",)
    if getattr(scores, weakest) >= NEAR_PERFECT_PART:
        return ("self_orientation",)
    low = getattr(scores, weakest)
    return tuple(c for c in NUMERATOR if getattr(scores, c) == low)


def coaching_for(scores: TrustScores) -> Coaching:
    """Advice that follows the profile: praise when nothing lags, else the weakest part first."""
    if is_near_perfect(scores):
        return _praise(scores)
    focus = _focus(scores)
    first = focus[0]
    low = getattr(scores, first)
    if first == "self_orientation":
        lead = f"Work on self-orientation first: {low:g} out of 10, where lower is better."
        if scores.self_orientation < HIGH_SELF_ORIENTATION:
            lead += (
                " Credibility, reliability and intimacy are already strong, so the divisor is "
                "what holds trust back."
            )
    elif len(focus) == 1:
        lead = (
            f"Work on {_label(first)} first: at {low:g} it is the lowest of credibility, "
            "reliability and intimacy."
        )
    else:
        verb = "are level" if len(focus) == len(NUMERATOR) else "tie for lowest"
        lead = (
            f"{_listed(focus).capitalize()} {verb} at {low:g}: they matter equally, so here is "
            f"a lever for each, and this week starts with {_label(first)}."
        )
    book = playbook("trust_equation")
    levers = " ".join(lever(book, c) for c in focus)
    this_week = THIS_WEEK[first]
    return Coaching(focus=focus, advice=f"{lead} {levers} {this_week}", this_week=this_week)


def _praise(scores: TrustScores) -> Coaching:
    """Earned praise in the rep's own numbers, and one way to keep them; no invented weakness."""
    reach = "the best this check can show" if scores.trust >= BEST_TRUST else "close to the best"
    advice = (
        f"Credibility {scores.credibility:g}, reliability {scores.reliability:g}, intimacy "
        f"{scores.intimacy:g} and self-orientation {scores.self_orientation:g}: {reach}. "
        "Clients meet a seller who is believable, keeps dates, listens and puts them first; "
        "there is no weak part to fix."
    )
    return Coaching(focus=(), advice=f"{advice} {KEEP_IT}", this_week=KEEP_IT)


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
    meaning: str
    focus: list[Component]
    this_week: str


def build_report(assessment: Assessment, history: Sequence[Assessment]) -> TrustReport:
    coaching = coaching_for(assessment.scores)
    return TrustReport(
        scores=assessment.scores,
        advice=coaching.advice,
        trend=trend(history),
        history=[{"at": a.at.isoformat(), "trust": a.scores.trust} for a in history],
        meaning=meaning(assessment.scores),
        focus=list(coaching.focus),
        this_week=coaching.this_week,
    )
