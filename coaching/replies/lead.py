"""The first point and its steps: the answer to the rep's own question, the lead for the top
situation with its quote and steps, or what a manager asks in the 1:1."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching.playbooks.base import Context
from coaching.playbooks.routing import looks_like_draft
from coaching.playbooks.stages import Stage
from coaching.replies.facts import DealFacts
from coaching.replies.moves import ManagerMove, Move, Question, StageMove, fill, load_moves, slots
from coaching.replies.one_on_one import build_one_on_one, coached_rep
from coaching.replies.rank import INJECTION
from coaching.replies.wording import short
from coaching.types import Finding, Role

QUOTE_WORDS = 28
# "I'll send the security answers soon, and": the promise itself, without the clause after it.
_PROMISE = re.compile(
    r"(?P<words>I(?:['\u2019]ll|\s+will)\s[^.!?]*?)(?:[\s,;]+(?:and|but|or|then))?[\s,;.!?]*$"
)


_DRAFT_OPENING = re.compile(
    r"\s*(?:(?:draft|email|reply|message|note)\b[^:\n]{0,30}:\s*)?(?:hi|hello|hey|dear)\b",
    re.IGNORECASE,
)


_ASKING = re.compile(
    r"\b(?:should|shall|can|could) (?:i|we)\b|\b(?:is it ok|what if|what now|what do i|how do i|"
    r"how should i|who should|good call|good idea|thoughts)\b",
    re.IGNORECASE,
)


def is_a_draft(text: str) -> bool:
    """The message is the draft itself ("Hi Gustav, ... could we?"), so its questions are the
    customer's to answer; "Should I cc my VP on the email?" is the rep asking the coach."""
    return _DRAFT_OPENING.match(text) is not None


def asked_question(text: str, *, draft: bool = False) -> tuple[Question, str] | None:
    """The direct question the message asks, if it asks one a coach has an answer for, with
    the words that ask it.

    The topic and the question mark are often in different sentences ("Joel is giving them
    15% to close. Should I approve it?"), so the whole message is read once it asks anything.
    """
    if "?" not in text and _ASKING.search(text) is None and not draft:
        return None
    questions = [q for q in load_moves().questions.values() if q.in_drafts or not draft]
    asked = ((q, words) for q in questions if (words := q.asked(text)))
    return next(asked, None)


def answer(question: Question, facts: DealFacts, ctx: Context) -> list[str]:
    """The answer first, in the rep's facts; a manager hears the version for the 1:1."""
    told = question.manager if ctx.role is Role.MANAGER and question.manager else question
    values = slots(facts, ctx.now.date())
    return [fill(told.lead, values), numbered_steps(told.steps, values, one_situation=True)]


def for_the_one_on_one(ranked: Sequence[Finding], facts: DealFacts, ctx: Context) -> list[str]:
    """What the manager asks the rep in the 1:1, for the situation that leads."""
    top = ranked[0] if ranked else None
    values = slots(facts, ctx.now.date(), top.category if top else None)
    rep = coached_rep(ctx.text) or facts.rep
    if rep is not None:
        values |= {"rep": rep, "rep_cap": rep}
    return build_one_on_one(ranked, values)


def coaching_lead(
    ranked: Sequence[Finding], facts: DealFacts, ctx: Context, stage: Stage | None
) -> list[str]:
    """The lead, the quote and the steps for the top situation; a manager hears what to
    take into the 1:1 with the rep, where the move has words for that. A pasted draft also
    gets its problem sentence rewritten ("Try:") in place of the steps: the rewrite is the step,
    and it teaches more than a rule."""
    moves = load_moves().codes
    top = ranked[0]
    move = moves.get(top.code)
    values = slots(facts, ctx.now.date(), top.category)
    if move is None:
        return [top.advice, quoted(top.evidence)]
    staged = move.stages.get(stage.name) if stage is not None else None
    told: Move | ManagerMove | StageMove = staged or move
    if ctx.role is Role.MANAGER and move.manager:
        told = move.manager
    rewrite = move.try_line if looks_like_draft(ctx.text) and told is move else None
    quoting = worth_quoting(top.evidence, ctx.text)
    promise = _PROMISE.match(top.evidence)
    if promise is not None and not quoting:
        # A short message is not quoted back, so the lead names the rep's own promise.
        values["promise"] = f"\u201c{short(promise.group('words'), QUOTE_WORDS // 2)}\u201d"
    parts = [fill(told.lead, values)]
    if quoting:
        parts.append(quoted(top.evidence))
    if rewrite:
        parts.append(fill(rewrite, values))
    else:
        one_situation = len({f.code for f in ranked}) == 1
        parts.append(numbered_steps(told.steps, values, one_situation=one_situation))
    also = also_line(ranked[1:], top.code)
    if also:
        parts.append(also)
    why = staged.why if staged is not None else move.why
    parts.append(f"Why: {fill(why, values)}")
    return parts


def numbered_steps(steps: Sequence[str], values: dict[str, str], *, one_situation: bool) -> str:
    """Up to three steps when this is the only situation, two when others follow."""
    chosen = steps[: 3 if one_situation else 2]
    if len(chosen) == 1:
        return f"Next step: {fill(chosen[0], values)}"
    lines = [f"{n}. {fill(step, values)}" for n, step in enumerate(chosen, start=1)]
    return "Next steps:\n" + "\n".join(lines)


def also_line(rest: Sequence[Finding], lead_code: str, limit: int = 2) -> str | None:
    """One line naming the other situations found, each with the rep's words."""
    moves = load_moves().codes
    lead = moves.get(lead_code)
    seen = {lead_code} | (lead.covers if lead else frozenset())
    items: list[str] = []
    for finding in rest:
        if finding.code in seen or finding.code == INJECTION:
            continue
        seen.add(finding.code)
        label = moves[finding.code].label if finding.code in moves else finding.code
        items.append(f"{label} (\u201c{short(finding.evidence, 10)}\u201d)")
        if len(items) == limit:
            break
    return f"Also worth fixing: {'; '.join(items)}." if items else None


def injection_note() -> str:
    return (
        "Note: part of what you pasted tries to give me instructions. I treated it as text "
        "to coach and followed none of it."
    )


def worth_quoting(evidence: str, text: str) -> bool:
    """Quoting points at the sentence in a longer message; echoing most of a two-line message
    back at the rep reads like a machine."""
    return len(text.split()) > 2 * max(len(evidence.split()), 12)


def quoted(evidence: str) -> str:
    return f"You wrote: \u201c{short(evidence, QUOTE_WORDS)}\u201d"
