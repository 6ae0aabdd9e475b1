"""The coaching moves per finding code, as validated data (`moves.toml`), filled with facts.

A move is what a good coach says about one situation: the point, the next steps and the one
line of why. The words live in data so a sales lead can tune them; the slots are filled from
the rep's message, with plain fallbacks when the message does not say.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from coaching.commitments.dates import add_business_days
from coaching.playbooks.catalog import Pattern, Prose
from coaching.replies.facts import DealFacts

CATEGORY_WORDS = {
    "health": "their health",
    "family": "their family",
    "religion": "their faith",
    "politics": "their politics",
    "sexual_orientation": "their sexual orientation",
    "personal_causes": "a personal cause",
}


class ManagerMove(BaseModel):
    """The same situation told to the manager of the rep in it: what to raise in the 1:1."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lead: Prose = Field(min_length=10)
    steps: tuple[str, ...] = Field(min_length=1)


class StageMove(BaseModel):
    """The same situation at a stage where it means something else (a customer going quiet
    before their renewal is not a prospect going cold)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lead: Prose = Field(min_length=10)
    steps: tuple[str, ...] = Field(min_length=1)
    why: str = Field(min_length=10)


class Move(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str = Field(min_length=3)
    lead: Prose = Field(min_length=10)
    steps: tuple[str, ...] = Field(min_length=1)
    why: str = Field(min_length=10)
    manager: ManagerMove | None = None
    stages: dict[str, StageMove] = Field(default_factory=dict)
    """Keyed by the stage names of `coaching/playbooks/stages.toml`."""
    probe: Prose | None = None
    """The question a coach asks when the message only hints at this situation."""
    covers: frozenset[str] = frozenset()
    """Codes whose point this move's steps already make, so "Also" does not repeat them."""
    try_line: str | None = Field(default=None, alias="try")
    """A rewritten sentence for a pasted draft, so the rep sees the fix in their own context."""


class Question(BaseModel):
    """A direct question a rep asks ("should I offer 10% to close?"), answered before anything
    else: a coach who skips the question sounds like they did not listen."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    patterns: tuple[Pattern, ...] = Field(min_length=1)
    lead: Prose = Field(min_length=10)
    steps: tuple[str, ...] = Field(min_length=1)
    covers: frozenset[str] = frozenset()
    """Finding codes this answer already deals with, so their lead is not said twice."""
    manager: ManagerMove | None = None
    in_drafts: bool = False
    """Answered even inside a pasted draft, because it is about the draft itself."""

    def asked(self, text: str) -> str | None:
        """The words that ask it, so the answer can use the facts around them."""
        found = (m for p in self.patterns if (m := p.search(text)) is not None)
        match = next(found, None)
        return match.group() if match else None


class Feelings(BaseModel):
    """One human sentence for what the rep feels, said before the step."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nervous: str


class Praise(BaseModel):
    """What makes a message work, named when it is true (the reason, not a compliment)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    customer_step: str
    p3_booked: str
    honest_limit: str
    client_first: str
    listening: str
    send_it: str
    """Said after praise for a draft that needs no change."""
    keep_going: str
    """Said after praise for a dated customer step, in place of asking for one."""
    echoes: str
    small_step: str
    brings_others: str
    criteria_agreed: str
    """A trial whose success criteria and decision meeting are already agreed."""
    dated_promise: str
    """A draft whose own promise carries a day."""
    ask_their_step: str
    """Said after praise for a draft that promises but asks the customer for nothing."""


class Deals(BaseModel):
    """The line for the second deal in a message about two, by what the message says of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    finding: str
    customer_step: str
    presents_for_us: str
    """A customer step where their own person presents our proposal: not progress to cheer."""
    said_no: str
    open: str


class Moves(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    codes: dict[str, Move]
    questions: dict[str, Question]
    feelings: Feelings
    praise: Praise
    deals: Deals


@cache
def load_moves() -> Moves:
    source = resources.files("coaching.replies") / "moves.toml"
    return Moves.model_validate(tomllib.loads(source.read_text("utf-8")))


def slots(facts: DealFacts, today: date, category: str | None = None) -> dict[str, str]:
    """Every slot a move may use, from the facts or its fallback."""
    due = add_business_days(today, 2)
    values = {
        "hi": f"Hi {facts.contact}," if facts.contact else "Hi,",
        "day": f"{due:%A}",
        "contact": facts.contact or facts.ally or _contact_at(facts.company),
        "contact_s": _possessive(facts.contact or facts.ally or "your contact"),
        "rep": facts.rep or "your rep",
        "company": facts.company or "the customer",
        "company_s": _possessive(facts.company) if facts.company else "the customer's",
        "amount": facts.amount or "the cost they described",
        "proposal": f"the proposal to {facts.company}" if facts.company else "the proposal",
        "proposal_state": "is out" if facts.proposal_out else "is about to go out",
        "decider": facts.decider or "the people who make the call",
        "when": facts.when or "they decide",
        "stakes": f", with {facts.amount} at stake" if facts.amount else "",
        "category": CATEGORY_WORDS.get(category or "", "their personal life"),
        "promise": "This promise",
    }
    values.update({f"{name}_cap": capitalised(value) for name, value in values.items()})
    return values


def _contact_at(company: str | None) -> str:
    """ "your contact at Redfield Capital" says which deal a step is about; a bare "your
    contact" only where the message names no customer."""
    return f"your contact at {company}" if company else "your contact"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with its slots filled; a slot the data names wrongly fails loudly in tests."""
    return string.Formatter().vformat(template, (), values)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
