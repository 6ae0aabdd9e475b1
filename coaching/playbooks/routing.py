"""Which families of playbooks a message deserves, from who speaks and what shape it has.

Routing is what keeps the coach quiet when it should be: a manager asking about their team
gets manager coaching, never rep-level trust or P3 findings about their own words; a proposal
review gets the presentation scorecard; a chat gets outline checks only when the rep pasted
something that is clearly an outline.
"""

from __future__ import annotations

import re

from coaching.playbooks.base import Context
from coaching.types import MessageKind, Role

_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*\u2022])\s+\S", re.MULTILINE)
_OUTLINE_TITLE = re.compile(r"\b(?:outline|agenda|slides?|deck|run of show|structure)\b", re.I)
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{40,})[\"\u201d]")
_SALUTATION = re.compile(r"(?:^|[\"\u201c\s])(?i:hi|hello|hey|dear)\s+[A-Z{][\w.}-]*", re.M)
_DRAFT_WORDS = re.compile(
    r"\b(?:draft|e-?mail|note|message|inmail|opener|opening line|follow-?up|reply|dm|"
    r"cover letter|subject:|post)\b",
    re.I,
)
_MIN_LIST_ITEMS = 3


def is_manager(ctx: Context) -> bool:
    """Managers get team-level coaching; their own words are not a rep's draft."""
    return ctx.role is Role.MANAGER


def is_rep(ctx: Context) -> bool:
    return not is_manager(ctx)


def is_review(ctx: Context) -> bool:
    return ctx.kind is MessageKind.REVIEW


def looks_like_outline(text: str) -> bool:
    """Several list items, or several lines under a title that calls itself an outline."""
    lines = text.strip().split("\n")
    titled = len(lines) >= _MIN_LIST_ITEMS and bool(_OUTLINE_TITLE.search(lines[0]))
    return titled or len(_LIST_ITEM.findall(text)) >= _MIN_LIST_ITEMS


def looks_like_draft(text: str) -> bool:
    """A quoted passage, a salutation, or the rep calling it a draft or an email."""
    return bool(_QUOTED.search(text) or _SALUTATION.search(text) or _DRAFT_WORDS.search(text))
