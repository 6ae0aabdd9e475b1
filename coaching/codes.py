"""The finding codes of `coaching-contract.md`: the only codes any engine may emit."""

from __future__ import annotations

FINDING_CODES: frozenset[str] = frozenset(
    {
        "trust.self_orientation",
        "trust.credibility",
        "trust.reliability",
        "trust.intimacy",
        "trust.transparency",
        "creepy.never",
        "creepy.brown_nosing",
        "creepy.maybe",
        "creepy.too_personal",
        "funnel.activity_metrics",
        "social.mass_outreach",
        "pitch.features_over_needs",
        "p3.not_requested",
        "p3.decision_maker_absent",
        "p3.excuse.dont_know_what_to_say",
        "p3.excuse.public_speaking",
        "p3.excuse.all_in_proposal",
        "p3.excuse.said_it_all",
        "p3.seller_centric",
        "p3.process_over_outcomes",
        "p3.no_emotion",
        "decay.stale",
        "decay.hot_window",
        "revenue.unbalanced",
        "input.injection",
    }
)

CREEPY_NEVER_CATEGORIES: frozenset[str] = frozenset(
    {"religion", "sexual_orientation", "politics", "family", "personal_causes", "health"}
)
