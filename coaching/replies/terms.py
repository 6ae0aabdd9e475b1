"""The terms of the deal in the rep's words: who decides, by when, for how much, and whether
the proposal is already out."""

from __future__ import annotations

import re
from datetime import datetime

from coaching.commitments.dates import find_due_date

_DECISION_WORDS = re.compile(
    r"\b(?:decid\w*|decision|vote[sd]?|voting|sign(?:s|ing)?\s+off|approv\w*|choos\w*|"
    r"select\w*|award\w*|final\s+(?:call|say|yes)|(?:board|committee|council)\s+meets?)\b",
    re.IGNORECASE,
)


_DETERMINER = r"(?:(?P<det>the|their|its|her|his|our)\s+)?"


_BODY_QUALIFIER = (
    r"(?:exec(?:utive)?|steering|investment|ops|operations|procurement|selection|direction|"
    r"management|leadership|budget|purchasing|evaluation|capital|credit|IT|school|hospital)"
)


_DECIDER = re.compile(
    rf"\b{_DETERMINER}(?P<who>"
    rf"{_BODY_QUALIFIER}\s+(?:committee|council|board|group|team|panel)|"
    r"board(?:\s+of\s+(?:directors|trustees|governors))?(?!\s+(?:meeting|deck|pack|slot|"
    r"session|call|review|room))|"
    r"(?:county|city|town)\s+(?:commissioners|council|board)|commissioners|"
    r"(?-i:CEO|CFO|COO|CIO|CTO|CRO|CMO|CISO|CPO|MD|ceo|cfo|coo|cio|cto|cro|cmo|ciso)|"
    r"managing\s+director|general\s+manager|"
    r"(?:company\s+)?(?:owner|founder|president)|decision[\s-]makers?)\b",
    re.IGNORECASE,
)


_AMOUNT = re.compile(
    r"(?<![\w.])~?(?:(?:[$\u20ac\u00a3]|(?:USD|EUR|GBP|CHF|CAD|AUD)\s?)\d[\d,.]*"
    r"(?:\s?(?:k|m|mm|bn|million|billion|thousand))?|\d[\d,.]*\s?(?:k|m|mm|million)\b)"
    r"(?:\s?(?:ARR|ACV|TCV|MRR|a\s+year|per\s+year|/yr))?",
    re.IGNORECASE,
)


_LEAD_WORDS = re.compile(r"^(?:on|by|before|until|till|at|for|ahead\s+of|the\s+week\s+of)\s+", re.I)


PROPOSAL_OUT = re.compile(
    r"\b(?:sent|submitted|delivered|emailed|shared)\s+(?:\w+\s+){0,4}?(?:proposal|quote|offer|sow|"
    r"tender|bid)\b|"
    r"\b(?:proposal|quote|offer|sow|tender(?:\s+response)?|bid)\b[^.!?\n]{0,40}?\b(?:went\s+out|is\s+out|(?:is|was|got)\s+"
    r"(?:sent|submitted|delivered)|(?<!be\s)(?:submitted|sent\s+(?:off|over|in))|out\s+since|landed|with\s+them|(?:I|we)\s+(?:sent|submitted|"
    r"shared|emailed))\b|"
    r"\b(?:think\s+(?:about\s+it|it\s+over)|thinking\s+(?:about\s+it|it\s+over)|reviewing\s+"
    r"(?:it|the\s+proposal)|mulling\s+it)\b",
    re.IGNORECASE,
)


SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


_TITLES = frozenset({"ceo", "cfo", "coo", "cio", "cto", "cro", "cmo", "ciso"})


def _sentences(text: str) -> list[str]:
    return [s.group().strip() for s in SENTENCE.finditer(text) if s.group().strip()]


def decider(text: str) -> str | None:
    """Who decides, as the rep named them: a decision sentence's body or role first."""
    in_decision = (
        m for s in _sentences(text) if _DECISION_WORDS.search(s) for m in _DECIDER.finditer(s)
    )
    match = next(in_decision, None) or _DECIDER.search(text)
    if match is None:
        return None
    who = " ".join(match.group("who").split())
    if who.lower() in _TITLES:
        who = who.upper()
    determiner = (match.group("det") or "").lower()
    if determiner == "our":
        return None
    return f"{'their' if determiner == 'their' else 'the'} {who}"


def decision_date(text: str, now: datetime) -> str | None:
    """The decision date, in the rep's words ("the 4th", "Dec 9"): the first date written
    after a decision word, and not in the past; failing that, the first date after the
    decider is named ("she'll take it to the CFO on Tuesday")."""
    for marker in (_DECISION_WORDS, _DECIDER):
        for sentence in _sentences(text):
            found = marker.search(sentence)
            if found is None:
                continue
            after = sentence[found.start() :]
            due = find_due_date(after, now)
            if due is not None and due.due >= now.date():
                phrase = _LEAD_WORDS.sub("", after[due.start : due.end].strip())
                return phrase.rstrip(",;:.") or None
    return None


def amount(text: str) -> str | None:
    match = _AMOUNT.search(text)
    return match.group().lstrip("~").strip() if match else None
