"""Which speaker is the rep: the one the coach reviews, told back so a wrong guess is seen.

In order: the name the rep gave (`--rep`), the speaker who names our company as their own
("here at Acme", "I'm Sam from Acme"), the speaker whose name matches the user asking, and
last the speaker with the most words (a rep usually talks more than they should).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.calls.transcript import Transcript
from coaching.errors import CoachingError

_AFFILIATION = r"\b(?:at|from|with|here\s+at|we\s+at|we['\u2019]re|we\s+are|join(?:ed|ing)?)\s+"


@dataclass(frozen=True)
class RepChoice:
    """The rep's speaker name and why it was chosen, in words for the reply."""

    speaker: str
    reason: str


def choose_rep(
    transcript: Transcript,
    *,
    named: str | None = None,
    company: str | None = None,
    user_name: str | None = None,
) -> RepChoice:
    """The rep among the transcript's speakers; CoachingError when `named` is not one."""
    speakers = transcript.speakers
    if named and named.strip():
        found = _matching(named, speakers)
        if found is None:
            raise CoachingError(
                "input.unknown_speaker",
                f"No one called {named.strip()} speaks in this call; the speakers are "
                f"{', '.join(speakers)}.",
            )
        return RepChoice(found, "the name you gave")
    if company and company.strip() and (found := _names_company(transcript, company.strip())):
        return RepChoice(found, f"they speak for {company.strip()}")
    if user_name and (found := _matching(user_name, speakers)):
        return RepChoice(found, "their name matches yours")
    words: dict[str, int] = {}
    for turn in transcript.turns:
        words[turn.speaker] = words.get(turn.speaker, 0) + turn.words
    return RepChoice(max(speakers, key=lambda s: words[s]), "they spoke the most words")


def _tokens(name: str) -> list[str]:
    return re.findall(r"\w+", name.casefold())


def _matching(name: str, speakers: list[str]) -> str | None:
    """The speaker called `name`: the full name, else one sharing its first word."""
    wanted = _tokens(name)
    if not wanted:
        return None
    for speaker in speakers:
        if _tokens(speaker) == wanted:
            return speaker
    first = [s for s in speakers if _tokens(s)[:1] == wanted[:1]]
    return first[0] if len(first) == 1 else None


def _names_company(transcript: Transcript, company: str) -> str | None:
    """The speaker who claims the company as theirs; a customer only ever names it."""
    own = re.compile(_AFFILIATION + re.escape(company) + r"\b", re.IGNORECASE)
    named = re.compile(r"\b" + re.escape(company) + r"\b", re.IGNORECASE)
    claims: dict[str, int] = {}
    mentions: dict[str, int] = {}
    for turn in transcript.turns:
        claims[turn.speaker] = claims.get(turn.speaker, 0) + len(own.findall(turn.text))
        mentions[turn.speaker] = mentions.get(turn.speaker, 0) + len(named.findall(turn.text))
    for counts in (claims, mentions):
        best = max(counts, key=lambda s: counts[s], default=None)
        if best is not None and counts[best] > 0:
            return best
    return None
