"""Commitment extraction: the promises in a message, who owes them, and by when.

Reliability is "trust is truth over time": the coach can only hold a rep to promises it has
noticed. This module reads a message and returns the rep's first-person promises, the
customer's agreed actions (`party=customer`, never the rep's), and meetings stated as facts
("Intro call with Pinecrest tomorrow"), each with a due date resolved in the user's zone.
Undated rep promises are quoted back so the trust playbook can ask for a date; conditional
offers ("if it's useful, I'm happy to send") carry no such reproach (digest §2.1-2.3).

Only singular "I" promises count: "we will deliver Phase 1" in a pasted proposal is the
company's text, and activity quotas ("50 dials tomorrow") are inputs, not commitments.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from coaching.commitment_cues import (
    BASE_VERB,
    CONDITIONAL,
    CUSTOMER_CUE,
    ING_VERB,
    OPENING_CUE,
    PART_END,
    QUOTA,
    REP_CUE,
    SPLIT,
    STATED_MEETING,
    kind_of,
    verb_behaviour,
)
from coaching.commitment_names import Cast, word_set
from coaching.dates import find_due_date, find_vague_timing
from coaching.types import Commitment, CommitmentKind, Party

MAX_PROMISE_CHARS = 300
MAX_MEETING_PREFIX_WORDS = 3

_VERB_AT = re.compile(rf"(?:{BASE_VERB}|{ING_VERB})", re.IGNORECASE)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n+")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|St|Inc|Co|Corp|Ltd|vs|etc|approx)\.$")
_QUOTE = re.compile(r"\"[^\"\n]{1,2000}\"|\u201c[^\u201d]{1,2000}\u201d")
_SPEAKER = re.compile(
    r"\b(?:(?i:she|he|they)|[A-Z][a-z]+)\s+(?i:said|says|wrote|writes|replied|emailed|"
    r"told\s+(?:me|us))\b[^\"\u201c]{0,20}$"
)
_PAST = re.compile(
    r"\b(?:said|was|were|went|had|did|met|held|ran|told|asked|sent|gave|presented|lost|won|"
    r"last|ago|yesterday|earlier|previous|happened|attended|joined|cancel+ed|postponed|missed)\b",
    re.IGNORECASE,
)
_SELLER_FUTURE = r"\bwe\s+(?:will|shall)\b|\bwe['\u2019]ll\b"
_NOT_A_FIXTURE = re.compile(
    rf"{_PAST.pattern}|{_SELLER_FUTURE}|{CONDITIONAL.pattern}|{QUOTA.pattern}", re.IGNORECASE
)
_PERIOD = re.compile(
    r"\b(?:in|within|weeks?|months?|quarter|year|eo[wmqy]|from\s+now)\b", re.IGNORECASE
)
_PRONOUN_OBJECT = re.compile(
    r"\s*(?:\w+\s+)?(?:it|them|this|that|these|those)\b(?!\s+\w+\s+(?:to|with))", re.I
)
_PARENTHETICAL = re.compile(r"\s*\([^()]{0,300}\)")
_TRAILING = re.compile(r"(?:[\s,.;:!?\u2014\u2013-]|\b(?:and|or|then|but|so|also)\b)+$", re.I)
_OBJECT_LEAD = re.compile(
    r"(?:^|\b(?:to|with|for|cc|and|introduce|intro|connect|ping|call|email|meet|brief|tell))"
    r"\s*$",
    re.IGNORECASE,
)
_SUBJECT_HEAD = re.compile(r"\w*")
_TOLD = re.compile(r"\b(?:told|promised|assured)\s+$", re.IGNORECASE)
_NO_SUBJECT = word_set("i we you our my it this that there here what which who someone nobody")
_FUNCTION_WORDS = word_set("the a an our their my your his her for to of with at on in is has")


@dataclass(frozen=True)
class Extraction:
    """The commitments found, in text order, and quotes of the rep's undated promises."""

    commitments: tuple[Commitment, ...] = ()
    undated: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Cue:
    """Where a promise starts, whose it is, and where its first verb begins."""

    start: int
    verb: int
    party: Party
    offer: bool = False
    progressive: bool = False
    who: str | None = None


@dataclass(frozen=True)
class _Piece:
    """One coordinated promise ("set up a call with their CFO sometime next week")."""

    start: int
    end: int
    bare_and: bool
    text: str
    verb_end: int
    kind: CommitmentKind
    due: date | None
    vague: bool


@dataclass(frozen=True)
class _Found:
    position: int
    commitment: Commitment
    undated: str | None = None


def extract_commitments(text: str, now: datetime) -> Extraction:
    """Every commitment in `text`, with due dates resolved against `now` (aware, user zone)."""
    reader = _Reader(text, now)
    found: list[_Found] = []
    for start, end in _sentences(text):
        promises = reader.promises(start, end)
        meeting = None if promises else reader.stated_meeting(start, end)
        found.extend(promises if meeting is None else [meeting])
    unique = _deduplicated(found)
    return Extraction(
        commitments=tuple(item.commitment for item in unique),
        undated=tuple(item.undated for item in unique if item.undated),
    )


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence (or line) spans, not fooled by "Dr. Osei" or "Corp."."""
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        if _ABBREVIATION.search(text, max(0, boundary.start() - 8), boundary.start()):
            continue
        if boundary.start() > start:
            yield start, boundary.start()
        start = boundary.end()
    if start < len(text):
        yield start, len(text)


class _QuoteMap:
    """Quoted passages attributed to someone else ("she said "I'll send it""): not the rep's."""

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _QUOTE.finditer(text) if _spoken_by_other(text, m.start())]
        self._starts = [start for start, _ in spans]
        self._spans = spans

    def third_party(self, position: int) -> bool:
        index = bisect.bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._spans[index][1]


def _spoken_by_other(text: str, quote_start: int) -> bool:
    return _SPEAKER.search(text, max(0, quote_start - 60), quote_start) is not None


class _Reader:
    """One pass over one message: the text, the clock and who the text names."""

    def __init__(self, text: str, now: datetime) -> None:
        self.text = text
        self.now = now
        self.cast = Cast(text)
        self.quotes = _QuoteMap(text)

    def promises(self, start: int, end: int) -> list[_Found]:
        """The rep's promises and the customer's agreements in one sentence."""
        cues = self._cues(start, end)
        conditional = CONDITIONAL.search(self.text, start, end) is not None
        prefix_due = self._prefix_due(start, cues)
        found: list[_Found] = []
        for index, cue in enumerate(cues):
            limit = cues[index + 1].start if index + 1 < len(cues) else end
            pieces = self._pieces(cue.verb, min(limit, cue.verb + MAX_PROMISE_CHARS))
            for order, piece in enumerate(pieces):
                dated = piece if piece.due or piece.vague else replace(piece, due=prefix_due)
                scope = cue.start if order == 0 else piece.start
                item = self._commitment(cue, dated, conditional=conditional, scope=scope)
                if item is not None:
                    found.append(item)
        return found

    def _cues(self, start: int, end: int) -> list[_Cue]:
        """Every promise opening in the sentence, rep and customer, in order."""
        cues = [_rep_cue(match) for match in REP_CUE.finditer(self.text, start, end)]
        opening = OPENING_CUE.match(self.text, start, end)
        if opening:
            cues.append(_Cue(opening.start(), opening.end(), Party.REP, bool(opening["offer"])))
        for match in CUSTOMER_CUE.finditer(self.text, start, end):
            head = _SUBJECT_HEAD.match(match["who"])
            if head is not None and head.group().lower() not in _NO_SUBJECT:
                cues.append(_Cue(match.start(), match.end(), Party.CUSTOMER, who=match["who"]))
        cues = sorted(
            (cue for cue in cues if not self.quotes.third_party(cue.start)),
            key=lambda cue: cue.start,
        )
        return [cue for i, cue in enumerate(cues) if i == 0 or cue.start >= cues[i - 1].verb]

    def _prefix_due(self, start: int, cues: list[_Cue]) -> date | None:
        """A date said before the first promise ("Tomorrow I'll send…") covers undated ones."""
        if not cues:
            return None
        hit = find_due_date(self.text[start : cues[0].start], self.now)
        return hit.due if hit else None

    def _pieces(self, verb: int, end: int) -> list[_Piece]:
        """Split coordinated promises, then let "A and B by Friday" share B's date."""
        stop = PART_END.search(self.text, verb, end)
        end = stop.start() if stop else end
        pieces: list[_Piece] = []
        cursor = verb
        for split in SPLIT.finditer(self.text, verb, end):
            if split.start() > cursor:
                bare_and = not re.search(r"[,;]", split.group())
                pieces.extend(self._piece(cursor, split.start(), bare_and=bare_and))
                cursor = split.end()
        pieces.extend(self._piece(cursor, end, bare_and=False))
        return _joined(pieces)

    def _piece(self, start: int, end: int, *, bare_and: bool) -> list[_Piece]:
        """Date, vagueness, kind and clean wording of one promise; none for activity quotas."""
        raw = self.text[start:end]
        verb = _VERB_AT.match(raw)
        if verb is None or QUOTA.search(raw):
            return []
        hit = find_due_date(raw, self.now)
        vague = find_vague_timing(raw)
        clean = _cleaned(raw, [span for span in (hit and (hit.start, hit.end), vague) if span])
        kind = kind_of(verb_behaviour(verb.group()), clean, verb.end())
        if kind is None:
            return []
        due = hit.due if hit else None
        end_of_verb = start + verb.end()
        return [_Piece(start, end, bare_and, clean, end_of_verb, kind, due, vague is not None)]

    def _commitment(
        self, cue: _Cue, piece: _Piece, *, conditional: bool, scope: int
    ) -> _Found | None:
        """Turn a piece into the rep's promise or the customer's agreed action."""
        if cue.party is Party.CUSTOMER:
            return self._customer_commitment(cue, piece)
        if cue.progressive and piece.due is None:
            return None
        commitment = Commitment(
            text=piece.text,
            kind=piece.kind,
            due=piece.due,
            counterpart=_rep_counterpart(self.cast, piece, scope),
        )
        offer = cue.offer or conditional
        quote = None if offer or piece.due else _trimmed_quote(self.text, scope, piece.end)
        return _Found(cue.start, commitment, quote)

    def _customer_commitment(self, cue: _Cue, piece: _Piece) -> _Found:
        who = _customer_name(self.cast, cue)
        commitment = Commitment(
            text=f"{who or 'the customer'} to {piece.text}",
            kind=piece.kind,
            due=piece.due,
            counterpart=who,
            party=Party.CUSTOMER,
        )
        return _Found(cue.start, commitment)

    def stated_meeting(self, start: int, end: int) -> _Found | None:
        """A scheduled meeting stated as a fact, on a specific day, not in the past."""
        sentence = self.text[start:end]
        if sentence.rstrip().endswith("?") or _NOT_A_FIXTURE.search(sentence):
            return None
        noun = STATED_MEETING.search(sentence)
        hit = find_due_date(sentence, self.now) if noun else None
        if noun is None or hit is None or _PERIOD.search(sentence, hit.start, hit.end):
            return None
        mentions = self.cast.within(start, end)
        ranked = sorted(mentions, key=lambda mention: mention.company)
        counterpart = ranked[0].name if ranked else None
        phrase = _meeting_phrase(sentence, noun)
        label = phrase
        if counterpart and counterpart not in phrase:
            label = f"{phrase} with {counterpart}"
        meeting = Commitment(
            text=label, kind=CommitmentKind.MEETING, due=hit.due, counterpart=counterpart
        )
        return _Found(start, meeting)


def _rep_cue(match: re.Match[str]) -> _Cue:
    return _Cue(
        match.start(),
        match.end(),
        Party.REP,
        offer=match["offer"] is not None,
        progressive=match["prog"] is not None,
    )


def _cleaned(raw: str, cuts: list[tuple[int, int]]) -> str:
    """The promise in the rep's words, minus its date, vague timing and asides."""
    kept = raw
    for start, end in sorted(cuts, reverse=True):
        kept = kept[:start] + " " + kept[end:]
    kept = _PARENTHETICAL.sub("", kept)
    return _TRAILING.sub("", " ".join(kept.split()))


def _joined(pieces: list[_Piece]) -> list[_Piece]:
    """ "find out and get back to her by Wednesday" is one promise with one date."""
    joined: list[_Piece] = []
    for piece in pieces:
        previous = joined[-1] if joined else None
        if previous and previous.bare_and and previous.due is None and not previous.vague:
            rest = piece.text[piece.verb_end - piece.start :]
            if piece.kind == previous.kind or _PRONOUN_OBJECT.match(rest):
                joined[-1] = _combined(previous, piece)
                continue
            joined[-1] = replace(previous, due=piece.due)
        joined.append(piece)
    return joined


def _combined(first: _Piece, second: _Piece) -> _Piece:
    return replace(
        second,
        start=first.start,
        text=f"{first.text} and {second.text}",
        verb_end=first.verb_end,
    )


def _customer_name(cast: Cast, cue: _Cue) -> str | None:
    """The customer who agreed: a pronoun is the last person named, "they" the company."""
    who = " ".join((cue.who or "").split())
    lowered = who.lower()
    if lowered in ("she", "he"):
        return cast.person_before(cue.start)
    if lowered == "they":
        return cast.company_near(cue.start)
    if lowered.startswith(("their ", "the ")):
        return cast.role_counterpart(cue.start, cue.verb) or who
    return who


def _rep_counterpart(cast: Cast, piece: _Piece, scope: int) -> str | None:
    """The named person, else a role at the company, a pronoun's referent, the addressee of
    a draft, or the company; never a name the text does not contain.

    `scope` is where the promise starts, so "I told Megan I'd send…" names Megan.
    """
    mentions = cast.within(scope, piece.end)
    if piece.kind is CommitmentKind.INTRODUCTION:
        people = sorted(mentions + cast.roles_within(scope, piece.end), key=lambda m: m.start)
        if people:
            return " / ".join(person.name for person in people[:2])
    for mention in mentions:
        lead = cast.text[piece.verb_end : mention.start] if mention.start >= piece.verb_end else ""
        if _OBJECT_LEAD.search(lead) or _TOLD.search(cast.text, scope, mention.start):
            return mention.name
    return (
        cast.role_counterpart(piece.start, piece.end)
        or cast.pronoun_counterpart(piece.start, piece.end)
        or cast.addressee
        or cast.company_near(piece.start)
    )


def _trimmed_quote(text: str, start: int, end: int) -> str:
    """An exact substring of the input, without trailing punctuation."""
    return text[start:end].rstrip(" \t\n,.;:!?\u2014\u2013-")


def _meeting_phrase(sentence: str, noun: re.Match[str]) -> str:
    """ "Ridgeway Health final meeting": the noun and the words that qualify it."""
    words = sentence[: noun.start()].split()[-MAX_MEETING_PREFIX_WORDS:]
    kept: list[str] = []
    for word in reversed(words):
        if word.lower() in _FUNCTION_WORDS or not word[-1].isalnum():
            break
        kept.insert(0, word)
    return " ".join([*kept, noun.group()])


def _deduplicated(found: list[_Found]) -> list[_Found]:
    """One entry per promise, in the order the text makes them."""
    seen: set[tuple[str, str, str, date | None]] = set()
    unique: list[_Found] = []
    for item in sorted(found, key=lambda item: item.position):
        c = item.commitment
        key = (c.party.value, c.kind.value, c.text.lower(), c.due)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
