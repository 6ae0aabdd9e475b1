"""Proposal review: the P3 scorecard plus what a rep needs to act on it before the meeting.

`CoachService` already scores a proposal or outline (findings and the scorecard). A review
adds four things on top, all built from the rep's own text so nothing is invented: the
outline restructured with the customer as hero, a few measurable signals, a suggested
`p3_request` when no final meeting is in the diary, and what improved since the rep's last
review of the same proposal. Reviews are stored per rep through the `ReviewHistory` port,
so `coaching/` stays free of the ORM and one rep never sees another's history.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from coaching.commitments.dates import add_business_days
from coaching.commitments.match import already_line, match_open
from coaching.commitments.names import looks_like_company
from coaching.playbooks.catalog import playbook
from coaching.playbooks.p3 import P3_DEFAULT_LEAD_BUSINESS_DAYS, planned
from coaching.playbooks.p3_outline import assess_outline
from coaching.progress import NO_PROGRESS, Progress
from coaching.review.outline import build_hero_outline, customer_name, quote
from coaching.review.ports import ReviewHistory, StoredReview
from coaching.service import CoachService, who
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    IncomingMessage,
    MessageKind,
)

__all__ = [
    "ReviewOutcome",
    "ReviewService",
    "build_hero_outline",
    "decision_maker",
    "improvements",
    "previous_review",
    "review_signals",
    "suggest_p3_request",
    "title_key",
]

HISTORY_WINDOW = 50
MAX_TITLE = 255

CRITERIA = {
    "customer_is_hero": "the customer is the hero of the story",
    "outcomes_not_process": "measurable outcomes rather than process",
    "emotional_connection": "a legitimate emotional connection",
    "decision_maker_engaged": "the final decision maker is in the room",
    "p3_requested": "the final presentation is requested or planned",
    "three_decisions": "the three buying decisions (you, your company, your offer)",
}


class ReviewOutcome(BaseModel):
    """A review as adapters render it. The JSON form is the contract's result object (with
    `scorecard`) plus `outline`, `signals` and `improvements` as extra top-level keys."""

    model_config = ConfigDict(frozen=True)

    result: CoachingResult
    outline: list[str]
    signals: dict[str, float | int]
    improvements: list[str] = Field(default_factory=list)
    first_time: bool = Field(default=True, exclude=True)

    @model_serializer(mode="wrap")
    def _flatten(self, handler: Any) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {**data.pop("result"), **data}

    def extras_text(self) -> str:
        """The additions as plain text with light markdown, for every adapter to append."""
        parts = []
        if self.improvements:
            changes = "\n".join(f"\u2022 {line}" for line in self.improvements)
            parts.append(f"What changed since last time:\n{changes}")
        parts.append("Your outline with the customer as the hero:\n" + "\n".join(self.outline))
        s = self.signals
        parts.append(
            f"Signals: {s['customer_words']} words about the customer, {s['seller_words']} "
            f"about you (ratio {s['customer_to_seller_ratio']:g}); "
            f"{s['quantified_outcomes']} quantified outcome(s)."
        )
        return "\n\n".join(parts)


class ReviewService:
    """Runs the coach on a proposal, adds the review extras, and keeps the rep's history."""

    def __init__(self, history: ReviewHistory, coach: CoachService) -> None:
        self._history = history
        self._coach = coach

    async def review(
        self, message: IncomingMessage, title: str | None, *, progress: Progress = NO_PROGRESS
    ) -> ReviewOutcome:
        """Review one proposal or outline. Raises CoachingError (nothing stored) for bad input.

        `title` names the proposal (a file name is fine: versions like "v2" or "final" are
        ignored); without one, the comparison is with the rep's latest review. `progress`
        hears the coaching steps as they start.
        """
        message = message.model_copy(update={"kind": MessageKind.REVIEW})
        saved = await self._coach.process(message, progress=progress)
        outline = build_hero_outline(message.text)
        signals = review_signals(message.text)
        if not saved.first_time:
            return ReviewOutcome(
                result=saved.result, outline=outline, signals=signals, first_time=False
            )
        rep, result = who(message), saved.result
        current = _stored(message, result, _clean_title(title))
        earlier = await self._history.recent_reviews(who=rep, limit=HISTORY_WINDOW)
        suggestion = suggest_p3_request(message.text, result, message.now)
        # One open request per audience: a later review only moves the date, so it matches.
        known = await self._coach.commitments(rep)
        matched = match_open([suggestion] if suggestion else [], known, any_due=True)
        added = await self._history.save_review(
            who=rep, review=current, suggested=list(matched.fresh)
        )
        lines = [*(_suggested_line(c) for c in added), *map(already_line, matched.already)]
        if lines:
            result = result.model_copy(
                update={
                    "commitments": [*result.commitments, *added],
                    "reply": "\n\n".join([result.reply, *lines]),
                }
            )
        previous = previous_review(earlier, current.title)
        changes = improvements(previous, current, message.now.tzinfo)
        return ReviewOutcome(result=result, outline=outline, signals=signals, improvements=changes)


def _stored(message: IncomingMessage, result: CoachingResult, title: str | None) -> StoredReview:
    return StoredReview(
        title=title,
        text_sha256=hashlib.sha256(message.text.encode()).hexdigest(),
        findings=tuple(result.findings),
        scorecard=tuple(result.scorecard or ()),
        at=message.now,
    )


# A result carries a quantity as a figure or as a share ("by a third", "halve").
_QUANTITY = re.compile(
    r"\d|\b(?:half|halve|halving|third|thirds|quarter|quarters|double|doubling|triple)\b",
    re.IGNORECASE,
)


def review_signals(text: str) -> dict[str, float | int]:
    """Counts a rep can move: who the text talks about, and how many results carry a number."""
    found = assess_outline(playbook("p3"), text)
    quantified = sum(1 for left, right in found.outcomes if _QUANTITY.search(text, left, right))
    return {
        "customer_words": found.customer_words,
        "seller_words": found.seller_words,
        "customer_to_seller_ratio": round(found.customer_words / max(found.seller_words, 1), 2),
        "quantified_outcomes": quantified,
        "process_mentions": len(found.process),
    }


_ROLE = (
    r"(?:CEO|CFO|COO|CIO|CTO|CRO|CMO|CHRO|President|Managing Director|General Manager|"
    r"Owner|Founder)"
)
_PERSON = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?"
_ROLE_THEN_NAME = re.compile(rf"\b({_ROLE}),?\s+({_PERSON})\b")
_NAME_THEN_ROLE = re.compile(rf"\b({_PERSON})\s*[,(]\s*(?:the\s+)?({_ROLE})\b")
_ROLE_ALONE = re.compile(rf"(?<![Oo]ur )\b{_ROLE}\b")
_GROUP = re.compile(
    r"\b(?:to|with|for)\s+(?:the\s+)?((?:[A-Z][\w&'\u2019-]*\s+){0,3})"
    r"((?i:exec(?:utive)? team|leadership team|board|steering committee|decision group))\b"
)


_COMPANY_USE = re.compile(
    r"['\u2019]s?\b|\s+(?:proposal|deal|account|team|board|exec|rollout|project|pilot|"
    r"contract|Inc|Ltd|LLC)\b"
)
_AS_A_PERSON = re.compile(
    r"\s+(?:said|says|agreed|asked|told|mentioned|wants|will|would|thinks|confirmed|promised|"
    r"signs|decides|approves|is|was|has)\b|\s*\((?:she|he|they)\b"
)


def decision_maker(text: str) -> tuple[str, str | None]:
    """Who the P3 is for, as the text names them, and the person's name when it gives one.

    A role is joined to a name only when the text names a person there: "COO Northwind"
    next to the customer's name is a company, so the audience is "their COO", never a
    person made up from a title and a company.
    """
    customer = customer_name(text)
    named = [(m.start(), m.group(1), m.group(2)) for m in _ROLE_THEN_NAME.finditer(text)]
    named += [(m.start(), m.group(2), m.group(1)) for m in _NAME_THEN_ROLE.finditer(text)]
    for _, role, person in sorted(named):
        if _is_person(text, person, customer):
            return f"{role} {person}", person
    if found := _ROLE_ALONE.search(text):
        return f"their {found.group(0)}", customer
    if found := _GROUP.search(text):
        return f"the {found.group(1)}{found.group(2)}", customer
    return f"the final decision maker{' at ' + customer if customer else ''}", customer


def _is_person(text: str, name: str, customer: str | None) -> bool:
    """A full name that is no company, or a single name the text also uses for a person."""
    words = name.replace("-", " ").split()
    if looks_like_company(name) or (customer and set(words) & set(customer.split())):
        return False
    uses = [m.end() for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
    if any(_COMPANY_USE.match(text, end) for end in uses):
        return False
    before = re.compile(rf"\b(?:for|at|from|with|to|by)\s+{re.escape(name)}\b")
    if before.search(text) and len(words) == 1:
        return False
    return len(words) > 1 or any(_AS_A_PERSON.match(text, end) for end in uses)


def suggest_p3_request(text: str, result: CoachingResult, now: datetime) -> Commitment | None:
    """A `p3_request` the rep can accept, unless the coach already has one or the final
    meeting is already booked or dated (or the P3 playbook did not apply, as for a manager)."""
    if (
        "p3" not in result.playbooks
        or planned(playbook("p3"), text)
        or any(
            c.kind is CommitmentKind.P3_REQUEST or (c.kind is CommitmentKind.MEETING and c.due)
            for c in result.commitments
        )
    ):
        return None
    audience, person = decision_maker(text)
    due = add_business_days(now.date(), P3_DEFAULT_LEAD_BUSINESS_DAYS)
    return Commitment(
        text=f"Request a post-proposal presentation with {audience} by {due:%B} {due.day}",
        kind=CommitmentKind.P3_REQUEST,
        due=due,
        counterpart=person,
        status=CommitmentStatus.SUGGESTED,
    )


def _suggested_line(commitment: Commitment) -> str:
    when = f"due {commitment.due.isoformat()}" if commitment.due else "no date yet"
    return f"Suggested next step: {commitment.text}, {when}. Accept it to track it."


_EXTENSION = re.compile(r"\.(?:txt|md|markdown|pdf|docx?)$", re.IGNORECASE)
_VERSION = re.compile(
    r"(?:[\s_.-]*(?:v(?:ersion)?\s*\d+(?:\.\d+)*|rev(?:ision)?\s*\d+|draft|final|copy|"
    r"\(\d+\)|\d{4}-\d{2}-\d{2}))+$",
    re.IGNORECASE,
)


def _clean_title(title: str | None) -> str | None:
    cleaned = " ".join((title or "").split())[:MAX_TITLE]
    return cleaned or None


def title_key(title: str) -> str:
    """The same key for one proposal's versions: "Acme proposal v2.docx", "acme_proposal.pdf"."""
    stem = _VERSION.sub("", _EXTENSION.sub("", title.strip()))
    key = " ".join(re.split(r"[\s_.-]+", stem.lower())).strip()
    return key or title.strip().lower()


def previous_review(earlier: Sequence[StoredReview], title: str | None) -> StoredReview | None:
    """The newest earlier review of the same proposal, or simply the newest one."""
    if title is None:
        return earlier[0] if earlier else None
    key = title_key(title)
    return next((r for r in earlier if r.title and title_key(r.title) == key), None)


def improvements(
    previous: StoredReview | None, current: StoredReview, zone: tzinfo | None
) -> list[str]:
    """What changed since the previous review: criteria won or lost, findings resolved."""
    if previous is None:
        return []
    before = {e.criterion: e.passed for e in previous.scorecard}
    after = {e.criterion: e.passed for e in current.scorecard}
    day = previous.at.astimezone(zone).date().isoformat()
    lines = [
        f"Since your review on {day}: {sum(before.values())} of {len(before)} criteria met, "
        f"now {sum(after.values())} of {len(after)}."
    ]
    if previous.text_sha256 == current.text_sha256:
        lines.append("The text is the same as last time.")
    changes = []
    for criterion, passed in after.items():
        if passed != before.get(criterion, passed):
            change = "Now passing" if passed else "No longer passing"
            changes.append(f"{change}: {CRITERIA.get(criterion, criterion)}.")
    still = {(f.code, f.category) for f in current.findings}
    changes += [
        f"Resolved: {f.code} (last time: {quote(f.evidence)})."
        for f in previous.findings
        if (f.code, f.category) not in still
    ]
    return lines + (changes or ["No criterion or finding changed."])
