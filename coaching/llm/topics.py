"""Words that show a reply speaks to a situation: the gate's test for "addresses the lead point".

A model can keep every finding in its structured list and still write a reply about
something else ("This is a great idea, give them time"). The rep reads the reply, so the
reply itself has to touch the situation the offline coach ranked first. These are stems,
matched in lower case, in our own words; broad on purpose, because the point is to catch an
answer that is off the subject, not to grade its wording.
"""

from __future__ import annotations

_P3 = (
    "present",
    "final meeting",
    "decision group",
    "decision maker",
    "decision-maker",
    "decider",
    "who decides",
    "in the room",
    "walk them through",
    "walk the group",
    "sponsor",
    "economic buyer",
    "ceo",
    "cfo",
    "coo",
    "signer",
    "who signs",
    "sign-off",
    "signs off",
)

_PREFIX_TOPICS: dict[str, tuple[str, ...]] = {
    "p3.": _P3,
    "creepy.": (
        "personal",
        "private",
        "religio",
        "politic",
        "health",
        "family",
        "creepy",
        "flatter",
        "compliment",
        "hobb",
        "too early",
        "promotion",
        "new role",
        "leave out",
        "leave it out",
        "drop the",
        "cut the",
        "remove",
    ),
}

_CODE_TOPICS: dict[str, tuple[str, ...]] = {
    "trust.self_orientation": (
        "quota",
        "your number",
        "your target",
        "your forecast",
        "their goal",
        "their priorit",
        "their problem",
        "their outcome",
        "their side",
        "about them",
        "about you",
        "self-orient",
        "pressure",
        "push",
        "what they gain",
        "what they need",
    ),
    "trust.credibility": (
        "claim",
        "back up",
        "back it up",
        "proof",
        "evidence",
        "overstat",
        "guarantee",
        "bluff",
        "find out",
        "verify",
        "credib",
        "don't know",
        "do not know",
    ),
    "trust.reliability": (
        "date",
        "by when",
        "deadline",
        "follow through",
        "your word",
        "promise",
        "commit",
        "reliab",
        "on time",
        "late",
    ),
    "trust.intimacy": (
        "ask",
        "explore",
        "concern",
        "worr",
        "listen",
        "understand",
        "behind",
        "intimac",
    ),
    "trust.transparency": (
        "open",
        "transparen",
        "share",
        "pricing",
        "price",
        "explain",
        "upfront",
        "up front",
        "honest",
        "risk",
        "limit",
    ),
    "funnel.activity_metrics": (
        "activity",
        "activities",
        "action",
        "what they did",
        "they agreed",
        "customer did",
        "client did",
        "buyer",
    ),
    "social.mass_outreach": (
        "template",
        "bulk",
        "mass",
        "personal",
        "research",
        "individual",
        "one by one",
        "tailor",
    ),
    "pitch.features_over_needs": (
        "need",
        "problem",
        "question",
        "discover",
        "pain",
        "before you pitch",
        "feature",
    ),
    "decay.stale": (
        "stale",
        "cold",
        "quiet",
        "silent",
        "interest",
        "re-engage",
        "reconnect",
        "reason to",
        "weeks",
        "months",
        "last heard",
        "qualify",
        "walk away",
    ),
    "decay.hot_window": (
        "while",
        "this week",
        "today",
        "tomorrow",
        "book",
        "date",
        "momentum",
        "hot",
        "quickly",
        "interest",
    ),
    "revenue.unbalanced": (
        "portfolio",
        "product line",
        "mix",
        "one product",
        "single product",
        "diversif",
        "other line",
        "balance",
        "legacy",
    ),
}


def topics_of(code: str) -> tuple[str, ...]:
    """The stems a reply about `code`'s situation is bound to use one of (empty: no check)."""
    if code in _CODE_TOPICS:
        return _CODE_TOPICS[code]
    return next((words for prefix, words in _PREFIX_TOPICS.items() if code.startswith(prefix)), ())


def speaks_to(reply: str, code: str) -> bool:
    """Whether `reply` touches the situation `code` names (always true for unchecked codes)."""
    words = topics_of(code)
    lowered = reply.lower()
    return not words or any(word in lowered for word in words)
