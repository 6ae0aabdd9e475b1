"""The finding codes of `coaching-contract.md`: the only codes any engine may emit.

`FINDING_CODES` are what the playbooks and the model judge from text. `CALL_CODES` are
measured, not judged: a call review counts words and seconds, so no playbook rule or model
answer ever raises them.
"""

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

CALL_MONOLOGUE = "call.monologue"  # the rep spoke longer than the threshold without a break
CALL_TALK_RATIO = "call.talk_ratio"  # the rep spoke more than about 65% of the call's words
CALL_CODES: frozenset[str] = frozenset({CALL_MONOLOGUE, CALL_TALK_RATIO})

CREEPY_NEVER_CATEGORIES: frozenset[str] = frozenset(
    {"religion", "sexual_orientation", "politics", "family", "personal_causes", "health"}
)
