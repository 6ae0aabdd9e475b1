"""The second deal in a message about two: one short line of its own.

A weekly update names several accounts; the reply leads with one and gives the other its
finding, its customer's step, or a plain word that it is still open or lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coaching.playbooks.base import Context
from coaching.playbooks.p3 import presents_for_us
from coaching.replies.facts import deal_names, deal_window, deal_windows, read_facts
from coaching.replies.moves import fill, load_moves, slots
from coaching.replies.tail import when_due
from coaching.replies.turn import Turn
from coaching.types import Commitment, Finding, Party

# "Jonas to present it": with a decider in that deal's text, their person presents for us.
_PRESENTS_IT = re.compile(r"\bpresent\w*\s+(?:it|this|them)\b", re.IGNORECASE)


_SAID_NO = re.compile(
    r"\b(?:said|says|told us|came back with)\s+(?:a\s+)?no\b|\b(?:lost|budget\s+(?:got\s+)?cut)\b|"
    r"\b(?:went|gone|going)\s+with\s+(?:a|another|the)\s+(?:rival|competitor|cheaper)|"
    r"\bchose\s+(?:a|another|the\s+other)\s+(?:vendor|supplier|competitor)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OtherDeal:
    """The second deal's own line, and the finding or customer step it has taken over."""

    line: str
    finding: Finding | None = None
    commitment: Commitment | None = None


def other_deal(
    turn: Turn, lead_company: str | None, findings: Sequence[Finding]
) -> OtherDeal | None:
    """A message about two deals: the one the reply does not lead with gets a short line.

    `findings` are those the lead has not used, best first; the first about this deal is it.
    """
    ctx = turn.ctx
    names = deal_names(ctx.text)
    lead = lead_company or (names[0] if names else None)
    others = [name for name in names if name != lead]
    if lead is None or not others:
        return None
    deal = others[0]
    window = deal_window(ctx.text, deal)
    deals = load_moves().deals
    values = slots(read_facts(window, ctx.now, ctx.role), ctx.now.date())
    moves = load_moves().codes
    for finding in findings:
        move = moves.get(finding.code)
        if move is not None and finding.evidence and finding.evidence in window:
            step = fill(move.steps[0], values)
            line = deals.finding.format(deal=deal, label=move.label, step=step)
            return OtherDeal(line=line, finding=finding)
    for commitment in turn.commitments:
        who = commitment.counterpart or ""
        if commitment.party is Party.CUSTOMER and who and who in window:
            for_us = presents_for_us(commitment.text) or bool(
                _PRESENTS_IT.search(commitment.text) and _decider_in(window, ctx)
            )
            template = deals.presents_for_us if for_us else deals.customer_step
            line = template.format(
                deal=deal, step=commitment.text, when=when_due(commitment), who=who
            )
            return OtherDeal(line=line, commitment=commitment)
    template = deals.said_no if _said_no(ctx.text, deal) else deals.open
    return OtherDeal(line=template.format(deal=deal))


def _decider_in(window: str, ctx: Context) -> bool:
    return read_facts(window, ctx.now, ctx.role).decider is not None


def open_deal(text: str, first: str | None) -> str | None:
    """With nothing to correct, the reply leads with a deal still in play, so a deal that
    said no gets the short line and the live one the question ("Quill said no; Redfield
    wants a demo" is a question about the Redfield demo)."""
    if first is None or not _said_no(text, first):
        return first
    return next((name for name in deal_names(text) if not _said_no(text, name)), first)


def _said_no(text: str, name: str) -> bool:
    return any(_SAID_NO.search(window) for window in deal_windows(text, name))
