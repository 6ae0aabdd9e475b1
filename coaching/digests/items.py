"""The nudge rules of the weekly digest: one function per kind of item, most pressing first.

Each item names its evidence (a commitment, a deal, or a counted code) and carries one
question for the manager to ask, written in our own words after the playbooks' nudge table:
reliability (F1), the post-proposal presentation (F8), deal decay (F16), "don't be creepy"
(F9), customer actions over activity (F10), revenue mix (M1), the two-week window (M3) and
recognition. Never-category details never reach an item: creepy drafts are only counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from coaching.commitments.ports import Tracked
from coaching.digests.deals import (
    REQUALIFY_DAYS,
    Deal,
    needs_p3,
    p3_held_with_decider,
    p3_without_decider,
    single_line,
)
from coaching.digests.model import CommitmentLine, NudgeItem
from coaching.trusted import trusted
from coaching.types import CommitmentKind, Party

RECURRING = 2
GAP_LABELS = {
    "trust.self_orientation": (
        "Drafts that lead with our goals rather than the client's",
        "When you last wrote to a client, whose goals and dates did it lead with?",
    ),
    "trust.credibility": (
        "Claims stronger than the evidence",
        "Where did you last need to say 'I don't know', and what did you do next?",
    ),
    "trust.intimacy": (
        "Client concerns answered before they were explored",
        "What is this client's biggest worry, in their own words?",
    ),
    "trust.transparency": (
        "Holding back what the client asked to know",
        "What did a client ask you lately that you found hard to answer openly?",
    ),
    "pitch.features_over_needs": (
        "Pitches that open with features",
        "What did the client say they needed before you showed the product?",
    ),
    "social.mass_outreach": (
        "Templated outreach instead of researched contact",
        "Which prospect did you research properly this week, and what did you learn?",
    ),
    "creepy.maybe": (
        "Role changes mentioned without care",
        "How do you check whether a new title is good news for the person?",
    ),
    "creepy.too_personal": (
        "Personal small talk used early in a relationship",
        "What business reason opens your next first contact?",
    ),
    "creepy.brown_nosing": (
        "Praise for things not witnessed",
        "Which compliment in your recent drafts could you back with something you saw?",
    ),
    "decay.hot_window": (
        "Fresh customer interest with no date to meet",
        "What is the on-site or video date while their interest is high?",
    ),
}


@dataclass(frozen=True)
class RepFacts:
    """Everything the rules may look at for one rep, already cut to the digest's window."""

    done: list[CommitmentLine]
    overdue: list[CommitmentLine]
    undated: list[Tracked]
    deals: list[Deal]
    decaying: list[tuple[Deal, int]]
    """The deals gone quiet (`coaching.digests.deals.decaying`), with their quiet days."""
    codes: Counter[str]
    wins: list[str]
    team_lines: set[str]
    scheduled_soon: bool
    today: date
    since: date


def items_for(facts: RepFacts) -> list[NudgeItem]:
    """The rep's items, most pressing first (the order of `RULES`)."""
    return [item for rule in RULES for item in rule(facts)]


def _item(*, code: str, title: str, evidence: str | None, question: str) -> NudgeItem:
    """An item from values these rules computed, so built without validating them again."""
    return trusted(
        NudgeItem, {"code": code, "title": title, "evidence": evidence, "question": question}
    )


def _days(count: int | None) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _who(counterpart: str | None) -> str:
    return counterpart or "the customer"


def _overdue_promises(facts: RepFacts) -> Iterator[NudgeItem]:
    promises = [line for line in facts.overdue if line.party is Party.REP]
    if not promises:
        return
    oldest = promises[0]
    title = (
        f"A promise is {oldest.due_words}"
        if len(promises) == 1
        else f"{len(promises)} promises are overdue; the oldest is {oldest.due_words}"
    )
    yield _item(
        code="trust.reliability",
        title=title,
        evidence=oldest.text,
        question=(
            f"What did you promise {_who(oldest.counterpart)}, and which new date will you "
            "give them?"
        ),
    )


def _late_customer_steps(facts: RepFacts) -> Iterator[NudgeItem]:
    for line in facts.overdue:
        if line.party is Party.CUSTOMER:
            yield _item(
                code="commitment.customer_overdue",
                title=f"A step the customer agreed to is {line.due_words}",
                evidence=line.text,
                question=f"Is this still a priority for {_who(line.counterpart)}? What changed?",
            )


def _presentations(facts: RepFacts) -> Iterator[NudgeItem]:
    for deal in facts.deals:
        if needs_p3(deal) and deal.proposal_sent_at is not None:
            yield _item(
                code="p3.not_requested",
                title=(
                    f"The {deal.name} proposal went out on {deal.proposal_sent_at:%d %b} with "
                    "no final presentation planned"
                ),
                evidence=deal.name,
                question=f"Who gives the final yes on {deal.name}, and when will you present?",
            )
        elif p3_without_decider(deal, facts.today) and deal.p3_at is not None:
            yield _item(
                code="p3.decision_maker_absent",
                title=(
                    f"The {deal.name} presentation on {deal.p3_at:%d %b} has no confirmed "
                    "decision maker"
                ),
                evidence=deal.name,
                question=f"Will the person who can say yes on {deal.name} be in the room?",
            )


def _decay(facts: RepFacts) -> Iterator[NudgeItem]:
    for deal, days in facts.decaying:
        since = deal.last_customer_action_at or deal.peak_interest_at
        advice = (
            "requalify it or take it out of the forecast"
            if days >= REQUALIFY_DAYS
            else "its odds fall every month"
        )
        yield _item(
            code="decay.stale",
            title=f"{deal.name}: no customer action for {_days(days)}; {advice}",
            evidence=deal.name,
            question=(
                f"What has {deal.name} done since {since:%B}? Is it still a real deal?"
                if since
                else f"What has {deal.name} done lately? Is it still a real deal?"
            ),
        )


def _creepy_drafts(facts: RepFacts) -> Iterator[NudgeItem]:
    count = facts.codes.get("creepy.never", 0)
    if count:
        drafts = "A draft" if count == 1 else f"{count} drafts"
        yield _item(
            code="creepy.never",
            title=f"{drafts} this week used personal details that stay out of sales talk",
            evidence=None,
            question=(
                "What do you look up about a prospect before you write, and what do you leave out?"
            ),
        )


def _activity_updates(facts: RepFacts) -> Iterator[NudgeItem]:
    if facts.codes.get("funnel.activity_metrics", 0):
        yield _item(
            code="funnel.activity_metrics",
            title="Updates this week measured activity rather than what customers did",
            evidence=None,
            question="Which customer agreed to do what this week?",
        )


def _revenue_mix(facts: RepFacts) -> Iterator[NudgeItem]:
    line = single_line(facts.wins, facts.team_lines)
    if line is None and not facts.codes.get("revenue.unbalanced", 0):
        return
    others = sorted(facts.team_lines - {line} if line else facts.team_lines)
    target = others[0] if others else "the lines they haven't sold this quarter"
    yield _item(
        code="revenue.unbalanced",
        title=(
            f"All {len(facts.wins)} recent wins came from {line}"
            if line
            else "Bookings lean on one product line"
        ),
        evidence=line,
        question=f"Which accounts in your territory could use {target}?",
    )


def _recurring_gaps(facts: RepFacts) -> Iterator[NudgeItem]:
    for code, (label, question) in GAP_LABELS.items():
        count = facts.codes.get(code, 0)
        if count >= RECURRING:
            yield _item(
                code=code,
                title=f"{label}: {count} times this week",
                evidence=None,
                question=question,
            )


def _undated(facts: RepFacts) -> Iterator[NudgeItem]:
    if facts.undated:
        first = facts.undated[0].commitment
        yield _item(
            code="commitment.undated",
            title=(
                "An open promise has no date"
                if len(facts.undated) == 1
                else f"{len(facts.undated)} open promises have no date"
            ),
            evidence=first.text,
            question=(
                f"When will you {first.text[:1].lower()}{first.text[1:]}? Pick a date and tell "
                f"{_who(first.counterpart)}."
            ),
        )


def _empty_calendar(facts: RepFacts) -> Iterator[NudgeItem]:
    if not facts.scheduled_soon:
        yield _item(
            code="calendar.empty",
            title="Nothing dated in the next two weeks",
            evidence=None,
            question="What are you planning for the next two weeks?",
        )


def _recognition(facts: RepFacts) -> Iterator[NudgeItem]:
    reasons = []
    kept = [line for line in facts.done if line.on_time]
    late = [line for line in facts.overdue if line.party is Party.REP]
    if kept and len(kept) == len(facts.done) and not late:
        reasons.append(
            "kept a promise on time" if len(kept) == 1 else f"kept all {len(kept)} promises on time"
        )
    for deal in facts.deals:
        if p3_held_with_decider(deal, facts.since, facts.today):
            reasons.append(f"held the {deal.name} presentation with the final decision maker")
    intros = [line for line in facts.done if line.kind is CommitmentKind.INTRODUCTION]
    if intros:
        reasons.append("made an introduction for " + ", ".join(_who(i.counterpart) for i in intros))
    if len(set(facts.wins)) >= 2:
        reasons.append(f"won across {len(set(facts.wins))} product lines")
    if reasons:
        yield _item(
            code="recognition",
            title="Worth recognising: " + "; ".join(reasons),
            evidence=None,
            question="What worked here that others on the team could copy?",
        )


RULES: tuple[Callable[[RepFacts], Iterator[NudgeItem]], ...] = (
    _overdue_promises,
    _late_customer_steps,
    _presentations,
    _decay,
    _creepy_drafts,
    _activity_updates,
    _revenue_mix,
    _recurring_gaps,
    _undated,
    _recognition,
    _empty_calendar,
)
