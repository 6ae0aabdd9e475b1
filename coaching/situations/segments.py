"""The units the situation model scores: every sentence, and the clauses of long sentences.

A coachable problem is often one clause of a long update ("...and I'll just wait for their
vote"), so clauses are scored as well as sentences. Some situations need two sentences side by
side ("the proposal went out Monday. I'll lay low until their vote"), so each pair of adjacent
short sentences is a unit too. The finding quotes the shortest unit that carries the situation,
an exact substring of what the rep wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.playbooks.signals import sentence_spans

_CLAUSE_CUT = re.compile(
    r";|:\s|\s[\u2014\u2013-]\s|\u2014|[()]|,\s+(?=(?:and|but|so|because|since|though|although|"
    r"while|which|then|plus|cause|coz|bc)\b)|\s(?=but\s)",
    re.IGNORECASE,
)
_TRIM = " \t\n,;:\"'\u201c\u201d\u2018\u2019\u2014\u2013-*>\u2022"
_MIN_CLAUSE_WORDS = 5
_MIN_SENTENCE_WORDS_TO_CUT = 10
_MAX_WINDOW_WORDS = 60


@dataclass(frozen=True)
class Unit:
    """A scored piece of text: `text[start:end]` of the message, trimmed of punctuation."""

    start: int
    end: int
    window: bool = False


def _trimmed(text: str, left: int, right: int) -> tuple[int, int]:
    while left < right and text[left] in _TRIM:
        left += 1
    while right > left and text[right - 1] in _TRIM:
        right -= 1
    return left, right


def _clauses(text: str, left: int, right: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    cursor = left
    for cut in _CLAUSE_CUT.finditer(text, left, right):
        pieces.append((cursor, cut.start()))
        cursor = cut.end()
    pieces.append((cursor, right))
    trimmed = [_trimmed(text, a, b) for a, b in pieces]
    return [(a, b) for a, b in trimmed if len(text[a:b].split()) >= _MIN_CLAUSE_WORDS]


def units(text: str, *, clauses: bool = True) -> list[Unit]:
    """Sentences in order, each followed by its clauses (when long) and its pair with the next.

    `clauses=False` (documents, where every line stands alone and speed matters) gives the
    sentences only.
    """
    sentences = [(a, b) for a, b in (_trimmed(text, *s) for s in sentence_spans(text)) if a < b]
    found: list[Unit] = []
    for index, (start, end) in enumerate(sentences):
        found.append(Unit(start, end))
        if not clauses:
            continue
        if len(text[start:end].split()) >= _MIN_SENTENCE_WORDS_TO_CUT:
            parts = _clauses(text, start, end)
            if len(parts) > 1:
                found.extend(Unit(a, b) for a, b in parts)
        if index + 1 < len(sentences):
            following = sentences[index + 1][1]
            if len(text[start:following].split()) <= _MAX_WINDOW_WORDS:
                found.append(Unit(start, following, window=True))
    return found
