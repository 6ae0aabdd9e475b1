"""Finding the few sentences worth reading closely, fast, in texts of any size.

A pasted proposal can run to hundreds of kilobytes and hold no promise at all. Rather than
running every cue pattern over every sentence, three cheap scans over an ASCII-lowercased copy
of the text find the words every cue needs ("I", "let", a modal such as "will", or a meeting
noun); only the sentences holding them are split out and read by the full patterns. Lowering
only A-Z keeps every offset identical to the original text.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# Patterns below run on the lowered text: literal first characters keep the scans fast.
_REP_TRIGGER = re.compile(
    r"i(?<!\wi)(?!\w)|let(?<!\wlet)(?!\w)|remind(?<!\wremind)(?=\s+me\b)|me(?<!\wme)(?!\w)|next(?<!\wnext)(?=\s+steps?\b)|"
    r"us(?<=\basked\sus)(?!\w)|"
    r"we(?<!\wwe)(?=(?:['\u2019]re|\s+are|['\u2019]ll|\s+will)\s)"
)
_MODAL_TRIGGER = re.compile(
    r"(?:['\u2019]ll?|(?<!\w)il|ill|will|wil|wll|wiil|shall|can|going|gonna|gotta|need|plan|steps?|to-?do|items?|agreed|committed|promised|offered|said|says|"
    r"say|told|confirmed|mentioned|happy|plan|wants|asked|owe|agrees?|commits?|promises?)(?!\w)|"
    # "sending the deck tomorrow": a plan opening the message or a line.
    r"(?<![^\n])[\s*\u2022-]*(?:sending|sharing|forwarding|calling|emailing|pinging|booking|"
    r"scheduling|following|circling|setting|getting|dropping|meeting|presenting|demoing)(?!\w)|"
    # "Tue: send Kofi the proposal": a day's to-do line.
    r"(?:(?<![^\n])[\s*\u2022-]*|(?<=\s-\s)|(?<=:\s))(?:mon|tue|tues|wed|thu|thur|thurs|fri|monday|tuesday|wednesday|"
    r"thursday|friday|today|tomorrow|tmrw)\s*[:\u2013\u2014-]|"
    # "Priyanka is pulling the data", "she's sending it": a customer's step under way.
    r"(?:is|are|['\u2019]s|['\u2019]re)(?=\s+(?:[a-z]+\s+)?[a-z]+ing(?!\w))"
)
_MEETING_TRIGGER = re.compile(
    r"(?:meeting|mtg|call|demo|visit|workshop|presentation|pres(?=\s+slot)|preso|lunch|dinner|"
    r"coffee|breakfast|session|appointment|read-?out|tour|chat|"
    r"kick-?off|kick(?:s|ing)\s+off|on[\s-]?site|qbr|review|walk-?through|debrief|interview|"
    r"briefing|sync|catch-?up|catching\s+up|invite|calendar\s+hold|placeholder)"
    r"(?!\w)"
)
# The words an agreed time sits next to ("Tue 3pm works", "let's do the 9th").
_SLOT_TRIGGER = re.compile(
    r"(?:works|wrks|suits|it\s+is|is\s+(?:ok|okay|good|fine|great|perfect|confirmed)|let['\u2019]?s|"
    r"we['\u2019]re|we\s+are|we['\u2019]ll|we\s+will|can\s+do|got\s+(?:time|an?\s+(?:slot|hour|spot))|to\s+meet|locked\s+in|out\s+for|"
    r"confirmed|accepted|booked|blocked|held|reserved|set\s+aside|carved\s+out|see\s+you|locked|set\s+for|then|happy\s+to\s+do|(?:ok|okay|good|fine|great|perfect)(?=\s+(?:for|by|with|w/)))(?!\w)"
)
_BOUNDARY = re.compile(
    r"(?<=[.!?])(?<!\b(?:Dr|Mr|Ms|Mx|St|Co|vs)\.)(?<!\b(?:Mrs|Inc|Ltd|etc)\.)"
    r"(?<!\b(?:Prof|Corp|incl|Incl)\.)(?<!\bapprox\.)(?<!\b(?:e\.g|i\.e|esp|est|ref|Ref)\.)"
    r"[\"'\u201d\u2019)]*\s+|\n+|"
    # "Bolt: they'll send the MSA | Crane: demo Thursday": a pipe separates notes like lines.
    r"[ \t]+\|[ \t]+|"
    # "Plan for this week - Tue: email Rosa": a dash before a day's to-do opens a new line.
    r"[ \t]+-[ \t]+(?=(?i:mon|tue|wed|thu|fri)[a-z]*\s*:)"
)


@dataclass
class Sentence:
    """A sentence (or line) span and the cue words found in it."""

    start: int
    end: int
    rep_hits: list[int] = field(default_factory=list)
    modal_hits: list[int] = field(default_factory=list)
    meeting_hits: list[int] = field(default_factory=list)
    slot_hits: list[int] = field(default_factory=list)


def candidate_sentences(text: str) -> Iterator[Sentence]:
    """The sentences that may hold a promise or a stated meeting, in text order."""
    lowered = text.translate(_ASCII_LOWER)
    hits = {
        "rep": [m.start() for m in _REP_TRIGGER.finditer(lowered)],
        "modal": [m.start() for m in _MODAL_TRIGGER.finditer(lowered)],
        "meeting": [m.start() for m in _MEETING_TRIGGER.finditer(lowered)],
        "slot": [m.start() for m in _SLOT_TRIGGER.finditer(lowered)],
    }
    if not any(hits.values()):
        return iter(())
    starts, ends = _sentence_bounds(text)
    chosen: dict[int, Sentence] = {}

    def sentence_of(position: int) -> Sentence:
        index = bisect.bisect_right(starts, position) - 1
        if index not in chosen:
            chosen[index] = Sentence(starts[index], ends[index])
        return chosen[index]

    for position in hits["rep"]:
        sentence_of(position).rep_hits.append(position)
    for position in hits["modal"]:
        sentence_of(position).modal_hits.append(position)
    for position in hits["meeting"]:
        sentence_of(position).meeting_hits.append(position)
    for position in hits["slot"]:
        sentence_of(position).slot_hits.append(position)
    return iter(sorted(chosen.values(), key=lambda sentence: sentence.start))


def _sentence_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every sentence, not fooled by "Dr. Osei" or "Corp."."""
    starts = [0]
    ends: list[int] = []
    for boundary in _BOUNDARY.finditer(text):
        ends.append(boundary.start())
        starts.append(boundary.end())
    ends.append(len(text))
    return starts, ends
