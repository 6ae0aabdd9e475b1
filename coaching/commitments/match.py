"""Is a new commitment one the rep already has open? Pure matching, no storage.

Reviewing the same proposal again, or repeating a promise in chat, used to add the same
commitment each time (eleven identical suggestions after eleven reviews). A list the rep
cannot trust is a list they stop reading, so a new commitment that matches one of their
open ones (same party, same kind, same due date, near-identical wording) is not added
again, and the reply says it is already on the list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from coaching.commitments.names import word_set
from coaching.commitments.tracking import LIVE_STATUSES
from coaching.types import Commitment

# Wording this close after normalising is the same promise said twice, not a new one.
NEAR_IDENTICAL = 0.9

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAYS = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat|sun"
# The due date is compared as a date; the way it is written is not part of the wording.
_DATE_WORDS = re.compile(
    rf"\b(?:(?:by|on|before|due|until)\s+)?(?:(?:{_DAYS})\s+)?"
    rf"(?:(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|(?:{_DAYS}))\b"
)
_NOT_WORD = re.compile(r"[^\w]+")
_CALENDAR = re.compile(rf"(?:{_MONTHS}|{_DAYS})")
_CAPITALISED = re.compile(r"(?<![\w'\u2019])[A-Z][a-z]\w*")
_FILLER = word_set("a an the my our their your to for of and please i ill will just also then")


@dataclass(frozen=True)
class Matched:
    """The new commitments worth adding, and the open ones that the rest repeat."""

    fresh: tuple[Commitment, ...]
    already: tuple[Commitment, ...]


def normalised(text: str) -> str:
    """Lower case, no punctuation, dates or filler words: what is promised, and to whom."""
    low = _DATE_WORDS.sub(" ", text.lower().replace("\u2019", "'"))
    words = _NOT_WORD.sub(" ", low.replace("'", "")).split()
    return " ".join(w for w in words if w not in _FILLER)


def same_commitment(new: Commitment, existing: Commitment, *, any_due: bool = False) -> bool:
    """Same party, kind and due date, and wording that is the same or nearly so.

    `any_due` drops the date from the comparison, for a suggestion whose date only moves
    with the day it is made (a P3 request re-suggested by a later review of the proposal).
    """
    if (new.party, new.kind) != (existing.party, existing.kind):
        return False
    if not any_due and new.due != existing.due:
        return False
    if not _same_people(new, existing):
        return False
    left, right = normalised(new.text), normalised(existing.text)
    return left == right or SequenceMatcher(None, left, right).ratio() >= NEAR_IDENTICAL


def _same_people(new: Commitment, existing: Commitment) -> bool:
    """Owed to the same people: "Ask Acme for a slot" is not "Ask Brightline for a slot",
    however alike the rest reads. A name counts in either case ("dana" is "Dana")."""
    theirs, ours = new.counterpart, existing.counterpart
    if theirs and ours and theirs.casefold() != ours.casefold():
        return False
    names = _names(new.text) | _names(existing.text)
    left, right = set(normalised(new.text).split()), set(normalised(existing.text).split())
    return all(name in left and name in right for name in names)


def _names(text: str) -> set[str]:
    """Capitalised words after the first, casefolded: the people and companies named."""
    found = {m.group().casefold() for m in _CAPITALISED.finditer(text, 1)}
    return {name for name in found - _FILLER if not _CALENDAR.fullmatch(name)}


def match_open(
    new: Sequence[Commitment], known: Sequence[Commitment], *, any_due: bool = False
) -> Matched:
    """Split `new` into commitments to add and the rep's open ones they repeat."""
    live = [c for c in known if c.status in LIVE_STATUSES]
    fresh: list[Commitment] = []
    already: list[Commitment] = []
    for commitment in new:
        repeat = next((c for c in live if same_commitment(commitment, c, any_due=any_due)), None)
        if repeat is None:
            fresh.append(commitment)
        elif repeat not in already:
            already.append(repeat)
    return Matched(fresh=tuple(fresh), already=tuple(already))


def already_line(commitment: Commitment) -> str:
    """The reply's line for a repeat: the rep sees it is tracked, not that it was added."""
    due = commitment.due
    when = f"due {due:%a} {due.day} {due:%b}" if due else "no date yet"
    return f"Already on your list: {commitment.text}, {when}."
