"""The reply a rep reads: one point first, their own facts, concrete next steps.

A coach in a chat says the most important thing in a sentence or two, shows the rep their own
words, names what to do next with the people and dates from the deal, and stops. Theory is
one command away (`explain`), never pasted into every answer. Every surface (console, Slack,
Teams) shows this same text. The parts live by job: `rank` picks the lead, `lead` words it
and its steps, `quiet` answers a message with nothing to correct, `deals` gives a second deal
its line, and `tail` adds the trust reading, the commitment lines and the word budget.
"""

from __future__ import annotations

import re

from coaching.replies.deals import open_deal, other_deal
from coaching.replies.facts import read_facts, read_facts_about
from coaching.replies.lead import (
    also_line,
    answer,
    asked_question,
    coaching_lead,
    for_the_one_on_one,
    injection_note,
    is_a_draft,
)
from coaching.replies.moves import load_moves
from coaching.replies.one_on_one import asks_how_to_coach
from coaching.replies.quiet import without_findings
from coaching.replies.rank import DRAFT_WORDING, INJECTION, ranked_for
from coaching.replies.tail import closing_lines, within_budget
from coaching.replies.turn import Turn
from coaching.types import MessageKind, Role

__all__ = ["CAPABILITIES", "CHAT_WORDS", "REVIEW_WORDS", "Turn", "compose", "ranked_for"]

CAPABILITIES = (
    "I'm your sales coach. Tell me about a deal, paste a draft email or a call plan, and I'll "
    "check it against our playbooks: the trust equation, the post-proposal presentation (P3), "
    '"don\'t be creepy", customer actions over activity, and deal-interest decay.\n'
    'Try: "I sent the proposal to Acme and will wait for their decision", or type /help.'
)


CHAT_WORDS = 150


REVIEW_WORDS = 220


_NERVOUS = re.compile(
    r"\b(?:dread\w*|nervous|terrified|scared|anxious|freez\w*|froze|panic\w*|hands\s+shake|"
    r"stage\s+fright)\b",
    re.IGNORECASE,
)


_FEELING_LEADS = frozenset({"p3.excuse.public_speaking"})
"""Leads that already speak to the rep's nerves, so the feeling line is not said twice."""


def compose(turn: Turn) -> str:
    """The reply: the answer to the rep's direct question, or the lead and its steps, or
    earned praise, or the stage question; then the second deal's line, if there is one."""
    ranked = ranked_for(turn.findings, turn.ctx.text)
    ctx = turn.ctx
    facts = (
        read_facts_about(ctx.text, ranked[0].evidence, ctx.now, ctx.role)
        if ranked
        else read_facts(ctx.text, ctx.now, ctx.role)
    )
    injected = any(f.code == INJECTION for f in ranked)
    coachable = [f for f in ranked if f.code != INJECTION]
    coaching_asked = asks_how_to_coach(ctx.text) if ctx.role is Role.MANAGER else None
    # In a pasted draft, what its wording gets wrong (whose reasons, unbacked claims) comes
    # first; otherwise a question about the draft itself ("just circling back...") leads.
    draft = is_a_draft(ctx.text)
    skip = coaching_asked is not None or (draft and any(f.code in DRAFT_WORDING for f in ranked))
    asked = None if skip else asked_question(ctx.text, draft=draft)
    question = asked[0] if asked else None
    if asked is not None:
        facts = read_facts_about(ctx.text, asked[1], ctx.now, ctx.role)
    lead_company = facts.company if ranked or asked else open_deal(ctx.text, facts.company)
    other = other_deal(turn, lead_company, coachable[1:] if asked is None else coachable)
    if other is not None:
        coachable = [f for f in coachable if f is not other.finding]
    if coaching_asked is not None:
        core = for_the_one_on_one(coachable, facts, ctx)
    elif question is not None:
        rest = [f for f in coachable if f.code not in question.covers]
        core = answer(question, facts, ctx)
        also = also_line(rest, "", limit=3)
        if also:
            core.append(also)
    elif coachable:
        core = coaching_lead(coachable, facts, ctx, turn.stage)
    elif injected:
        core = coaching_lead([f for f in ranked if f.code == INJECTION], facts, ctx, None)
    else:
        opening = without_findings(turn, lead_company)
        if opening is None:
            return CAPABILITIES
        core = opening
    if injected and coachable:
        core.insert(0, injection_note())
    if _NERVOUS.search(ctx.text) and not (ranked and ranked[0].code in _FEELING_LEADS):
        core.insert(0, load_moves().feelings.nervous)
    if other is not None:
        core.append(other.line)
    plain = question is None and coaching_asked is None
    told = other.commitment if other is not None else None
    tail, said_why = closing_lines(turn, facts, coachable if plain else None, told)
    core = [part for part in core if not (said_why and part.startswith("Why: "))]
    budget = REVIEW_WORDS if turn.ctx.kind is MessageKind.REVIEW else CHAT_WORDS
    return "\n\n".join(within_budget(core, tail, budget))
