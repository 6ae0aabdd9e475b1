"""Commitment extraction: the promises in a message, who owes them, and by when.

Reliability is "trust is truth over time": the coach can only hold a rep to promises it has
noticed. This module reads a message and returns the rep's first-person promises, the
customer's agreed actions (`party=customer`, never the rep's), and meetings stated as facts
("Intro call with Pinecrest tomorrow"), each with a due date resolved in the user's zone.
Undated rep promises are quoted back so the trust playbook can ask for a date; conditional
offers ("if it's useful, I'm happy to send") carry no such reproach (digest §2.1-2.3).

Only singular "I" promises count: "we will deliver Phase 1" in a pasted proposal is the
company's text, and activity quotas ("50 dials tomorrow") are inputs, not commitments.
A promise may open on any verb ("I'll sync with our SE and come back by Thursday": the
delivery after "and" is the promise, with its date); what the rep only weighs ("maybe I'll
just send…"), questions to the coach, plans already carried out and words quoted from
someone else are none. Meetings agreed in a few words ("Tue 3pm works") come from
`coaching.commitments.slots`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property

from coaching.commitments.cues import (
    ADDRESSEE_CUE,
    BASE_VERB,
    CARRIED_CUE,
    CONDITIONAL,
    CONTINUED_CUE,
    CUSTOMER_CUE,
    ING_VERB,
    NO_SUBJECT,
    OPENING_CUE,
    PART_END,
    QUOTA,
    REP_CUE,
    SPLIT,
    STATED_MEETING,
    WORD_BEFORE,
    could_be_subject,
    kind_of,
    respelled,
    verb_behaviour,
)
from coaching.commitments.dates import DueDate, find_due_date, find_vague_timing
from coaching.commitments.names import Cast, looks_like_company, word_set
from coaching.commitments.scan import Sentence, candidate_sentences
from coaching.commitments.slots import agreed_slots
from coaching.types import Commitment, CommitmentKind, Party

MAX_MEETING_PREFIX_WORDS = 3
# A run-on paste with no sentence ends is not hundreds of promises: read the first few.
MAX_CUES_PER_SENTENCE = 40
MAX_MEETINGS_PER_SENTENCE = 8
# How far around a cue or meeting noun its date, condition and people are looked for.
_REACH = 300
_SUBJECT_REACH = 100
_MEETING_REACH = 150
_PREFIX_SLACK_WORDS = 2
_WORD_REACH = 40

_VERB_AT = re.compile(rf"(?:{BASE_VERB}|{ING_VERB})", re.IGNORECASE)
_QUOTE = re.compile(r"\"[^\"\n]{1,2000}\"|\u201c[^\u201d]{1,2000}\u201d")
_SPEAKER = re.compile(
    r"\b(?:(?i:she|he|they)|[A-Z][a-z]+)\s+(?i:said|says|wrote|writes|replied|emailed|"
    r"told\s+(?:me|us))\b[^\"\u201c]{0,20}$"
)
_PAST = re.compile(
    r"\b(?:said|was|were|went|had|did|met|held|ran|told|asked(?!\s+(?:(?:us|me)\s+)?(?:for|to)\b)|sent|gave|presented|lost|won|"
    r"last|ago|yesterday|earlier|previous|happened|attended|joined|cancel+ed|postponed|missed|"
    r"wanted|declined|refused|rejected)\b",
    re.IGNORECASE,
)
_SELLER_FUTURE = r"\bwe\s+(?:will|shall)\b|\bwe['\u2019]ll\b"
# "If they sign, I'd book the kickoff for Monday": a meeting only imagined.
_IMAGINED = r"\b(?:would|I['\u2019]d|we['\u2019]d)\b"
# "Nothing from Lena since the call on Nov 3": the meeting is what the silence is counted from.
_SINCE = (
    r"\bsince\s+(?:the|our|their|that|this|my|your)\s+(?:[\w-]+\s+){0,2}(?:call|meeting|demo|"
    r"session|workshop|visit|review|presentation|pitch|chat|sync|walkthrough)\b"
)
_NOT_A_FIXTURE = re.compile(
    rf"{_PAST.pattern}|{_SINCE}|{_SELLER_FUTURE}|{_IMAGINED}|{CONDITIONAL.pattern}|"
    rf"{QUOTA.pattern}",
    re.IGNORECASE,
)
_QUESTION_END = re.compile(r"\?[\"'\u201d\u2019)]*\s*$")
_PERIOD = re.compile(
    r"\b(?:in|within|weeks|months?|quarter|year|eo[wmqy]|from\s+now)\b", re.IGNORECASE
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
_NON_WORD = re.compile(r"\W+")
_TOLD = re.compile(r"\b(?:told|promised|assured)\s+$", re.IGNORECASE)
_FUNCTION_WORDS = word_set("the a an our their my your his her for to of with at on in is has")
# What the rep only weighs ("maybe I'll just send…", "thinking I'll email…") is no promise.
_HEDGE = re.compile(
    r"\b(?:maybe|mayb|might|perhaps|possibly|probably|thinking|thnking|considering|wondering|debating|"
    r"not\s+sure|unsure|idk|guess|tempted|part\s+of\s+me|in\s+theory|hope|hoping|hopefully|"
    r"keep\s+telling\s+myself|keeps?\s+(?:saying|promising|telling\s+(?:me|us))|(?:was|were)\s+going\s+to|option\s+[ab12]|plan\s+b|"
    r"if\s+(?:we|I|they)\s+(?:lose|don['\u2019]t\s+(?:win|get|close)|say\s+no|go\s+(?:dark|with)))\b",
    re.IGNORECASE,
)
# A customer who "will probably respond" has agreed to nothing.
# "They asked me to send the deck by Friday, not sure I can": doubted as soon as said.
_DOUBT_AFTER = re.compile(
    r"\b(?:not\s+sure\s+(?:I|we)\s+(?:can|will|could)|no\s+promises|we['\u2019]ll\s+see)\b",
    re.IGNORECASE,
)
_COULD = re.compile(r"I\s+could\b", re.IGNORECASE)
_OR_ELSE = re.compile(r",?\s+or\s+(?:just\s+|maybe\s+|should\s+I\s+)?[a-z]+", re.IGNORECASE)
_CUSTOMER_HEDGE = re.compile(r"\b(?:probably|likely|hopefully|maybe)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[,;:(\u2014]|\s-\s|\b(?:but|and|so|then)\s", re.IGNORECASE)
# A question to the coach ("should I send it Friday?") asks; it promises nothing.
_QUESTION_OPENING = re.compile(
    r"\s*(?:(?:so|ok|and|but|also|just\s+checking)[,:]?\s+)?(?:should|shld|shall|can|could|"
    r"would|will|do|does|did|is|are|am|was|what\s+if|what\s+about|how\s+about|any|who|when|"
    r"where|why|which)\b",
    re.IGNORECASE,
)
# "Thanks for the call today": the call is over, however "today" reads.
_THANKED = re.compile(
    r"\b(?:thanks|thank\s+you|thx|appreciated?|enjoyed|(?:nice|great|good)\s+work)\b"
    r"[^.!?\n,;]{0,30}$",
    re.IGNORECASE,
)
# "Mon pipeline review", "forecast call at 4": our own meetings, promised to no customer.
_INTERNAL_MEETING = re.compile(
    r"\b(?:pipeline|forecast|internal|deal[\s-]desk|staff|team|1:1|one[\s-]on[\s-]one)\s+$",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:can['\u2019]?t|cannot|couldn['\u2019]?t|won['\u2019]?t|wouldn['\u2019]?t|not|never|"
    r"isn['\u2019]?t|aren['\u2019]?t|don['\u2019]?t|doesn['\u2019]?t)\b",
    re.IGNORECASE,
)
_PRAISED = re.compile(
    r"\b(?:great|good|nice|productive|awesome|excellent|solid|tough|rough|fun|useful)\s+$",
    re.IGNORECASE,
)
_SENT_INVITE = re.compile(
    r"\bsent\s+(?:[\w-]+\s+)?(?:a|an|the|our|my)\s+(?:calendar\s+|teams\s+|zoom\s+)?"
    r"(?:invite|invitation|hold|placeholder)",
    re.IGNORECASE,
)
_INVITE_WORDS = re.compile(r"\b(?:invite|invitation|calendar|link|zoom|webex)\b", re.IGNORECASE)
# "I told them I'd send the deck, which I did on Monday": kept already, nothing owed.
_DONE = re.compile(
    r",?\s*which\s+I\s+(?:did|have|already)|\balready\s+(?:did|done|sent|have)\b|"
    r",?\s*and\s+I\s+(?:did|have|already\s+\w+)\s*(?:[.!;,]|$)|"
    # "I promised to call her Tuesday and didn't": broken then, not owed now.
    r",?\s*(?:and|but)\s+(?:I\s+)?(?:didn['\u2019]?t|never\s+did)\b",
    re.I,
)
_SPOKEN_AFTER = re.compile(
    r"\s*(?:is\s+what\s+|was\s+what\s+)?(?:(?i:she|he|they)|[A-Z][a-z]+)\s+"
    r"(?i:said|says|told|wrote|promised)\b"
)
_INTERNAL_STEP = re.compile(
    r"\b(?:from|with|by|past)\s+(?:our|my)\b|^loop\s+in\s+(?:our|my)\b", re.IGNORECASE
)
_ASIDE_AND = re.compile(r"\s+(?:and|then)\b", re.IGNORECASE)
_PERSON_FROM = re.compile(r"\b(?-i:[A-Z][a-z]+)\s+(?:from|at)\s+(?:the\s+)?$")
_PRESENT_I = re.compile(rf"I\s+(?={BASE_VERB})")
# What may stand before a subjectless promise: a condition closed by a comma ("once legal
# signs, will send…", "should they want references, happy to send…").
_LEAD_IN = re.compile(
    r"\s*(?:(?:if|once|when|whenever|as\s+soon\s+as|assuming|provided|should|after|given)\b"
    r"[^,.;:!?\n]{1,80},)[ \t]*",
    re.IGNORECASE,
)
_DEAL_LABEL = re.compile(r"(?-i:[A-Z][\w&.-]*)(?:[ \t]+(?-i:[A-Z][\w&.-]*)){0,2}[ \t]*:[ \t]*")
_ON_THEIR_OWN = re.compile(
    r"\b(?:herself|himself|themselves|alone|on\s+(?:her|his|their)\s+own)\b", re.IGNORECASE
)
_HABIT = re.compile(r"\b(?:every|each|usually|always|normally|often)\b", re.IGNORECASE)
_OWN_SIDE = re.compile(r"\b(?:our|my)\s+$", re.IGNORECASE)
# Where a meeting's own clause starts and ends: "their lead sent the export and booked a
# session for Tue Dec 1" books a future session though "sent" is past.
_CLAUSE_BEFORE = re.compile(r"[;:\u2014\u2013]|,\s|\s-\s|\band\s", re.IGNORECASE)
_LAST_CLAUSE = re.compile(r".*(?:[,;:]|\s-\s)", re.DOTALL)
_CLAUSE_AFTER = re.compile(
    r"[;\u2014\u2013]|\s-\s|,\s*(?:and|but|so|which|while)\b|\sbut\s|"
    # "Mon pipeline review, Tue onsite at Kaltech": each day of a planned week is its own.
    r",\s*(?=(?-i:Mon|Tue|Wed|Thu|Fri)[a-z]*\b)|"
    r"\sand\s+(?:the|a|an|then|next)\s",
    re.IGNORECASE,
)


# How a customer's step reads after their name, by the cue that found it.
_LINKS = {"ongoing": ":", "wants": " wants to", "gives": " to make", "owes": ""}


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
    # How a customer's step is worded after their name: "Lena to send", "Lena: sending".
    link: str = " to"


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
    """A commitment, where its wording starts and ends, and its undated-promise quote."""

    position: int
    end: int
    commitment: Commitment
    undated: str | None = None


def extract_commitments(text: str, now: datetime) -> Extraction:
    """Every commitment in `text`, with due dates resolved against `now` (aware, user zone)."""
    reader = _Reader(text, now)
    found: list[_Found] = []
    read: set[str] = set()
    for sentence in candidate_sentences(text):
        wording = text[sentence.start : sentence.end]
        if wording in read:
            continue
        read.add(wording)
        promises = reader.promises(sentence)
        found.extend(promises)
        if sentence.meeting_hits:
            taken = [(promise.position, promise.end) for promise in promises]
            found.extend(reader.stated_meetings(sentence, taken))
        if sentence.slot_hits:
            found.extend(reader.slots(sentence, found))
    unique = _absorbed_invites(_deduplicated(found))
    addressee = reader.cast.addressee
    return Extraction(
        commitments=tuple(_in_the_reps_voice(item.commitment, addressee) for item in unique),
        undated=tuple(item.undated for item in unique if item.undated),
    )


_YOU = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)


def _in_the_reps_voice(commitment: Commitment, addressee: str | None) -> Commitment:
    """A draft's "I'll call you at 3pm" is listed as "call Dana at 3pm": the rep reads the
    list later, when "you" no longer points at anyone."""
    if addressee is None or commitment.party is not Party.REP:
        return commitment
    text = _YOU.sub(
        lambda m: f"{addressee}'s" if m.group().lower() == "your" else addressee,
        commitment.text,
    )
    return commitment if text == commitment.text else commitment.model_copy(update={"text": text})


class _QuoteMap:
    """Quoted passages attributed to someone else ("she said "I'll send it""): not the rep's."""

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _QUOTE.finditer(text) if _spoken_by_other(text, m)]
        self._starts = [start for start, _ in spans]
        self._spans = spans

    def third_party(self, position: int) -> bool:
        index = bisect.bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._spans[index][1]


def _spoken_by_other(text: str, quote: re.Match[str]) -> bool:
    """ "she said "I'll send it"" or ""I'll send it" is what she told me"."""
    if _SPEAKER.search(text, max(0, quote.start() - 60), quote.start()) is not None:
        return True
    return _SPOKEN_AFTER.match(text, quote.end()) is not None


class _Reader:
    """One pass over one message: the text, the clock and who the text names."""

    def __init__(self, text: str, now: datetime) -> None:
        self.text = text
        self.now = now

    @cached_property
    def cast(self) -> Cast:
        """Built on first need: most long texts hold no promise and never need names."""
        return Cast(self.text)

    @cached_property
    def quotes(self) -> _QuoteMap:
        return _QuoteMap(self.text)

    def promises(self, sentence: Sentence) -> list[_Found]:
        """The rep's promises and the customer's agreements in one sentence.

        A repeated sentence is read once: its promises would be the same ones again.
        """
        start, end = sentence.start, sentence.end
        if self.asks(sentence):
            return []
        cues = [cue for cue in self._cues(sentence) if not self._hedged(sentence, cue)]
        prefix_due = self._prefix_due(start, cues)
        found: list[_Found] = []
        for index, cue in enumerate(cues):
            opening_due = self._clause_opening_due(start, cue) if index else None
            limit = min(cues[index + 1].start if index + 1 < len(cues) else end, cue.verb + _REACH)
            context = max(start, cue.start - _REACH)
            conditional = CONDITIONAL.search(self.text, context, limit) is not None
            pieces = self._pieces(cue.verb, limit)
            for order, piece in enumerate(pieces):
                borrowed = opening_due or prefix_due
                dated = piece if piece.due or piece.vague else replace(piece, due=borrowed)
                scope = cue.start if order == 0 else piece.start
                item = self._commitment(cue, dated, conditional=conditional, scope=scope)
                if item is not None:
                    found.append(item)
        return _without_preparation(found)

    def asks(self, sentence: Sentence) -> bool:
        """Whether the sentence (or its part after a colon) is a question."""
        if not _QUESTION_END.search(self.text, max(sentence.start, sentence.end - 5), sentence.end):
            return False
        colon = self.text.rfind(":", sentence.start, sentence.end)
        opening = colon + 1 if colon >= 0 else sentence.start
        return _QUESTION_OPENING.match(self.text, opening, sentence.end) is not None

    def _hedged(self, sentence: Sentence, cue: _Cue) -> bool:
        """A cue the rep only weighs: a hedge in its clause, before its verb."""
        lo = max(sentence.start, cue.start - _REACH)
        opening = lo
        for stop in _CLAUSE_START.finditer(self.text, lo, cue.start):
            opening = stop.start()
        if _HEDGE.search(self.text, opening, cue.verb):
            return True
        after = (cue.verb, min(sentence.end, cue.verb + _REACH))
        if _DONE.search(self.text, *after) or _DOUBT_AFTER.search(self.text, *after):
            return True
        # "I could send the deck Friday, or hold it": one option among others.
        could = _COULD.match(self.text, cue.start, cue.verb) is not None
        if could and _OR_ELSE.search(self.text, *after):
            return True
        customer = cue.party is Party.CUSTOMER
        return customer and _CUSTOMER_HEDGE.search(self.text, cue.start, cue.verb) is not None

    def _cues(self, sentence: Sentence) -> list[_Cue]:
        """Every promise opening in the sentence, rep and customer, in order."""
        start, end = sentence.start, sentence.end
        hits = sentence.rep_hits[:MAX_CUES_PER_SENTENCE]
        rep = (REP_CUE.match(self.text, hit, end) for hit in hits)
        cues = [_rep_cue(match) for match in rep if match]
        opening = self._opening_cue(start, end) if sentence.modal_hits else None
        if opening:
            offer, progressive = opening["offer"] is not None, opening["prog"] is not None
            # A day label ("Tue: send…") stays outside the cue, to date it as a prefix does.
            begins = opening.end() if opening["label"] else opening.start()
            cues.append(_Cue(begins, opening.end(), Party.REP, offer, progressive))
        if hits and sentence.modal_hits:
            carried = CONTINUED_CUE.search(self.text, hits[0], end)
            cues.extend([_Cue(carried.start(), carried.end(), Party.REP)] if carried else [])
        firm = [cue.verb for cue in cues if not (cue.offer or cue.progressive)]
        chained = CARRIED_CUE.search(self.text, min(firm), end) if firm else None
        cues.extend([_Cue(chained.start(), chained.end(), Party.REP)] if chained else [])
        if not cues:
            cues.extend(self._dated_present(sentence, hits))
        cues.extend(self._customer_cues(sentence))
        cues = sorted(
            (cue for cue in cues if not self.quotes.third_party(cue.start)),
            key=lambda cue: cue.start,
        )
        return [cue for i, cue in enumerate(cues) if i == 0 or cue.start >= cues[i - 1].verb]

    def _opening_cue(self, start: int, end: int) -> re.Match[str] | None:
        """A subjectless promise opening the sentence, or opening it after a condition:
        "Should they want references, happy to send…"."""
        opening = OPENING_CUE.match(self.text, start, end)
        if opening is not None:
            return opening
        lead_in = _LEAD_IN.match(self.text, start, end)
        if lead_in is not None:
            return OPENING_CUE.match(self.text, lead_in.end(), end)
        # "Umbra: need to send pricing by Friday": a deal's name, then the rep's to-do.
        named = _DEAL_LABEL.match(self.text, start, end)
        after = OPENING_CUE.match(self.text, named.end(), end) if named else None
        return after if after is not None and after["firm"] is not None else None

    def _dated_present(self, sentence: Sentence, hits: list[int]) -> list[_Cue]:
        """ "Tomorrow I send him the pricing": a plain present after a date opening the
        sentence is a plan, the way many non-native writers state one; "every Friday I send
        a report" is a habit."""
        for hit in hits[:1]:
            present = _PRESENT_I.match(self.text, hit, sentence.end)
            opening = self.text[sentence.start : hit]
            if present and not _HABIT.search(opening) and self._leading_date(opening):
                return [_Cue(hit, present.end(), Party.REP)]
        return []

    def _customer_cues(self, sentence: Sentence) -> list[_Cue]:
        """Customer agreements, looked for only around the modal words every one needs."""
        found: dict[int, _Cue] = {}
        for hit in sentence.modal_hits[:MAX_CUES_PER_SENTENCE]:
            cue = self._customer_cue_at(sentence, hit)
            if cue is not None:
                found[cue.start] = cue
        return list(found.values())

    def _customer_cue_at(self, sentence: Sentence, hit: int) -> _Cue | None:
        """The agreement around the modal at `hit`, if a customer can be its subject.

        "Lena will send" counts; "Vantix Solutions will deliver" in a pasted proposal is the
        seller's company talking, so a company never agrees with a bare "will".
        """
        before = WORD_BEFORE.search(self.text, max(sentence.start, hit - _WORD_REACH), hit)
        word = before.group("word").lower() if before is not None else ""
        if word == "you":
            return self._addressee_cue(sentence, hit)
        if before is None or not (word == "and" or could_be_subject(before.group("word"))):
            return None
        window_start = max(sentence.start, hit - _SUBJECT_REACH)
        window_end = min(sentence.end, hit + _SUBJECT_REACH)
        match = CUSTOMER_CUE.search(self.text, window_start, window_end)
        if match is None or not self._customer_subject(sentence, match, joined=word == "and"):
            return None
        # Work under way, a wish to meet, a promised intro: the customer's step once dated.
        ongoing = any(match[group] is not None for group in _LINKS)
        link = _LINKS.get(next((g for g in _LINKS if match[g] is not None), ""), " to")
        return _Cue(
            match.start(),
            match.end(),
            Party.CUSTOMER,
            progressive=ongoing,
            who=match["who"],
            link=link,
        )

    def _customer_subject(self, sentence: Sentence, match: re.Match[str], *, joined: bool) -> bool:
        """Whether the cue's subject is the customer: not "I", not "our CFO", and not a
        company with a bare "will" or "is sending" (a pasted proposal's seller). After "and"
        only "has our questionnaire and committed to" carries the subject over."""
        if _head_word(match["who"]) in NO_SUBJECT or (joined and not match["joined"]):
            return False
        if _OWN_SIDE.search(self.text, max(sentence.start, match.start() - 6), match.start()):
            return False
        seller_like = any(match[group] is not None for group in ("bare", *_LINKS))
        # "Emeka from Vanta Health will send": a person at the company, not its proposal.
        from_company = _PERSON_FROM.search(
            self.text, max(sentence.start, match.start() - 40), match.start()
        )
        return from_company is not None or not (seller_like and looks_like_company(match["who"]))

    def _addressee_cue(self, sentence: Sentence, hit: int) -> _Cue | None:
        """ "you'll confirm the budget owner" in a draft to the customer is their action."""
        if self.cast.addressee is None:
            return None
        lo = max(sentence.start, hit - len("you will "))
        match = ADDRESSEE_CUE.search(self.text, lo, min(sentence.end, hit + _SUBJECT_REACH))
        if match is None or match.start() > hit:
            return None
        return _Cue(match.start(), match.end(), Party.CUSTOMER, who=self.cast.addressee)

    def _prefix_due(self, start: int, cues: list[_Cue]) -> date | None:
        """A date opening the sentence ("Tomorrow I'll send…", "On Friday, I'll…") covers
        the undated promises, and so does one opening the promise's own clause ("call with
        Ramos at 10, Thursday I'm presenting"); a date inside an earlier clause ("demo on
        Thursday, then I'll circle back") belongs to that clause."""
        if not cues:
            return None
        before = self.text[max(start, cues[0].start - _REACH) : cues[0].start]
        opening = _LAST_CLAUSE.search(before)
        for words in (before, before[opening.end() :] if opening else ""):
            due = self._leading_date(words)
            if due is not None:
                return due
        return None

    def _clause_opening_due(self, start: int, cue: _Cue) -> date | None:
        """A later promise's own opening date: in "I'll run the kickoff on Tuesday, Thursday
        I'm meeting the Lyall team" the meeting is on Thursday, not on the sentence's day."""
        before = self.text[max(start, cue.start - _REACH) : cue.start]
        opening = _LAST_CLAUSE.search(before)
        if opening is None:
            return None
        return self._leading_date(before[opening.end() :])

    def _leading_date(self, words: str) -> date | None:
        """The date that `words` consist of, give or take a couple of filler words."""
        hit = find_due_date(words, self.now)
        rest = (words[: hit.start] + words[hit.end :]).split() if hit else []
        return hit.due if hit and len(rest) <= _PREFIX_SLACK_WORDS else None

    def _pieces(self, verb: int, end: int) -> list[_Piece]:
        """Split coordinated promises, then let "A and B by Friday" share B's date."""
        stop = PART_END.search(self.text, verb, end)
        end = stop.start() if stop else end
        pieces: list[_Piece] = []
        cursor = verb
        for split in SPLIT.finditer(self.text, verb, end):
            if split.start() > cursor:
                # "and then, assuming nothing changes, send…" joins as a bare "and" would.
                aside = _ASIDE_AND.match(split.group()) is not None
                bare_and = aside or not re.search(r"[,;]", split.group())
                pieces.extend(self._piece(cursor, split.start(), bare_and=bare_and))
                cursor = split.end()
        pieces.extend(self._piece(cursor, end, bare_and=False))
        return _joined(pieces)

    def _piece(self, start: int, end: int, *, bare_and: bool) -> list[_Piece]:
        """Date, vagueness, kind and clean wording of one promise; none for activity quotas."""
        raw = self.text[start:end]
        verb = _VERB_AT.match(raw)
        if verb is None and (fixed := respelled(raw)) is not None:
            raw, verb = fixed, _VERB_AT.match(fixed)
        if verb is None or QUOTA.search(raw):
            return []
        hit = find_due_date(raw, self.now)
        vague = find_vague_timing(raw)
        clean = _cleaned(raw, [span for span in (hit and (hit.start, hit.end), vague) if span])
        kind = kind_of(verb_behaviour(verb.group(), raw[verb.end() :]), clean, verb.end())
        if kind is None:
            return []
        due = hit.due if hit else None
        end_of_verb = start + verb.end()
        return [_Piece(start, end, bare_and, clean, end_of_verb, kind, due, vague is not None)]

    def _commitment(
        self, cue: _Cue, piece: _Piece, *, conditional: bool, scope: int
    ) -> _Found | None:
        """Turn a piece into the rep's promise or the customer's agreed action."""
        if cue.progressive and piece.due is None:
            return None
        if cue.party is Party.CUSTOMER:
            return self._customer_commitment(cue, piece)
        commitment = Commitment(
            text=piece.text,
            kind=piece.kind,
            due=piece.due,
            counterpart=_rep_counterpart(self.cast, piece, scope),
        )
        offer = cue.offer or conditional
        quote = None if offer or piece.due else _trimmed_quote(self.text, scope, piece.end)
        return _Found(cue.start, piece.end, commitment, quote)

    def _customer_commitment(self, cue: _Cue, piece: _Piece) -> _Found | None:
        """The customer's agreed action, worded "Lena to send …" so nobody mistakes it.

        A champion presenting "to the CEO herself" is the decider hearing the pitch second-
        hand (issue 13): a risk for the coach to flag, never the customer's progress."""
        if _ON_THEIR_OWN.search(piece.text):
            return None
        who = _customer_name(self.cast, cue)
        commitment = Commitment(
            text=f"{who or 'the customer'}{cue.link} {piece.text}",
            kind=piece.kind,
            due=piece.due,
            counterpart=who,
            party=Party.CUSTOMER,
        )
        return _Found(cue.start, piece.end, commitment)

    def slots(self, sentence: Sentence, found: list[_Found]) -> list[_Found]:
        """Meeting times agreed in a few words ("Tue 3pm works"), unless already a meeting
        found on that day."""
        if self.asks(sentence):
            return []
        days = {f.commitment.due for f in found if f.commitment.kind is CommitmentKind.MEETING}
        meetings: list[_Found] = []
        for slot in agreed_slots(self.text, sentence.start, sentence.end, self.now):
            if slot.due in days:
                continue
            days.add(slot.due)
            mentions = self.cast.within(sentence.start, sentence.end)
            counterpart = mentions[0].name if mentions else None
            wording = _trimmed_quote(self.text, slot.start, slot.end)
            meeting = Commitment(
                text=wording, kind=CommitmentKind.MEETING, due=slot.due, counterpart=counterpart
            )
            meetings.append(_Found(slot.start, slot.end, meeting))
        return meetings

    def _fixture_date(self, lo: int, hi: int) -> DueDate | None:
        """The day a meeting in text[lo:hi] is set for, unless the words say it is past,
        the seller's own text, conditional, a quota, or only a period ("in two weeks")."""
        clause = self.text[lo:hi]
        # "Sent Wen a calendar hold for the 30th": sending the invite books the meeting.
        words = _SENT_INVITE.sub(" ", clause)
        hit = None if _NOT_A_FIXTURE.search(words) else find_due_date(clause, self.now)
        if hit is None or _PERIOD.search(clause, hit.start, hit.end):
            return None
        return hit

    def _not_on(self, lo: int, noun: re.Match[str], hit: DueDate) -> bool:
        """ "can't do the demo Tuesday" is off; "Great call today with Priya!" is over."""
        if _NEGATED.search(self.text, lo, noun.start()):
            return True
        today = hit.due == self.now.date()
        return today and _PRAISED.search(self.text, lo, noun.start()) is not None

    def stated_meetings(self, sentence: Sentence, taken: list[tuple[int, int]]) -> list[_Found]:
        """Scheduled meetings stated as facts, each on a specific day, none in the past.

        "intro call happened Tuesday; next is a site visit on Dec 3": every meeting noun
        outside the sentence's promises (`taken`) is read in its own clause; only the first
        may borrow a day from the words around it, so one day never makes two meetings.
        """
        if _QUESTION_END.search(self.text, max(sentence.start, sentence.end - 5), sentence.end):
            return []
        meetings: list[_Found] = []
        days: set[date | None] = set()
        for order, noun in enumerate(_meeting_nouns(self.text, sentence, taken)):
            if order >= MAX_MEETINGS_PER_SENTENCE:
                break
            if meetings and noun.start() < meetings[-1].end:
                continue
            meeting = self._stated_meeting(sentence, noun, taken, borrow=order == 0)
            if meeting is not None and meeting.commitment.due not in days:
                days.add(meeting.commitment.due)
                meetings.append(meeting)
        return meetings

    def _stated_meeting(
        self, sentence: Sentence, noun: re.Match[str], taken: list[tuple[int, int]], *, borrow: bool
    ) -> _Found | None:
        """The meeting a noun names, dated in its own clause (or, if `borrow`, nearby)."""
        lo, hi = _clause_around(sentence, noun, taken)
        if _HEDGE.search(self.text, lo, hi) or _THANKED.search(self.text, lo, noun.start()):
            return None
        if _INTERNAL_MEETING.search(self.text, lo, noun.start()):
            return None
        own_lo, own_hi = _own_clause(self.text, lo, hi, noun)
        hit = self._fixture_date(own_lo, own_hi)
        if hit is not None:
            lo, hi = own_lo, own_hi
        elif borrow:
            hit = self._fixture_date(lo, hi)
        if hit is None or self._not_on(lo, noun, hit):
            return None
        ranked = sorted(self.cast.within(lo, hi), key=lambda mention: mention.company)
        counterpart = ranked[0].name if ranked else None
        phrase = _meeting_phrase(self.text[lo : noun.start()], noun.group())
        label = phrase
        if counterpart and counterpart not in phrase:
            label = f"{phrase} with {counterpart}"
        meeting = Commitment(
            text=label, kind=CommitmentKind.MEETING, due=hit.due, counterpart=counterpart
        )
        return _Found(noun.start(), hi, meeting)


def _without_preparation(found: list[_Found]) -> list[_Found]:
    """ "Let me pull the numbers from our BI team and I'll email them to Britta tomorrow": a
    step inside the rep's own company ("with our CFO tonight"), before a dated delivery, only
    prepares it."""
    kept: list[_Found] = []
    for index, item in enumerate(found):
        step = item.commitment
        delivered = any(
            later.commitment.due and later.commitment.party is Party.REP
            for later in found[index + 1 :]
        )
        # "connect Lea with our partner" introduces the customer: no internal step.
        internal = step.kind is not CommitmentKind.INTRODUCTION and bool(
            _INTERNAL_STEP.search(step.text)
        )
        if not (delivered and internal and step.party is Party.REP):
            kept.append(item)
    return kept


def _clause_around(
    sentence: Sentence, noun: re.Match[str], taken: list[tuple[int, int]]
) -> tuple[int, int]:
    """The words near a meeting noun, stopping at the promises on either side of it."""
    lo = max(
        [sentence.start, noun.start() - _MEETING_REACH] + [e for _, e in taken if e <= noun.start()]
    )
    hi = min([sentence.end, noun.end() + _MEETING_REACH] + [s for s, _ in taken if s >= noun.end()])
    return lo, hi


def _own_clause(text: str, lo: int, hi: int, noun: re.Match[str]) -> tuple[int, int]:
    """The clause of the meeting noun alone, inside the words read around it."""
    own_lo = lo
    for stop in _CLAUSE_BEFORE.finditer(text, lo, noun.start()):
        own_lo = stop.end()
    after = _CLAUSE_AFTER.search(text, noun.end(), hi)
    return own_lo, after.start() if after else hi


def _meeting_nouns(
    text: str, sentence: Sentence, taken: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    """The meeting nouns outside any promise that name a meeting ("make the call" is a
    decision, "set up a call" is the rep's promise)."""
    for hit in sentence.meeting_hits:
        if any(start <= hit < end for start, end in taken):
            continue
        noun = STATED_MEETING.match(text, hit, sentence.end)
        if noun is not None:
            yield noun


def _head_word(who: str) -> str:
    """The first word of a subject, without any clitic ("They'll" is "they")."""
    return _NON_WORD.split(who.strip(), maxsplit=1)[0].lower()


def _rep_cue(match: re.Match[str]) -> _Cue:
    """A rep cue: an offer ("happy to"), a plan ("I'm sending"), or a firm promise."""
    return _Cue(
        match.start(),
        match.end(),
        Party.REP,
        offer=match["offer"] is not None,
        progressive=any(match[g] is not None for g in ("prog", "asked", "we", "reported")),
    )


def _cleaned(raw: str, cuts: list[tuple[int, int]]) -> str:
    """The promise in the rep's words, minus its date, vague timing and asides."""
    kept = raw
    for start, end in sorted(cuts, reverse=True):
        kept = kept[:start] + " " + kept[end:]
    kept = _PARENTHETICAL.sub("", kept)
    return _TRAILING.sub("", " ".join(kept.split()))


def _joined(pieces: list[_Piece]) -> list[_Piece]:
    """ "find out and get back to her by Wednesday" is one promise with one date; so are
    "review the redlines and come back to him by Friday" (the preparation serves the
    delivery) and "put together the plan by Wednesday and share it" (one deliverable)."""
    joined: list[_Piece] = []
    for piece in pieces:
        previous = joined[-1] if joined else None
        if previous is None or not previous.bare_and:
            joined.append(piece)
            continue
        pronoun = _PRONOUN_OBJECT.match(piece.text[piece.verb_end - piece.start :]) is not None
        if previous.due is None and not previous.vague:
            if piece.kind == previous.kind or pronoun or previous.kind is CommitmentKind.OTHER:
                joined[-1] = _combined(previous, piece)
                continue
            joined[-1] = replace(previous, due=piece.due)
        elif piece.due is None and not piece.vague and (pronoun or piece.kind == previous.kind):
            joined[-1] = replace(_combined(previous, piece), due=previous.due)
            continue
        joined.append(piece)
    return joined


def _combined(first: _Piece, second: _Piece) -> _Piece:
    """Two coordinated verbs read as one promise, dated and kinded by the second."""
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


def _meeting_phrase(before: str, noun: str) -> str:
    """ "Ridgeway Health final meeting": the noun and the words that qualify it."""
    words = before.split()[-MAX_MEETING_PREFIX_WORDS:]
    kept: list[str] = []
    for word in reversed(words):
        if word.lower() in _FUNCTION_WORDS or not word[-1].isalnum():
            break
        kept.insert(0, word)
    return " ".join([*kept, noun])


def _absorbed_invites(found: list[_Found]) -> list[_Found]:
    """ "Thursday at 10 it is, I'll send the invite": the invite is for the dated meeting,
    not a second, undated promise."""
    if not any(f.commitment.kind is CommitmentKind.MEETING and f.commitment.due for f in found):
        return found
    return [f for f in found if not _undated_invite(f.commitment)]


def _undated_invite(commitment: Commitment) -> bool:
    undated = commitment.due is None and commitment.party is Party.REP
    return (
        undated
        and commitment.kind is CommitmentKind.MEETING
        and bool(_INVITE_WORDS.search(commitment.text))
    )


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
