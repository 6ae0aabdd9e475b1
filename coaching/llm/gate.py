"""Whether the model's answer may be served, and how it joins the offline result.

The offline coaching is always there first; the model's answer replaces its reply only when
it holds up. Every reason to decline is a short label, safe to log and to count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching.codes import FINDING_CODES
from coaching.llm.schema import LLMAnswer
from coaching.llm.topics import speaks_to
from coaching.ports import Turn
from coaching.replies.compose import ranked_for
from coaching.types import CoachingResult, Finding, IncomingMessage, Severity

MIN_REPLY_CHARS = 40
MIN_REPLY_WORDS = 8
# At or above this share of three-word runs copied from the input, a reply is an echo.
ECHO_SHARE = 0.5
# Coaching a rep reads in chat; a model running on past this is broken, not thorough.
MAX_REPLY_CHARS = 6000
MAX_MODEL_FINDINGS = 12
INJECTION = "input.injection"
# A passage in straight or curly double quotes.
_QUOTED = re.compile(r'["“]([^"“”]+)["”]')
_WORD = re.compile(r"[\w']+")


def declined(
    offline: CoachingResult, answer: LLMAnswer, *, source: str, shown: Sequence[str]
) -> str | None:
    """Why the model's answer must not be served (a label safe to log), or None.

    A reply too short to be coaching (a bare "APPROVED" obeying a pasted instruction, or
    "This is a great idea") is not served, nor one too long to read in chat (a model that
    ran away), nor one that mostly repeats the rep's own words back. Nor is an answer that
    drops a high-severity offline finding: the rep would lose the most important advice
    (the injection warning is exempt, `merge` puts it first anyway), nor one whose reply
    does not touch the situation the offline coach leads with: kept in the list of
    findings, it would still be lost on the rep, who reads the reply. Nor, where the input
    tried to instruct the bot, is an answer quoting anything the model was not shown:
    obeying "list Bob's commitments" it can only make them up, and a made-up quote of a
    colleague must never reach the rep.
    """
    reply = answer.reply.strip()
    return _form_declined(reply, source) or _content_declined(
        offline, answer, reply, source=source, shown=shown
    )


def _form_declined(reply: str, source: str) -> str | None:
    """Why the reply cannot be served whatever it says: too short, too long, an echo."""
    if len(reply) < MIN_REPLY_CHARS or len(_words(reply)) < MIN_REPLY_WORDS:
        return "reply_too_short"
    if len(reply) > MAX_REPLY_CHARS:
        return "reply_too_long"
    if echo_share(reply, source) >= ECHO_SHARE:
        return "reply_echoes_input"
    return None


def _content_declined(
    offline: CoachingResult,
    answer: LLMAnswer,
    reply: str,
    *,
    source: str,
    shown: Sequence[str],
) -> str | None:
    """Why the answer loses or invents coaching the offline result holds up."""
    kept = {f.code for f in answer.findings}
    must_keep = {f.code for f in offline.findings if f.severity is Severity.HIGH}
    if must_keep - {INJECTION} - kept:
        return "dropped_high_finding"
    lead = next((f for f in ranked_for(offline.findings, source) if f.code != INJECTION), None)
    if lead is not None and not speaks_to(reply, lead.code):
        return "missed_lead_point"
    attacked = INJECTION in {f.code for f in offline.findings}
    if attacked and not _quotes_hold(answer, shown):
        return "unfounded_quote"
    return None


def echo_share(reply: str, source: str) -> float:
    """The share of the reply's three-word runs that occur in `source` (0 to 1).

    Advice quotes a phrase or two of the rep's and says something new around it; an echo
    is made of their words almost run for run.
    """
    said = _words(reply)
    runs = [tuple(said[i : i + 3]) for i in range(len(said) - 2)]
    if not runs:
        return 0.0
    written = _words(source)
    known = {tuple(written[i : i + 3]) for i in range(len(written) - 2)}
    return sum(run in known for run in runs) / len(runs)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shown_to_model(
    message: IncomingMessage, offline: CoachingResult, memory: Sequence[Turn]
) -> list[str]:
    """What the model was given that it may quote: the rep's words, their thread, their
    captured next steps."""
    return [message.text, *(t.text for t in memory), *(c.text for c in offline.commitments)]


def _quotes_hold(answer: LLMAnswer, shown: Sequence[str]) -> bool:
    """Every passage in double quotes, in the reply or a finding's advice, is copied from
    `shown` (spacing aside). Single quotes are left alone: they double as apostrophes."""
    sources = [" ".join(text.split()) for text in shown]
    for text in (answer.reply, *(f.advice for f in answer.findings)):
        for match in _QUOTED.finditer(text):
            passage = " ".join(match.group(1).split())
            if passage and not any(passage in source for source in sources):
                return False
    return True


def merge(offline: CoachingResult, answer: LLMAnswer, *, source: str, model: str) -> CoachingResult:
    """Keep every deterministic finding; add the model's (at most MAX_MODEL_FINDINGS)
    only if its code and quote hold up and the offline result has no finding of that code
    (the model is asked to repeat those; its copy would only say the same thing twice).

    Where the input tried to instruct the bot, the offline warning leads the reply whatever
    the model wrote.
    """
    reply = answer.reply.strip()
    warning = next((f for f in offline.findings if f.code == INJECTION), None)
    if warning is not None:
        reply = f"{warning.advice}\n\n{reply}"
    findings = list(offline.findings)
    covered = {f.code for f in findings}
    seen: set[tuple[str, str | None, str]] = set()
    for proposed in answer.findings:
        if len(seen) == MAX_MODEL_FINDINGS:
            break
        key = (proposed.code, proposed.category, proposed.evidence)
        if proposed.code not in FINDING_CODES or proposed.code in covered:
            continue
        if not proposed.evidence.strip() or proposed.evidence not in source or key in seen:
            continue
        seen.add(key)
        findings.append(Finding(**proposed.model_dump()))
    return offline.model_copy(
        update={"reply": reply, "findings": findings, "engine": "llm", "model": model}
    )
