"""What a manager says in the 1:1 when they ask how to coach a rep on a situation.

"What do I say to him?" is a different question from the rep's "what do I do?": the manager
needs the questions that let the rep find the gap, what to listen for in the answers, and the
one thing to agree. Handing the manager the rep's advice makes them tell instead of coach.
The words are data (`one_on_one.toml`), filled with the same slots as the moves.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from coaching.playbooks.catalog import Prose
from coaching.replies.moves import fill
from coaching.types import Finding

_ASKS_HOW_TO_COACH = re.compile(
    r"\bwhat\s+(?:do|should|would|can|shall)\s+i\s+(?:say|tell)\s+(?:to\s+)?(?P<said>\w+)|"
    r"\bhow\s+(?:do|should|can|would|shall)\s+i\s+(?:coach|approach|handle|talk\s+to|push\s+back\s+on|"
    r"raise\s+(?:this|it)\s+with)\s+(?P<coached>\w+)|"
    r"\b(?:in|for|at)\s+(?:our|my|the|his|her)\s+(?:next\s+)?(?:1:1|1-1|1on1|one[- ]on[- ]one)"
    r"(?:\s+with\s+(?P<met>\w+))?",
    re.IGNORECASE,
)
_PRONOUNS = frozenset({"him", "her", "them", "this", "it", "my", "the", "a"})


class Talk(BaseModel):
    """The 1:1 for one situation: the point, questions for the rep, what to hear, what to agree."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lead: Prose = Field(min_length=10)
    ask: tuple[str, ...] = Field(min_length=2, max_length=3)
    listen: str = Field(min_length=10)
    agree: str = Field(min_length=10)


class Talks(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    default: Talk
    codes: dict[str, Talk]

    def for_code(self, code: str | None) -> Talk:
        """The code's own talk, else its family's ("p3.excuse"), else the default."""
        if code is None:
            return self.default
        family = code.rsplit(".", 1)[0]
        return self.codes.get(code) or self.codes.get(family) or self.default


@cache
def load_talks() -> Talks:
    source = resources.files("coaching.replies") / "one_on_one.toml"
    return Talks.model_validate(tomllib.loads(source.read_text("utf-8")))


def asks_how_to_coach(text: str) -> str | None:
    """The words of a manager asking what to say to a rep; the rep's name is read separately."""
    match = _ASKS_HOW_TO_COACH.search(text)
    return match.group() if match else None


def coached_rep(text: str) -> str | None:
    """The rep the manager names in the question ("how do I coach Marta"), if by name."""
    match = _ASKS_HOW_TO_COACH.search(text)
    if match is None:
        return None
    name = match.group("said") or match.group("coached") or match.group("met") or ""
    return name if name[:1].isupper() and name.lower() not in _PRONOUNS else None


def build_one_on_one(findings: Sequence[Finding], values: Mapping[str, str]) -> list[str]:
    """The 1:1 for the situation that most endangers the deal (findings come ranked)."""
    talk = load_talks().for_code(findings[0].code if findings else None)
    questions = "\n".join(f"- {fill(q, values)}" for q in talk.ask)
    return [
        fill(talk.lead, values),
        f"Ask {values['rep']}:\n{questions}",
        f"Listen for: {fill(talk.listen, values)}",
        f"Agree before you finish: {fill(talk.agree, values)}",
    ]
