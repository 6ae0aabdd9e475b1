"""Meetings agreed in a few words: "Tue 3pm works", "let's do Dec 4", "we'll regroup on the 9th".

Reps confirm a time the way people do in chat, with no meeting noun and no promise verb, so
the extractor's cues never see them. A slot is a date (and perhaps a clock time) next to an
acceptance ("works", "suits", "it is", "is ok") or after a proposal ("let's do", "we're on
for", "we'll regroup on"). Questions ("does Dec 4 work?") and past tense never get here: the
acceptances are present tense, and the caller skips questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from coaching.commitments.dates import find_due_date

_A = "['\u2019]"
# The slot comes before these words: "Dec 4 works", "Thursday at 10 it is".
ACCEPTANCE = re.compile(
    r"\b(?:works|wrks|suits|confirmed|is\s+(?:ok|okay|good|fine|great|perfect|confirmed)|it\s+is|"
    # "thurs 10 ok for me", "Mon 11 fine by us": the verb dropped, the people kept.
    r"(?:ok|okay|good|fine|great|perfect)\s+(?:for|by|with|w/)\s*(?:me|us|them|him|her|both)\b|"
    # "ok, Monday 10am then": only when nothing but a nod comes before the day.
    r"(?P<then>then)\b)",
    re.IGNORECASE,
)
# The slot comes after these words: "let's do Tue 3pm", "we're on for the 28th".
PROPOSAL = re.compile(
    rf"\b(?:let{_A}?s\s+(?:do|say|go\s+(?:with|for)|pencil\s+in|lock(?:\s+in)?|book|meet)|"
    rf"(?:we{_A}re|we\s+are)\s+on\s+for|"
    rf"we(?:{_A}ll|\s+will)\s+(?:regroup|reconvene|meet(?:\s+again)?|catch\s+up|sync(?:\s+up)?)|"
    r"(?:I\s+)?can\s+do|happy\s+to\s+do|got\s+(?:time|an?\s+(?:slot|hour|spot))\s+with|(?:agreed|arranged)\s+(?:with\s+[\w-]+\s+)?to\s+meet|locked\s+in|"
    r"(?:is|are)\s+(?:out|confirmed)\s+for|accepted\s+(?:the|our|my)\s+invite\s+for|"
    r"booked(?=\s*:)|"
    # "Their CFO blocked an hour for us on Monday the 30th": time held for the meeting.
    r"(?:blocked|held|reserved|set\s+aside|carved\s+out)\s+(?:(?:an?|the|some|half\s+an)\s+)?"
    r"(?:\d+\s*)?(?:hour|hr|time|slot|min(?:ute)?s?|morning|afternoon)s?\s+(?:for|with)\s+(?:us|me)|"
    # "We are booked with the CTO on 3rd December".
    rf"(?:we{_A}re|we\s+are|(?:is|are)\s+)booked\s+(?:in\s+)?with)\b",
    re.IGNORECASE,
)
# These name the day at once ("see you Monday at 10", "we're booked for the 14th",
# "confirmed Thursday 4pm"), so only a day right after them counts: "Klaus confirmed he'll
# share the logs tomorrow" agrees to no meeting, and "9 demos booked this week" reports.
PROPOSAL_AT_ONCE = re.compile(
    rf"\b(?:see\s+you|confirmed|(?:(?:we|they)(?:{_A}re|\s+are)\s+)?booked(?:\s+in)?"
    r"(?:\s+for\b|(?=\s*:))|(?:locked|set)(?:\s+in)?\s+for\b)",
    re.IGNORECASE,
)
# "We had a demo booked for Tuesday but their CIO cancelled it": booked once, no longer.
_UNDONE = re.compile(r"\b(?:had|was|were|cancel+ed|postponed|called\s+off|fell\s+through)\b", re.I)
_NOD = re.compile(r"[\s,.!]*(?:(?:ok(?:ay)?|sure|great|perfect|fine|cool|alright|right)[\s,.!]*)*")
_ASKED = re.compile(r"\b(?:if|whether|whenever|unless)\s+(?:the\s+|next\s+)?$", re.I)
_LEAD_WORDS = re.compile(r"(?:(?:on|for|at|the)\s+)*", re.IGNORECASE)
# What may stand between a day and its acceptance: a clock time, a zone, a part of the day.
_TIME_GAP = re.compile(
    r"(?:[\s,]|\bat\b|@|\d{1,2}(?::\d{2})?\s*(?:am|pm|h)?\b|(?-i:[A-Z]{2,4})\b|"
    r"\b(?:morning|afternoon|evening|sharp|noon|midday|lunchtime)\b|"
    # "thurs 10am w/ Ayesha confirmed": who the slot is with.
    r"(?:\bw/\s*|\bw\s+|\bwith\s+)(?-i:[A-Z])[\w'\u2019-]*|\s[-\u2013\u2014](?=\s))*",
    re.IGNORECASE,
)
_LEAD = "on"
_LED = _LEAD + " "
# A number date or short weekday needs a lead word ("on the 2nd"), or an acceptance after it.
_NUMBER_DATE = re.compile(
    r"(?<![\w/])(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th|/\d{1,2})|mon|tue|wed|thu|fri)\b", re.I
)
_SLOT_REACH = 40
_PROPOSAL_REACH = 60
# A run-on paste with no sentence ends does not agree to hundreds of meetings.
MAX_SLOTS_PER_SENTENCE = 20


@dataclass(frozen=True)
class Slot:
    """An agreed meeting time: where its wording sits and the day it falls on."""

    start: int
    end: int
    due: date


def agreed_slots(text: str, start: int, end: int, now: datetime) -> list[Slot]:
    """Every meeting time agreed in text[start:end], in text order."""
    acceptances = islice(ACCEPTANCE.finditer(text, start, end), MAX_SLOTS_PER_SENTENCE)
    slots = [
        slot for match in acceptances if (slot := _accepted(text, start, match, now)) is not None
    ]
    for match in islice(PROPOSAL.finditer(text, start, end), MAX_SLOTS_PER_SENTENCE):
        slot = _proposed(text, match, min(end, match.end() + _PROPOSAL_REACH), now)
        if slot is not None:
            slots.append(slot)
    if _UNDONE.search(text, start, end) is None:
        for match in islice(PROPOSAL_AT_ONCE.finditer(text, start, end), MAX_SLOTS_PER_SENTENCE):
            slot = _proposed_at_once(text, match, end, now)
            if slot is not None:
                slots.append(slot)
    return sorted(slots, key=lambda slot: slot.start)


def _accepted(text: str, start: int, match: re.Match[str], now: datetime) -> Slot | None:
    """A day agreed by the acceptance after it; a bare "then" agrees only after a nod
    ("ok, Monday 10am then"), never after a promise ("I'll call you Monday then")."""
    slot = _accepted_day(text, start, match, now)
    if slot is None or (match["then"] and not _NOD.fullmatch(text, start, slot.start)):
        return None
    # "Let me know if Thursday works": asked, not yet agreed.
    if _ASKED.search(text, max(start, slot.start - _SLOT_REACH), slot.start):
        return None
    return slot


def _accepted_day(text: str, start: int, match: re.Match[str], now: datetime) -> Slot | None:
    """ "Tue 3pm works": the day must end right before the acceptance, give or take a time."""
    lo = max(start, match.start() - _SLOT_REACH)
    window = text[lo : match.start()]
    offset = 0
    while (hit := find_due_date(window[offset:], now)) is not None:
        if _TIME_GAP.fullmatch(window, offset + hit.end):
            return Slot(lo + offset + hit.start, match.end(), hit.due)
        offset += hit.end
    return _accepted_number(lo, window, match, now)


def _accepted_number(lo: int, window: str, match: re.Match[str], now: datetime) -> Slot | None:
    """ "10/15 at 1pm works", "the 2nd @ 11 works": the acceptance leads the number date."""
    for number in _NUMBER_DATE.finditer(window):
        hit = find_due_date(_LED + window[number.start() :], now)
        if (
            hit
            and hit.start == 0
            and _TIME_GAP.fullmatch(window, hit.end - len(_LED) + number.start())
        ):
            return Slot(lo + number.start(), match.end(), hit.due)
    return None


def _proposed(text: str, match: re.Match[str], end: int, now: datetime) -> Slot | None:
    """ "let's do Tue 3pm": the day follows the proposal, within its clause."""
    after = re.split(r"[.;!?\n]", text[match.end() : end], maxsplit=1)[0]
    # The proposal leads the day as "on" would: "let's lock in the 9th" is on the 9th.
    hit = find_due_date(_LEAD + after, now)
    if hit is None:
        return None
    return Slot(match.start(), match.end() + hit.end - len(_LEAD), hit.due)


def _proposed_at_once(text: str, match: re.Match[str], end: int, now: datetime) -> Slot | None:
    """ "see you Monday at 10", "all booked: the 11th": the day right after the words."""
    after = re.split(r"[.;!?\n]", text[match.end() : end], maxsplit=1)[0]
    words = after.lstrip(" \t:,")
    hit = find_due_date(_LED + words, now)
    if hit is None or not _LEAD_WORDS.fullmatch(words, 0, max(0, hit.start - len(_LED))):
        return None
    skipped = len(after) - len(words)
    return Slot(match.start(), match.end() + skipped + hit.end - len(_LED), hit.due)
