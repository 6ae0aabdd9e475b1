"""The rep's own facts, read from their message, so advice can name them.

"Ask Ben for 20 minutes with the CEO before Tuesday's vote" lands; "ask your contact for a
meeting with the decision group" is a lecture. Every fact here is a span of the rep's text or
nothing at all: a wrong name is worse than no name, so each reader is narrow and falls back
to a plain phrase (`coaching/replies/moves.toml` lists the fallbacks). People are read in
`people`, customers in `companies`, the decider, date and amount in `terms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from coaching.commitments.names import Cast
from coaching.replies.companies import companies, company_names
from coaching.replies.people import (
    ally,
    drafted_for,
    first_person,
    first_rep,
    greeted,
    role_contact,
)
from coaching.replies.terms import PROPOSAL_OUT, SENTENCE, amount, decider, decision_date
from coaching.types import Role


@dataclass(frozen=True)
class DealFacts:
    """What the message says about the deal; None where it does not say."""

    contact: str | None = None
    company: str | None = None
    decider: str | None = None
    when: str | None = None
    amount: str | None = None
    ally: str | None = None
    """How the rep refers to their inside contact when no name is given ("your champion")."""
    rep: str | None = None
    """For a manager: the rep they write about ("One of my reps, Joel, told...")."""
    proposal_out: bool = False
    """The message says the proposal has gone out, not that it is about to."""


def read_facts(text: str, now: datetime, role: Role = Role.REP) -> DealFacts:
    """The counterpart, customer, decider, decision date and amount a message names.

    A manager writes about their reps, so the first person a manager names is a colleague,
    never the customer contact.
    """
    cast = Cast(text)
    mentions = cast.within(0, len(text))
    customers = companies(text, cast)
    contact = rep = None
    if role is Role.MANAGER:
        rep = first_rep(text, mentions)
    else:
        contact = greeted(cast) or drafted_for(text) or first_person(text, mentions, customers)
    return DealFacts(
        contact=contact,
        company=customers[0] if customers else None,
        decider=decider(text),
        when=decision_date(text, now),
        amount=amount(text),
        ally=(ally(text) or role_contact(text)) if role is not Role.MANAGER else None,
        rep=rep,
        proposal_out=PROPOSAL_OUT.search(text) is not None,
    )


def read_facts_about(text: str, evidence: str, now: datetime, role: Role = Role.REP) -> DealFacts:
    """The facts of the deal the evidence is about.

    A weekly update covers several accounts; advice about one of them must not borrow the
    contact or the customer of another. When the message names more than one company, only
    the evidence's own stretch is read, within its paragraph: back from its sentence to the
    sentence that names its account, and on until a sentence names another.
    """
    start = text.find(evidence) if evidence else -1
    if start < 0 or single_deal(text):
        return read_facts(text, now, role)
    return read_facts(_deal_window(text, start, start + len(evidence)), now, role)


def single_deal(text: str) -> bool:
    """At most one company named: every fact in the message is about the same deal."""
    return len(company_names(text)) <= 1


def deal_names(text: str) -> list[str]:
    """The companies a message names, in the order it names them."""
    return companies(text, Cast(text))


def deal_window(text: str, name: str) -> str:
    """The stretch of the message about the deal with this company."""
    start = text.find(name)
    return text if start < 0 else _deal_window(text, start, start + len(name))


def deal_windows(text: str, name: str) -> list[str]:
    """Every stretch of the message about this company, one per time it is named."""
    starts = [m.start() for m in re.finditer(re.escape(name), text)]
    return [_deal_window(text, start, start + len(name)) for start in starts]


def _deal_window(text: str, start: int, end: int) -> str:
    paragraph_start = max(text.rfind("\n", 0, start) + 1, 0)
    paragraph_end = text.find("\n", end)
    paragraph = text[paragraph_start : len(text) if paragraph_end < 0 else paragraph_end]
    offset = start - paragraph_start
    known = company_names(text)

    def names_a_deal(span: tuple[int, int]) -> bool:
        sentence = paragraph[slice(*span)]
        return any(re.search(rf"\b{re.escape(name)}\b", sentence) for name in known)

    spans = [(m.start(), m.end()) for m in SENTENCE.finditer(paragraph) if m.group().strip()]
    here = next((i for i, (a, b) in enumerate(spans) if a <= offset < b), len(spans) - 1)
    first = here
    while first > 0 and not names_a_deal(spans[first]):
        first -= 1
    if not names_a_deal(spans[first]):
        first = max(0, here - 1)
    last = here
    while last + 1 < len(spans) and not names_a_deal(spans[last + 1]):
        last += 1
    return paragraph[spans[first][0] : max(spans[last][1], end - paragraph_start)]
