"""The coaching moves per finding code, as validated data (`moves.toml`), filled with facts.

A move is what a good coach says about one situation: the point, the next steps and the one
line of why. The words live in data so a sales lead can tune them; the slots are filled from
the rep's message, with plain fallbacks when the message does not say.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from coaching.playbooks.catalog import Prose
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


class Move(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str = Field(min_length=3)
    lead: Prose = Field(min_length=10)
    steps: tuple[str, ...] = Field(min_length=1)
    why: str = Field(min_length=10)
    manager: ManagerMove | None = None


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


class Moves(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    codes: dict[str, Move]
    praise: Praise


@cache
def load_moves() -> Moves:
    source = resources.files("coaching.replies") / "moves.toml"
    return Moves.model_validate(tomllib.loads(source.read_text("utf-8")))


def slots(facts: DealFacts, category: str | None = None) -> dict[str, str]:
    """Every slot a move may use, from the facts or its fallback."""
    values = {
        "contact": facts.contact or facts.ally or "your contact",
        "rep": facts.rep or "your rep",
        "company": facts.company or "the customer",
        "proposal": f"the proposal to {facts.company}" if facts.company else "the proposal",
        "decider": facts.decider or "the people who make the call",
        "when": facts.when or "they decide",
        "stakes": f", with {facts.amount} at stake" if facts.amount else "",
        "category": CATEGORY_WORDS.get(category or "", "their personal life"),
    }
    values.update({f"{name}_cap": capitalised(value) for name, value in values.items()})
    return values


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with its slots filled; a slot the data names wrongly fails loudly in tests."""
    return string.Formatter().vformat(template, (), values)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
