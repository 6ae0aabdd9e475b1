"""Earned praise: what makes a message work, said only when it is true.

A rep who did the right thing and hears only corrections stops showing the coach their good
work. Praise names the reason ("the customer has taken on a dated step"), quotes the draft's
own words where it can, and never invents a strength. The words are in `moves.toml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching.commitments.drafts import draft_body, unsent_draft
from coaching.playbooks.base import Context
from coaching.playbooks.catalog import playbook
from coaching.playbooks.p3 import decider_engaged, presents_for_us
from coaching.playbooks.routing import looks_like_draft
from coaching.playbooks.signals import has_signal
from coaching.playbooks.stages import Stage
from coaching.replies.facts import read_facts
from coaching.replies.moves import load_moves, slots
from coaching.replies.wording import joined, short
from coaching.types import Commitment, Party

_POSITIVE_SIGNALS = ("honest_limit", "client_first", "listening")
_CRITERIA_AGREED = re.compile(
    r"\b(?:success|exit|acceptance)\s+criteria\b[^.!?\n]{0,30}?\b(?:agreed|signed\s+off|set|defined)\b|"
    r"\bagreed\s+(?:on\s+)?(?:the\s+)?(?:success|exit|acceptance)\s+criteria\b",
    re.IGNORECASE,
)
_DECISION_BOOKED = re.compile(
    r"\b(?:go/no[- ]go|decision|review|readout)\s+(?:meeting|call|session)\b[^.!?\n]{0,30}?"
    r"\b(?:booked|set|scheduled|confirmed|in\s+the\s+calendar)\b",
    re.IGNORECASE,
)
_ECHOES = re.compile(
    r"\b(?:you\s+(?:mentioned|said|told\s+me|explained|shared)|from\s+what\s+you\s+(?:said|told\s+me|"
    r"described)|as\s+you\s+(?:said|put\s+it))(?:\s+that)?\s*,?(?P<said>[^.!?\n]{8,})",
    re.IGNORECASE,
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_SMALL_STEP = re.compile(
    rf"\b\d{{1,2}}\s*(?:minutes|mins?)\b[^.!?\n]{{0,20}}?\b(?:on\s+)?{_WEEKDAY}\b|"
    rf"\b(?:on\s+)?{_WEEKDAY}\s+at\s+\d{{1,2}}(?::\d\d)?\s*(?:am|pm)?",
    re.IGNORECASE,
)
_BRINGS_OTHERS = re.compile(
    r"\bwho\s+else\s+(?:should|would|needs?|will)\b|\bwith\s+you\s+and\s+[A-Z][a-z]+",
)


def build_praise(
    ctx: Context, stage: Stage | None, commitments: Sequence[Commitment]
) -> str | None:
    """Say what works, and why, only when something in the message really does."""
    praise = load_moves().praise
    text = ctx.text
    reasons: list[str] = []
    customer = dated_customer_steps(commitments)
    if customer:
        reasons.append(praise.customer_step.format(step=customer[0].text))
    p3 = playbook("p3")
    presenting = stage is not None and stage.name == "presentation"
    decider = read_facts(text, ctx.now, ctx.role).decider
    if (decider_engaged(p3, text) or (presenting and decider)) and has_signal(
        p3, "presentation", text
    ):
        reasons.append(praise.p3_booked)
    if _CRITERIA_AGREED.search(text) and _DECISION_BOOKED.search(text):
        reasons.append(praise.criteria_agreed)
    equation = playbook("trust_equation")
    if stage is not None or looks_like_draft(text):
        body = draft_body(text)
        reasons += [
            getattr(praise, name) for name in _POSITIVE_SIGNALS if has_signal(equation, name, body)
        ]
    promised = drafted_promises(ctx)
    if promised and not reasons:
        reasons.append(praise.dated_promise.format(step=promised[0].text))
    works = _draft_strengths(ctx) if looks_like_draft(text) else []
    if not reasons and not works:
        return None
    because = f"It works because {joined(works)}." if works else ""
    if not reasons:
        return f"This is good. {because}"
    return f"This is good: {joined(reasons[:2])}. {because}".rstrip()


def dated_customer_steps(commitments: Sequence[Commitment]) -> list[Commitment]:
    """What the customer agreed to do, with a day: progress, unless they present for us."""
    return [
        c
        for c in commitments
        if c.party is Party.CUSTOMER and c.due is not None and not presents_for_us(c.text)
    ]


def drafted_promises(ctx: Context) -> list[Commitment]:
    """The rep's own dated promises in a draft not sent yet."""
    if not unsent_draft(ctx.text):
        return []
    return [c for c in ctx.promises if c.party is Party.REP and c.due is not None]


def _draft_strengths(ctx: Context) -> list[str]:
    """What a good draft does, each shown with its own words, so the praise teaches."""
    praise = load_moves().praise
    text = ctx.text
    contact = slots(read_facts(text, ctx.now, ctx.role), ctx.now.date())["contact"]
    strengths: list[str] = []
    echo = _ECHOES.search(text)
    if echo:
        said = short(echo.group("said").strip(" ,"), 12)
        strengths.append(praise.echoes.format(contact=contact, quote=said))
    step = _SMALL_STEP.search(text)
    if step:
        strengths.append(praise.small_step.format(quote=step.group().strip()))
    if _BRINGS_OTHERS.search(text):
        strengths.append(praise.brings_others)
    return strengths
