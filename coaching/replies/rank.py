"""Which situation a reply leads with: what it costs the deal first, then severity.

A rep reads one point; choosing it is the coach's judgement, so the order is written down
here, once, for the composer and for the LLM gate that checks a model's reply leads with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from coaching.playbooks.p3 import presents_for_us
from coaching.playbooks.routing import looks_like_draft
from coaching.types import Finding, Severity

_SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


_PRIORITY = (
    "p3.excuse.public_speaking",
    "p3.excuse.all_in_proposal",
    "p3.excuse.said_it_all",
    "p3.excuse.dont_know_what_to_say",
    "p3.not_requested",
    "p3.decision_maker_absent",
    "creepy.never",
    "decay.hot_window",
    "decay.stale",
    "trust.self_orientation",
    "trust.transparency",
    "trust.credibility",
    "p3.seller_centric",
    "p3.process_over_outcomes",
    "revenue.unbalanced",
    "funnel.activity_metrics",
    "social.mass_outreach",
    "trust.intimacy",
    "pitch.features_over_needs",
    "trust.reliability",
    "p3.no_emotion",
    "creepy.brown_nosing",
    "creepy.maybe",
    "creepy.too_personal",
)


INJECTION = "input.injection"


NOT_REQUESTED = "p3.not_requested"


DECIDER_ABSENT = "p3.decision_maker_absent"
FEATURES = "pitch.features_over_needs"
SELLER_CENTRIC = "p3.seller_centric"


_DECAY = ("decay.hot_window", "decay.stale")


DRAFT_WORDING = (
    "creepy.never",
    "trust.self_orientation",
    "trust.credibility",
    "trust.transparency",
)
"""In a pasted draft, what the draft itself says wrong leads over the deal's next meeting."""


def ranked_for(findings: Sequence[Finding], text: str) -> list[Finding]:
    """The findings in the order the reply leads with them, for the message they came from."""
    return rank(findings, champion_alone=presents_for_us(text), draft=looks_like_draft(text))


def rank(
    findings: Sequence[Finding], *, champion_alone: bool = False, draft: bool = False
) -> list[Finding]:
    """Most important first: what the situation costs the deal, then severity.

    An excuse for skipping the final presentation leads over the missing request itself,
    because the excuse is what has to change first; so does a champion who will present it
    alone, because getting into that meeting is the request. In a draft the wording is the
    point, so the wording problems lead and the deal's timing (decay) comes after them. A
    pitch that opens on features is told that first, before it is told it is about us: the
    features are what the rep wrote, "history, logos, awards" may not be.
    """
    order: dict[str, float] = {code: index for index, code in enumerate(_PRIORITY)}
    if champion_alone:
        order[DECIDER_ABSENT] = order[NOT_REQUESTED] - 0.5
    if {FEATURES, SELLER_CENTRIC} <= {f.code for f in findings}:
        order[FEATURES] = order[SELLER_CENTRIC] - 0.5
    if draft:
        for code in _DECAY:
            order[code] = len(order)
        for index, code in enumerate(DRAFT_WORDING):
            order[code] = index - len(DRAFT_WORDING)
    return sorted(
        findings,
        key=lambda f: (
            f.code != INJECTION,
            order.get(f.code, len(order)),
            _SEVERITY_RANK[f.severity],
        ),
    )
